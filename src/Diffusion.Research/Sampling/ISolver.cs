using Diffusion.Research.Numerics;

namespace Diffusion.Research.Sampling;

/// <summary>
/// A numerical integrator or sampler. It advances the state x in place along
/// the time grid and returns statistics and a status; it does not throw inside its loop
/// (NaN, infinity and step-size collapse are statuses). Argument errors throw before the loop starts.
/// </summary>
public interface ISolver
{
    /// <summary>What the solver is: order, stochasticity, adaptivity, cost per step.</summary>
    SolverTraits Traits { get; }

    /// <summary>Integrates <paramref name="problem"/> over <paramref name="grid"/> starting from <paramref name="x"/> (overwritten with the result).</summary>
    Solution Solve(SamplingProblem problem, Batch x, TimeGrid grid, SolveOptions options);
}
