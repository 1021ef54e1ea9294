using Diffusion.Research.Data;
using Diffusion.Research.Numerics;
using Diffusion.Research.Registries;

namespace Diffusion.Research.Tests.Exact;

public class SpectralGaussianTests
{
    /// <summary>The spectral evaluations equal those of the full-covariance mixture code on the same law.</summary>
    [Theory]
    [InlineData(false, 0)]
    [InlineData(true, 0)]
    [InlineData(false, 2)]
    public void NoisedQuantitiesMatchTheFullCovarianceGaussian(bool rotate, int rank)
    {
        const int d = 6;
        var g = rank == 0
            ? SpectralGaussian.PowerLaw(d, 1.3, 2.5, -0.4, rotate, 11)
            : (SpectralGaussian)DataSetRegistry.CreateDefault().CreateFromLists("gaussian_spectrum",
                new Dictionary<string, double[]> { ["dimension"] = [d], ["exponent"] = [0.8], ["rank"] = [rank], ["rank_scale"] = [1.7], ["shift"] = [0.3] });
        var full = new Gaussian(g.Mean, g.CovarianceMatrix());
        var x = new Batch(7, d);
        new NoiseSource(3).FillGaussian(0, 0, x);
        const double alpha = 0.63, sigma = 0.81;
        var a = new Batch(7, d);
        var b = new Batch(7, d);
        g.NoisedScore(alpha, sigma, x, a);
        full.NoisedScore(alpha, sigma, x, b);
        for (var i = 0; i < a.Length; i++) Assert.Equal(b.Values[i], a.Values[i], 9);
        g.NoisedPosteriorMean(alpha, sigma, x, a);
        full.NoisedPosteriorMean(alpha, sigma, x, b);
        for (var i = 0; i < a.Length; i++) Assert.Equal(b.Values[i], a.Values[i], 9);
        var la = new double[7];
        var lb = new double[7];
        g.NoisedLogDensity(alpha, sigma, x, la);
        full.NoisedLogDensity(alpha, sigma, x, lb);
        for (var i = 0; i < 7; i++) Assert.Equal(lb[i], la[i], 9);
        g.NoisedScoreDivergence(alpha, sigma, x, la);
        full.NoisedScoreDivergence(alpha, sigma, x, lb);
        for (var i = 0; i < 7; i++) Assert.Equal(lb[i], la[i], 9);
    }

    /// <summary>Sample moments of 40,000 draws: each mean within 4.5 standard errors, each variance within 4.5 sqrt(2/(n−1)) v.</summary>
    [Fact]
    public void SamplesHaveTheLawsMoments()
    {
        const int n = 40_000, d = 4;
        var g = SpectralGaussian.PowerLaw(d, 1.0, 3.0, 0.5, rotate: true, rotationSeed: 5);
        var x = new Batch(n, d);
        g.Sample(x, new NoiseSource(8), 0);
        var cov = g.CovarianceMatrix();
        for (var j = 0; j < d; j++)
        {
            double m = 0, s = 0;
            for (var i = 0; i < n; i++) m += x[i, j];
            m /= n;
            for (var i = 0; i < n; i++) s += (x[i, j] - m) * (x[i, j] - m);
            s /= n - 1;
            Assert.True(Math.Abs(m - 0.5) < 4.5 * Math.Sqrt(cov[j, j] / n), $"mean {m}");
            Assert.True(Math.Abs(s - cov[j, j]) < 4.5 * Math.Sqrt(2.0 / (n - 1)) * cov[j, j], $"variance {s} vs {cov[j, j]}");
        }
    }

    [Fact]
    public void PowerLawSpectrumIsAsDeclared()
    {
        var g = SpectralGaussian.PowerLaw(1024, 1.5, 2.0);
        var l = g.Eigenvalues;
        Assert.Equal(2.0, l[0]);
        Assert.Equal(2.0 * Math.Pow(1024, -1.5), l[1023], 15);
        Assert.False(g.IsRotated);
    }
}

