namespace Diffusion.Research.Experiments.Plans;

/// <summary>The <c>data:</c> block: a data set by registry name and its parameters (each a number or a list of numbers).</summary>
public sealed record DataSpec(string Name, IReadOnlyDictionary<string, IReadOnlyList<double>> Parameters);
