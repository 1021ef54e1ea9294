using Diffusion.Research.Sampling;

namespace Diffusion.Research.Solvers;

/// <summary>How one chunk of a fixed-step solve ended: steps completed and, on failure, which step failed.</summary>
internal readonly record struct ChunkOutcome(SolveStatus Status, int CompletedSteps, double ReachedTime);
