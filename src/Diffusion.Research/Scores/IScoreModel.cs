using Diffusion.Research.Numerics;

namespace Diffusion.Research.Scores;

/// <summary>
/// A (possibly approximate) score s(x, t) ~ grad_x log p_t(x). Implementations must be thread-safe
/// for disjoint destinations and allocate nothing in steady state: solvers call them from parallel
/// chunks inside the step loop.
/// </summary>
public interface IScoreModel
{
    /// <summary>Writes s(x, t) for every particle of <paramref name="x"/> into <paramref name="destination"/> (same shape).</summary>
    void Score(double t, Batch x, Batch destination);
}
