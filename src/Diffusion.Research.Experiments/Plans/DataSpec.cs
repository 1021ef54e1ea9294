namespace Diffusion.Research.Experiments.Plans;

/// <summary>The <c>data:</c> block: a data set by registry name and its numeric parameters.</summary>
public sealed record DataSpec(string Name, IReadOnlyDictionary<string, double> Parameters);
