using Diffusion.Research.Numerics;

namespace Diffusion.Research.Conditional;

/// <summary>
/// A classifier on noisy inputs, as classifier guidance needs it: the gradient ∇_x log p_t(c | x) for a class c
/// (004 §14; Song et al. 2021, eq (14); Dhariwal and Nichol 2021, the ∂ log Pr(c | z_t) / ∂ z_t term). Implementations must be
/// thread-safe for disjoint destinations.
/// </summary>
public interface IClassifier
{
    /// <summary>Number of classes C (labels 0..C−1).</summary>
    int Classes { get; }

    /// <summary>Writes ∇_x log p_t(<paramref name="label"/> | x_i) into row i of <paramref name="destination"/>.</summary>
    void LogProbabilityGradient(double t, int label, Batch x, Batch destination);
}
