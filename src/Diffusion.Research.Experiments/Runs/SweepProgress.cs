namespace Diffusion.Research.Experiments;

/// <summary>Progress of a sweep: units done (this run), units to do, units skipped (already logged), the current cell, elapsed time and an ETA.</summary>
public sealed record SweepProgress(int Done, int Total, int Skipped, int Failed, string Current, TimeSpan Elapsed, TimeSpan? Remaining);
