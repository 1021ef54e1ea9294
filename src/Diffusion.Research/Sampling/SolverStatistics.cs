namespace Diffusion.Research.Sampling;

/// <summary>Work done by a solve.</summary>
/// <param name="Nfe">Number of drift / score evaluations (per particle).</param>
/// <param name="AcceptedSteps">Steps taken.</param>
/// <param name="RejectedSteps">Steps rejected by an adaptive controller.</param>
public sealed record SolverStatistics(long Nfe, long AcceptedSteps, long RejectedSteps)
{
    /// <summary>No work.</summary>
    public static SolverStatistics Zero { get; } = new(0, 0, 0);

    /// <summary>Sum of two statistics.</summary>
    public SolverStatistics Add(SolverStatistics other) =>
        new(Nfe + other.Nfe, AcceptedSteps + other.AcceptedSteps, RejectedSteps + other.RejectedSteps);
}
