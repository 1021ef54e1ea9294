using Diffusion.Research.Data;
using Diffusion.Research.Kernels;
using Diffusion.Research.Numerics;

namespace Diffusion.Research.Scores;

/// <summary>
/// The exact score of a Gaussian mixture (or a single <see cref="Gaussian"/>, or any <see cref="INoisedDistribution"/>)
/// noised by a kernel, s(x, t) = ∇ log p_t(x) with p_t = Σ_k w_k N(α_t μ_k, α_t² Σ_k + σ_t² I) (003 §4.4; 000 Tweedie; Kingma
/// et al. 2021; Robbins 1956; Efron 2011
/// section): a thin adapter over <see cref="INoisedDistribution.NoisedScore"/> that reads (α_t, σ_t) from the kernel. Also the exact log p_t,
/// the divergence of the score and the posterior mean E[x_0 | x_t] (Tweedie; 000; 003 §3.3.4; Robbins 1956; Efron 2011).
/// Thread-safe and allocation-free when the distribution is (the mixture and the Gaussian are).
/// </summary>
public sealed class ExactNoisedScore : IScoreModel, IScoreDivergence
{
    /// <summary>The exact score of <paramref name="data"/> noised by <paramref name="kernel"/>.</summary>
    public ExactNoisedScore(INoisedDistribution data, IKernel kernel)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(kernel);
        Data = data;
        Kernel = kernel;
        Lanes = MixtureScoreLanes.TryCreate(this);
    }

    /// <summary>The register-level evaluation for an isotropic mixture (same bits as <see cref="Score"/>), or null.</summary>
    internal MixtureScoreLanes? Lanes { get; }

    /// <summary>The clean data distribution p_0.</summary>
    public INoisedDistribution Data { get; }

    /// <summary>The kernel p_t(x_t | x_0).</summary>
    public IKernel Kernel { get; }

    /// <inheritdoc />
    public void Score(double t, Batch x, Batch destination) => Data.NoisedScore(Kernel.Alpha(t), Kernel.Sigma(t), x, destination);

    /// <inheritdoc />
    public void Divergence(double t, Batch x, Span<double> destination) =>
        Data.NoisedScoreDivergence(Kernel.Alpha(t), Kernel.Sigma(t), x, destination);

    /// <summary>log p_t(x_i).</summary>
    public void LogDensity(double t, Batch x, Span<double> destination) =>
        Data.NoisedLogDensity(Kernel.Alpha(t), Kernel.Sigma(t), x, destination);

    /// <summary>E[x_0 | x_t = x_i] (Tweedie: (x + σ_t² s)/α_t; 001 eq 24, 003 §3.3.4; Robbins 1956; Efron 2011), in closed
    /// form.</summary>
    public void PosteriorMean(double t, Batch x, Batch destination) =>
        Data.NoisedPosteriorMean(Kernel.Alpha(t), Kernel.Sigma(t), x, destination);

    /// <summary>The noised marginal p_t as a distribution (allocates; for tests and reference samples).</summary>
    public INoisedDistribution Marginal(double t) => Data.Noised(Kernel.Alpha(t), Kernel.Sigma(t));
}
