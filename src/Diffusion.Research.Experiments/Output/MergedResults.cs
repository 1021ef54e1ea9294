namespace Diffusion.Research.Experiments.Output;

/// <summary>What <c>diffusion merge</c> wrote: the merged results folder and its table.</summary>
public sealed record MergedResults(string Directory, ResultTable Table);