public class SpectralMixtureTests
{
    /// <summary>Every noised quantity equals that of the full-covariance GaussianMixture on the same law (K = 3, D = 5).</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void NoisedQuantitiesMatchTheFullCovarianceMixture(bool rotate)
    {
        const int d = 5, k = 3;
        var m = SpectralMixture.PowerLaw(d, k, 0.9, 1.7, 2.5, rotate, 4);
        var full = new GaussianMixture(m.Weights, Enumerable.Range(0, k).Select(m.Mean).ToArray(), Enumerable.Range(0, k).Select(m.Covariance).ToArray());
        var x = new Batch(9, d);
        new NoiseSource(6).FillGaussian(0, 0, x);
        const double alpha = 0.71, sigma = 0.58;
        var a = new Batch(9, d);
        var b = new Batch(9, d);
        m.NoisedScore(alpha, sigma, x, a);
        full.NoisedScore(alpha, sigma, x, b);
        for (var i = 0; i < a.Length; i++) Assert.Equal(b.Values[i], a.Values[i], 9);
        m.NoisedPosteriorMean(alpha, sigma, x, a);
        full.NoisedPosteriorMean(alpha, sigma, x, b);
        for (var i = 0; i < a.Length; i++) Assert.Equal(b.Values[i], a.Values[i], 9);
        var la = new double[9];
        var lb = new double[9];
        m.NoisedLogDensity(alpha, sigma, x, la);
        full.NoisedLogDensity(alpha, sigma, x, lb);
        for (var i = 0; i < 9; i++) Assert.Equal(lb[i], la[i], 9);
        m.NoisedScoreDivergence(alpha, sigma, x, la);
        full.NoisedScoreDivergence(alpha, sigma, x, lb);
        for (var i = 0; i < 9; i++) Assert.Equal(lb[i], la[i], 8);
    }

    /// <summary>The public constructor at generic values: unequal weights, the means and spectra as given, and the law equal
    /// to the full-covariance mixture; malformed input refused with its reason.</summary>
    [Fact]
    public void TheConstructorTakesTheComponentsAsGivenAndRefusesMalformedOnes()
    {
        double[] w = [0.2, 0.5, 0.3];
        double[][] mu = [[1.0, -0.5], [0.3, 0.8], [-1.1, 0.2]];
        double[][] l = [[0.4, 1.3], [0.9, 0.25], [2.0, 0.6]];
        var m = new SpectralMixture(w, mu, l);
        Assert.Equal(w, m.Weights);
        Assert.Equal((3, 2), (m.Components, m.Dimension));
        for (var k = 0; k < 3; k++)
        {
            Assert.Equal(mu[k], m.Mean(k));
            Assert.Equal(new[,] { { l[k][0], 0 }, { 0, l[k][1] } }, m.Covariance(k));
        }
        var full = new GaussianMixture(w, mu, Enumerable.Range(0, 3).Select(m.Covariance).ToArray());
        var x = new Batch(5, 2);
        new NoiseSource(8).FillGaussian(0, 0, x);
        var a = new double[5];
        var b = new double[5];
        m.NoisedLogDensity(0.8, 0.45, x, a);
        full.NoisedLogDensity(0.8, 0.45, x, b);
        for (var i = 0; i < 5; i++) Assert.Equal(b[i], a[i], 12);

        Assert.StartsWith("The weights sum to 1.1, not 1.", Assert.Throws<ArgumentException>(() => new SpectralMixture([0.2, 0.5, 0.4], mu, l)).Message, StringComparison.Ordinal);
        Assert.StartsWith("A mixture needs at least one component.", Assert.Throws<ArgumentException>(() => new SpectralMixture([], [], [])).Message, StringComparison.Ordinal);
        Assert.Equal("weights", Assert.Throws<ArgumentNullException>(() => new SpectralMixture(null!, mu, l)).ParamName);
        Assert.Equal("means", Assert.Throws<ArgumentNullException>(() => new SpectralMixture(w, null!, l)).ParamName);
        Assert.Equal("eigenvalues", Assert.Throws<ArgumentNullException>(() => new SpectralMixture(w, mu, null!)).ParamName);
        Assert.Equal("means", Assert.Throws<ArgumentException>(() => new SpectralMixture(w, [[1.0, -0.5], [0.3], [-1.1, 0.2]], l)).ParamName);
        Assert.Equal("means", Assert.Throws<ArgumentException>(() => new SpectralMixture(w, mu, [[0.4, 1.3], [0.9, 0.25], [2.0]])).ParamName);
        Assert.Equal("eigenvalues", Assert.Throws<ArgumentException>(() => new SpectralMixture(w, mu, [[0.4, 1.3], [0.9, 0.0], [2.0, 0.6]])).ParamName);
        Assert.StartsWith("A weight is -0.5; all must be finite and positive.",
            Assert.Throws<ArgumentException>("weights", () => new SpectralMixture([1.0, 0.5, -0.5], mu, l)).Message, StringComparison.Ordinal);
        // Evaluations check the batch and destination shapes.
        Assert.StartsWith("Batch 'x' has dimension 3, the mixture has 2.",
            Assert.Throws<ArgumentException>("x", () => m.NoisedScore(0.8, 0.45, new Batch(5, 3), new Batch(5, 3))).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => m.NoisedScore(0.8, 0.45, x, new Batch(4, 2)));
        Assert.Throws<ArgumentException>(() => m.NoisedPosteriorMean(0.8, 0.45, x, new Batch(5, 3)));
    }

