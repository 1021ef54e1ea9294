namespace Diffusion.Research.Experiments;

/// <summary>What a run did: the results folder, units run, skipped and failed, and the wall time.</summary>
public sealed record SweepSummary(string Directory, int Ran, int Skipped, int Failed, TimeSpan Elapsed);
