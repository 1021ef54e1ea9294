using Diffusion.Research.Numerics;

namespace Diffusion.Research.Data;

/// <summary>
/// A multivariate normal N(mu, Sigma) with full covariance: exact log-density, score, sampling and the noised
/// quantities of <see cref="GaussianMixture"/> (it is a one-component mixture and shares its code).
/// </summary>
public sealed class Gaussian : INoisedDistribution
{
    /// <summary>N(<paramref name="mean"/>, <paramref name="covariance"/>); the covariance must be symmetric positive definite.</summary>
    public Gaussian(double[] mean, double[,] covariance)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(covariance);
        AsMixture = new GaussianMixture([1.0], [mean], [covariance]);
    }

    /// <summary>N(<paramref name="mean"/>, <paramref name="variance"/> I).</summary>
    public static Gaussian Isotropic(double[] mean, double variance)
    {
        ArgumentNullException.ThrowIfNull(mean);
        var covariance = new double[mean.Length, mean.Length];
        for (var i = 0; i < mean.Length; i++) covariance[i, i] = variance;
        return new Gaussian(mean, covariance);
    }

    /// <summary>The standard normal N(0, I) in <paramref name="dimension"/> dimensions.</summary>
    public static Gaussian Standard(int dimension)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        return Isotropic(new double[dimension], 1.0);
    }

    /// <summary>This distribution as a one-component <see cref="GaussianMixture"/>.</summary>
    public GaussianMixture AsMixture { get; }

    /// <inheritdoc />
    public int Dimension => AsMixture.Dimension;

    /// <summary>A copy of the mean.</summary>
    public double[] Mean => AsMixture.Mean(0);

    /// <summary>A copy of the covariance matrix.</summary>
    public double[,] Covariance => AsMixture.Covariance(0);

    /// <inheritdoc />
    public void LogDensity(Batch x, Span<double> destination) => AsMixture.LogDensity(x, destination);

    /// <inheritdoc />
    public void Score(Batch x, Batch destination) => AsMixture.Score(x, destination);

    /// <inheritdoc />
    public void Sample(Batch destination, NoiseSource noise, long firstParticle) => AsMixture.Sample(destination, noise, firstParticle);

    /// <summary>See <see cref="GaussianMixture.NoisedLogDensity"/>.</summary>
    public void NoisedLogDensity(double alpha, double sigma, Batch x, Span<double> destination) => AsMixture.NoisedLogDensity(alpha, sigma, x, destination);

    /// <summary>See <see cref="GaussianMixture.NoisedScore"/>.</summary>
    public void NoisedScore(double alpha, double sigma, Batch x, Batch destination) => AsMixture.NoisedScore(alpha, sigma, x, destination);

    /// <summary>See <see cref="GaussianMixture.NoisedScoreDivergence"/>.</summary>
    public void NoisedScoreDivergence(double alpha, double sigma, Batch x, Span<double> destination) => AsMixture.NoisedScoreDivergence(alpha, sigma, x, destination);

    /// <summary>See <see cref="GaussianMixture.NoisedPosteriorMean"/>.</summary>
    public void NoisedPosteriorMean(double alpha, double sigma, Batch x, Batch destination) => AsMixture.NoisedPosteriorMean(alpha, sigma, x, destination);

    /// <summary>The noised Gaussian N(alpha mu, alpha^2 Sigma + sigma^2 I) (003 §4.4).</summary>
    public Gaussian Noised(double alpha, double sigma)
    {
        var noised = AsMixture.Noised(alpha, sigma);
        return new Gaussian(noised.Mean(0), noised.Covariance(0));
    }
}
