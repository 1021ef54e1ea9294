using Diffusion.Research.Numerics;
using Diffusion.Research.Registries;

namespace Diffusion.Research.Data;

/// <summary>
/// A multivariate normal N(mu, Sigma): exact log-density, score, sampling and the noised quantities of
/// <see cref="GaussianMixture"/> (it is a one-component mixture and shares its code). An isotropic one
/// (<see cref="Isotropic"/>, <see cref="Standard"/>, or a covariance c I) stores no D x D matrix and needs no
/// eigendecomposition, so it also serves as the prior N(0, s² I) of the SDEs (003 Table 4.1; Song et al. 2021, §3.4, eq (29)) in
/// high dimension.
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

    private Gaussian(GaussianMixture oneComponent) => AsMixture = oneComponent;

    /// <summary>N(<paramref name="mean"/>, <paramref name="variance"/> I), O(D) memory.</summary>
    public static Gaussian Isotropic(double[] mean, double variance)
    {
        ArgumentNullException.ThrowIfNull(mean);
        return new Gaussian(GaussianMixture.Isotropic([1.0], [mean], [variance]));
    }

    /// <summary>The standard normal N(0, I) in <paramref name="dimension"/> dimensions.</summary>
    public static Gaussian Standard(int dimension) => Centered(dimension, 1.0);

    /// <summary>N(0, s² I) in <paramref name="dimension"/> dimensions with s = <paramref name="standardDeviation"/>:
    /// the prior of the linear SDEs (003 Table 4.1: N(0, σ²(T) I) for VE, N(0, I) for VP; Song et al. 2021, §3.4, eq (29)). O(D)
    /// memory.</summary>
    public static Gaussian Centered(int dimension, double standardDeviation)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        if (!(double.IsFinite(standardDeviation) && standardDeviation > 0))
            throw new ArgumentOutOfRangeException(nameof(standardDeviation), standardDeviation, "The standard deviation must be finite and positive.");
        // sqrt(fl(s * s)) == s in binary floating point, so samples are exactly s z.
        return Isotropic(new double[dimension], standardDeviation * standardDeviation);
    }

    /// <summary>This distribution as a one-component <see cref="GaussianMixture"/>.</summary>
    public GaussianMixture AsMixture { get; }

    /// <inheritdoc />
    public int Dimension => AsMixture.Dimension;

    /// <summary>A copy of the mean.</summary>
    public double[] Mean => AsMixture.Mean(0);

    /// <summary>A copy of the covariance matrix (built on demand, D x D).</summary>
    public double[,] Covariance => AsMixture.Covariance(0);

    /// <summary>True when the covariance is a multiple of the identity (no D x D matrix is stored).</summary>
    public bool IsIsotropic => AsMixture.IsIsotropic;

    /// <inheritdoc />
    public void LogDensity(Batch x, Span<double> destination) => AsMixture.LogDensity(x, destination);

    /// <inheritdoc />
    public void Score(Batch x, Batch destination) => AsMixture.Score(x, destination);

    /// <summary>Row i gets mu + A z, Sigma = A A^T, with z the Gaussian draws 0..D-1 of particle <c>firstParticle + i</c>,
    /// stream 0 (no component draw, unlike <see cref="GaussianMixture.Sample"/>): for N(0, s² I) row i is s z.</summary>
    public void Sample(Batch destination, NoiseSource noise, long firstParticle) =>
        AsMixture.SampleComponent(0, destination, noise, 0u, firstParticle);

    /// <summary>See <see cref="GaussianMixture.NoisedLogDensity"/>.</summary>
    public void NoisedLogDensity(double alpha, double sigma, Batch x, Span<double> destination) => AsMixture.NoisedLogDensity(alpha, sigma, x, destination);

    /// <summary>See <see cref="GaussianMixture.NoisedScore"/>.</summary>
    public void NoisedScore(double alpha, double sigma, Batch x, Batch destination) => AsMixture.NoisedScore(alpha, sigma, x, destination);

    /// <summary>See <see cref="GaussianMixture.NoisedScoreDivergence"/>.</summary>
    public void NoisedScoreDivergence(double alpha, double sigma, Batch x, Span<double> destination) => AsMixture.NoisedScoreDivergence(alpha, sigma, x, destination);

    /// <summary>See <see cref="GaussianMixture.NoisedPosteriorMean"/>.</summary>
    public void NoisedPosteriorMean(double alpha, double sigma, Batch x, Batch destination) => AsMixture.NoisedPosteriorMean(alpha, sigma, x, destination);

    /// <summary>The noised Gaussian N(alpha mu, alpha^2 Sigma + sigma^2 I) (003 §4.4; Kingma et al. 2021).</summary>
    public Gaussian Noised(double alpha, double sigma) => new(AsMixture.Noised(alpha, sigma));

    INoisedDistribution INoisedDistribution.Noised(double alpha, double sigma) => Noised(alpha, sigma);

    /// <summary>Registers gaussian (<see cref="DataSetRegistry.CreateDefault"/>).</summary>
    internal static void Register(DataSetRegistry r) =>
        r.Register("gaussian", "N(mean, covariance); give dimension or mean, and variance or covariance", CreateGaussian,
            ParameterSpec.OptionalInteger("dimension", "dimension D (mean 0) when no mean is given"),
            ParameterSpec.Vector("mean", "mean (D numbers)"),
            ParameterSpec.Real("variance", 1.0, "isotropic variance") with { Argument = "variances" },
            ParameterSpec.Vector("covariance", "covariance, D x D row-major"));

    private static IDataSet CreateGaussian(ParameterValues p)
    {
        if (p.Contains("dimension") && p.Integer("dimension") < 1)
            throw new ParameterException("dimension", $"Parameter 'dimension' must be positive, got {p.Integer("dimension")}.");
        var mean = p.Contains("mean") ? p.Vector("mean") : new double[p.Contains("dimension") ? p.Integer("dimension") : 0];
        if (p.Contains("mean") && p.Contains("dimension") && p.Integer("dimension") != mean.Length)
            throw new ParameterException("dimension", $"Parameter 'dimension' is {p.Integer("dimension")} but 'mean' has {mean.Length} entries.");
        if (mean.Length == 0) throw new ParameterException("dimension", "Give 'dimension' or 'mean' for a gaussian.");
        if (p.Contains("covariance"))
        {
            if (p.Contains("variance")) throw new ParameterException("covariance", "Give 'variance' or 'covariance', not both.");
            return new Gaussian(mean, SquareParameter(p.Vector("covariance"), mean.Length, "covariance"));
        }
        return Gaussian.Isotropic(mean, p["variance"]);
    }

    /// <summary>A D x D matrix from the row-major parameter <paramref name="name"/> (a located error when its length is not D²).</summary>
    internal static double[,] SquareParameter(double[] flat, int d, string name)
    {
        if (flat.Length != d * d) throw new ParameterException(name, $"'{name}' has {flat.Length} entries, expected {d} x {d}.");
        var m = new double[d, d];
        for (var i = 0; i < d; i++)
            for (var j = 0; j < d; j++) m[i, j] = flat[i * d + j];
        return m;
    }
}
