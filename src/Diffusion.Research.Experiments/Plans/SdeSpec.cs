namespace Diffusion.Research.Experiments.Plans;

/// <summary>The <c>sde:</c> block: forward SDE kind (its noise schedule is part of the kind, e.g. vp or vp-cosine), parameters and the cutoff t_eps.</summary>
public sealed record SdeSpec(string Kind, IReadOnlyDictionary<string, double> Parameters, double TEps);
