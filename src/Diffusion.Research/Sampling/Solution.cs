using Diffusion.Research.Numerics;

namespace Diffusion.Research.Sampling;

/// <summary>The result of <see cref="ISolver.Solve"/>.</summary>
/// <param name="Samples">The state at the end (the batch passed in, updated in place).</param>
/// <param name="Status">How the solve ended.</param>
/// <param name="Statistics">NFE, accepted and rejected steps.</param>
/// <param name="ReachedTime">The time the state corresponds to (the grid end on success).</param>
/// <param name="Message">Why it failed, or null on success.</param>
public sealed record Solution(Batch Samples, SolveStatus Status, SolverStatistics Statistics, double ReachedTime, string? Message)
{
    /// <summary>True when <see cref="Status"/> is <see cref="SolveStatus.Success"/>.</summary>
    public bool IsSuccess => Status == SolveStatus.Success;
}
