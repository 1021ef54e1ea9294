namespace Diffusion.Research.Experiments.Plans;

/// <summary>One swept key of a cell and the value it takes there, as written.</summary>
public sealed record SweepValue(string Key, string Value);
