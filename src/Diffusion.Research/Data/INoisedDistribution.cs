using Diffusion.Research.Numerics;

namespace Diffusion.Research.Data;

/// <summary>
/// A distribution whose marginal under any affine kernel p(x_t | x_0) = N(alpha x_0, sigma^2 I) is known in closed
/// form (003 §4.4; Kingma et al. 2021), so an exact score model can be built on it (<see cref="GaussianMixture"/>,
/// <see cref="Gaussian"/>).
/// </summary>
public interface INoisedDistribution : IDistribution
{
    /// <summary>log p_t(x_i) of the noised marginal.</summary>
    void NoisedLogDensity(double alpha, double sigma, Batch x, Span<double> destination);

    /// <summary>grad log p_t(x_i) of the noised marginal.</summary>
    void NoisedScore(double alpha, double sigma, Batch x, Batch destination);

    /// <summary>The divergence (Laplacian of log p_t) of the noised score at x_i.</summary>
    void NoisedScoreDivergence(double alpha, double sigma, Batch x, Span<double> destination);

    /// <summary>The posterior mean E[x_0 | x_t = x_i].</summary>
    void NoisedPosteriorMean(double alpha, double sigma, Batch x, Batch destination);

    /// <summary>The noised marginal p_t itself as a distribution (003 §4.4; Kingma et al. 2021; allocates: for set-up, tests and
    /// reference samples).</summary>
    INoisedDistribution Noised(double alpha, double sigma);
}
