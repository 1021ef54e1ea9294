using Diffusion.Research.Sampling;

namespace Diffusion.Research.Gpu;

/// <summary>The result of <see cref="GpuSolver.Solve(SamplingProblem, DeviceBatch, TimeGrid, SolveOptions)"/>: the
/// device twin of <see cref="Solution"/>, with the samples still on the device.</summary>
/// <param name="Samples">The state at the end (the device batch passed in, updated in place).</param>
/// <param name="Status">How the solve ended.</param>
/// <param name="Statistics">NFE, accepted and rejected steps.</param>
/// <param name="ReachedTime">The time the state corresponds to (the grid end on success).</param>
/// <param name="Message">Why it failed, or null on success.</param>
public sealed record DeviceSolution(DeviceBatch Samples, SolveStatus Status, SolverStatistics Statistics, double ReachedTime, string? Message)
{
    /// <summary>True when <see cref="Status"/> is <see cref="SolveStatus.Success"/>.</summary>
    public bool IsSuccess => Status == SolveStatus.Success;
}
