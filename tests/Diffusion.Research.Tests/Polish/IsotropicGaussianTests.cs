using Diffusion.Research.Data;
using Diffusion.Research.Numerics;
using Diffusion.Research.Scores;
using Diffusion.Research.Sde;

namespace Diffusion.Research.Tests.Polish;

/// <summary>The SDE priors are <see cref="Gaussian"/>s with the cheap isotropic representation, and the exact noised
/// score accepts any <see cref="INoisedDistribution"/>.</summary>
public class IsotropicGaussianTests
{
    [Fact]
    public void PriorSamplesAreExactlyScaledStreamZeroDraws()
    {
        // Row i of N(0, s^2 I) is s z with z the Gaussian draws of particle i, stream 0, bit for bit.
        foreach (var s in new[] { 1.0, 0.999, 10.0, Math.Sqrt(2.0) })
        {
            var prior = Gaussian.Centered(3, s);
            var x = new Batch(5, 3);
            prior.Sample(x, new NoiseSource(11), 2);
            var z = new Batch(5, 3);
            new NoiseSource(11).FillGaussian(0u, 2, z);
            for (var i = 0; i < z.Length; i++) Assert.Equal(s * z.Values[i], x.Values[i]);
        }
    }

    [Fact]
    public void PriorInHighDimensionStoresNoMatrix()
    {
        // A D x D covariance (with its eigenvectors and square root: 3 D^2 doubles) would be 96 MB at D = 2000;
        // the isotropic prior keeps a few D-vectors (mean, copy, eigenvalues: 3 D doubles = 48 kB).
        const int d = 2000;
        var sde = VpSde.Linear();
        sde.Prior(d); // warm up
        var before = GC.GetAllocatedBytesForCurrentThread();
        var prior = sde.Prior(d);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.InRange(allocated, 0, 8L * 8 * d);

        var x = new Batch(2, d);
        prior.Sample(x, new NoiseSource(3), 0);
        Span<double> lp = stackalloc double[2];
        prior.LogDensity(x, lp);
        var moment = 0.0;
        for (var i = 0; i < 2; i++)
        {
            var r2 = 0.0;
            foreach (var v in x.Row(i)) r2 += v * v;
            Assert.Equal(-0.5 * d * Math.Log(2 * Math.PI) - 0.5 * r2, lp[i], 1e-9 * Math.Abs(lp[i]));
            moment += r2;
        }
        // |x|^2 / (2D) has mean 1 and standard deviation sqrt(2 / (2D)) = 0.022; 6 sigma is 0.134.
        Assert.InRange(moment / (2 * d), 1 - 0.134, 1 + 0.134);
    }

    [Fact]
    public void IsotropicMixtureSamplesAreMeanPlusScaledStreamOneDraws()
    {
        // The isotropic path computes mu + sqrt(c) z; the dense path computed mu + Dot(row of sqrt(c) I, z), which
        // is the same double (every other product is 0): reference samples are unchanged by the cheap representation.
        var mixture = GaussianMixture.Isotropic([0.25, 0.75], [[1.0, -2.0], [3.0, 0.5]], [0.3, 2.0]);
        var x = new Batch(64, 2);
        var noise = new NoiseSource(21);
        mixture.Sample(x, noise, 5);
        Span<double> z = stackalloc double[2];
        for (var i = 0; i < x.Count; i++)
        {
            var c = noise.Uniform(0, 5 + i, 0) < 0.25 ? 0 : 1;
            noise.FillGaussian(1, 5 + i, z);
            var mean = mixture.Mean(c);
            var scale = Math.Sqrt(c == 0 ? 0.3 : 2.0);
            for (var j = 0; j < 2; j++) Assert.Equal(mean[j] + scale * z[j], x[i, j]);
        }
    }

    [Fact]
    public void IsotropicCovarianceGivenInFullTakesTheCheapPathWithTheSameResults()
    {
        var full = new Gaussian([1.0, 2.0, -1.0], new[,] { { 0.5, 0, 0 }, { 0, 0.5, 0 }, { 0, 0, 0.5 } });
        var cheap = Gaussian.Isotropic([1.0, 2.0, -1.0], 0.5);
        Assert.True(full.IsIsotropic);
        Assert.Equal(cheap.Covariance, full.Covariance);
        var x = Batch.FromRows([[0.3, 1.0, 2.0], [-1.0, 0.0, 0.5]]);
        var a = new Batch(2, 3);
        var b = new Batch(2, 3);
        full.NoisedScore(0.7, 0.4, x, a);
        cheap.NoisedScore(0.7, 0.4, x, b);
        Assert.Equal(a.ToArray(), b.ToArray());
    }

    [Fact]
    public void NoisedMixtureScoreAcceptsASingleGaussian()
    {
        // N(mu, v I) noised by (alpha, sigma) is N(alpha mu, (alpha^2 v + sigma^2) I) (003 §4.4; Kingma et al. 2021),
        // whose score is
        // -(x - alpha mu) / (alpha^2 v + sigma^2) and whose Laplacian of log p is -D / (alpha^2 v + sigma^2).
        var sde = VpSde.Linear();
        var mu = new[] { 1.0, -0.5 };
        const double v = 0.2;
        var exact = new ExactNoisedScore(Gaussian.Isotropic(mu, v), sde);
        const double t = 0.3;
        double alpha = sde.Alpha(t), sigma = sde.Sigma(t), variance = alpha * alpha * v + sigma * sigma;
        var x = Batch.FromRows([[0.2, 0.4], [-1.0, 2.0], [3.0, 0.0]]);
        var s = new Batch(3, 2);
        exact.Score(t, x, s);
        Span<double> div = stackalloc double[3];
        exact.Divergence(t, x, div);
        for (var i = 0; i < 3; i++)
        {
            for (var j = 0; j < 2; j++) Assert.Equal(-(x[i, j] - alpha * mu[j]) / variance, s[i, j], 1e-13);
            Assert.Equal(-2 / variance, div[i], 1e-12);
        }
        var marginal = Assert.IsType<Gaussian>(exact.Marginal(t));
        Assert.Equal(variance, marginal.Covariance[0, 0], 1e-15);
        Assert.True(marginal.IsIsotropic);
    }

    [Fact]
    public void BadIsotropicArgumentsThrowBeforeAnyWork()
    {
        Assert.Throws<ArgumentNullException>(() => new GaussianMixture([1.0], [[0.0]], null!));
        Assert.Throws<ArgumentNullException>(() => GaussianMixture.Isotropic([1.0], [[0.0]], null!));
        Assert.Throws<ArgumentException>(() => GaussianMixture.Isotropic([1.0], [[0.0]], [0.0]));
        Assert.Throws<ArgumentException>(() => GaussianMixture.Isotropic([1.0], [[0.0]], [double.NaN]));
        Assert.Throws<ArgumentException>(() => GaussianMixture.Isotropic([0.5, 0.5], [[0.0], [1.0]], [1.0]));
        Assert.Throws<ArgumentException>(() => Gaussian.Isotropic([], 1.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Gaussian.Centered(2, double.PositiveInfinity));
    }
}