    /// <summary>Sample row i: the component c whose cumulative weight first exceeds the uniform draw 0 of stream 1, then
    /// μ_c + √λ_c ∘ z with z the Gaussian draws of stream 0 (no basis), derived here from the noise source itself.</summary>
    [Fact]
    public void SamplesPickComponentsByTheirCumulativeWeights()
    {
        double[] w = [0.2, 0.5, 0.3];
        double[][] mu = [[1.0, -0.5], [0.3, 0.8], [-1.1, 0.2]];
        double[][] l = [[0.4, 1.3], [0.9, 0.25], [2.0, 0.6]];
        var m = new SpectralMixture(w, mu, l);
        const int n = 40;
        var x = new Batch(n, 2);
        var noise = new NoiseSource(12);
        m.Sample(x, noise, 5);
        var counts = new int[3];
        var z = new double[2];
        for (var i = 0; i < n; i++)
        {
            var u = noise.Uniform(1u, 5 + i, 0);
            var c = u < 0.2 ? 0 : u < 0.7 ? 1 : 2;
            counts[c]++;
            noise.FillGaussian(0u, 5 + i, z);
            for (var j = 0; j < 2; j++) Assert.Equal(mu[c][j] + Math.Sqrt(l[c][j]) * z[j], x.Row(i)[j], 14);
        }
        Assert.All(counts, k => Assert.True(k > 0)); // every branch taken
        Assert.Equal("components", Assert.Throws<ArgumentOutOfRangeException>(() => SpectralMixture.PowerLaw(3, 0, 1.0, 1.0, 1.0, false, 1)).ParamName);
        Assert.Equal("dimension", Assert.Throws<ArgumentOutOfRangeException>(() => SpectralMixture.PowerLaw(0, 2, 1.0, 1.0, 1.0, false, 1)).ParamName);
    }

    [Fact]
    public void AGaussianWithoutDimensionsIsRefusedWithItsReason() =>
        Assert.StartsWith("A Gaussian needs at least one dimension.", Assert.Throws<ArgumentException>("mean", () => new SpectralGaussian([], [])).Message, StringComparison.Ordinal);

    /// <summary>gaussian_spectrum and mixture_spectrum need a dimension: its absence is a parameter error naming it.</summary>
    [Theory]
    [InlineData("gaussian_spectrum")]
    [InlineData("mixture_spectrum")]
    public void TheSpectralDataSetsNeedADimension(string name)
    {
        var e = Assert.Throws<ParameterException>(() => DataSetRegistry.CreateDefault().CreateFromLists(name, new Dictionary<string, double[]>()));
        Assert.Equal("dimension", e.Key);
        Assert.Contains($"Give a positive 'dimension' for {name}.", e.Message, StringComparison.Ordinal);
    }

    /// <summary>D = 1024, K = 64: registered, and a score call on 64 points is cheap (no factorisation per call).</summary>
    [Fact]
    public void HighDimensionalMixtureFromTheRegistry()
    {
        var data = (SpectralMixture)DataSetRegistry.CreateDefault().CreateFromLists("mixture_spectrum",
            new Dictionary<string, double[]> { ["dimension"] = [1024], ["components"] = [64] });
        var x = new Batch(64, 1024);
        data.Sample(x, new NoiseSource(1), 0);
        var s = new Batch(64, 1024);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        data.NoisedScore(0.9, 0.4, x, s);
        Assert.True(s.IsFinite());
        Assert.True(watch.Elapsed.TotalSeconds < 5, $"{watch.Elapsed}");
    }
}
