namespace Diffusion.Research.Experiments.Plans;

/// <summary>The <c>sde:</c> block: forward SDE kind, optional noise schedule, parameters and the cutoff t_eps.</summary>
public sealed record SdeSpec(string Kind, string? Schedule, IReadOnlyDictionary<string, double> Parameters, double TEps);
