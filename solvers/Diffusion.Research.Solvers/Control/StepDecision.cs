namespace Diffusion.Research.Solvers;

/// <summary>What a step-size controller decided about an attempted step.</summary>
/// <param name="Accepted">True when the error norm is at most 1 and the step stands.</param>
/// <param name="NextStep">The size |dt| to try next (for the next step after an acceptance, for a retry after a rejection).</param>
public readonly record struct StepDecision(bool Accepted, double NextStep);
