using Diffusion.Research.Data;
using Diffusion.Research.Numerics;
using Diffusion.Research.Registries;

namespace Diffusion.Research.Tests.Data;

public class GaussianMixtureTests
{
    // A non-isotropic 2-D mixture (general path) and an isotropic one (fast path).
    internal static GaussianMixture Full2D() => new(
        [0.2, 0.5, 0.3],
        [[-1.0, 0.5], [1.5, -0.5], [0.0, 2.0]],
        [new[,] { { 0.5, 0.2 }, { 0.2, 0.3 } }, new[,] { { 0.2, -0.05 }, { -0.05, 0.4 } }, new[,] { { 0.3, 0.0 }, { 0.0, 0.3 } }]);

    internal static GaussianMixture Isotropic2D() => GaussianMixture.Isotropic(
        [0.25, 0.25, 0.5], [[-2.0, 0.0], [2.0, 1.0], [0.0, -1.5]], [0.3, 0.6, 0.2]);

    internal static GaussianMixture Full3D() => new(
        [0.6, 0.4],
        [[0.0, 1.0, -1.0], [1.0, -1.0, 0.5]],
        [new[,] { { 1.0, 0.3, 0.1 }, { 0.3, 0.8, -0.2 }, { 0.1, -0.2, 0.5 } }, new[,] { { 0.4, 0.0, 0.1 }, { 0.0, 0.6, 0.0 }, { 0.1, 0.0, 0.9 } }]);

    public static TheoryData<string> Mixtures => new() { "full2d", "iso2d", "full3d" };

    private static GaussianMixture Get(string name) => name switch
    {
        "full2d" => Full2D(),
        "iso2d" => Isotropic2D(),
        _ => Full3D(),
    };

    private static Batch Points(int dimension, int count, ulong seed)
    {
        var x = new Batch(count, dimension);
        new NoiseSource(seed).FillGaussian(0, 0, x);
        TensorScale(x, 1.5);
        return x;
    }

    private static void TensorScale(Batch x, double factor)
    {
        var v = x.Values;
        for (var i = 0; i < v.Length; i++) v[i] *= factor;
    }

    [Fact]
    public void DetectsIsotropicCase()
    {
        Assert.True(Isotropic2D().IsIsotropic);
        Assert.False(Full2D().IsIsotropic);
    }

    [Fact]
    public void LogDensityIntegratesToOneIn2D()
    {
        // Midpoint rule on [-8, 8]^2 with h = 0.02: for smooth, rapidly decaying integrands the error is
        // exponentially small in 1/h, and the mass outside the box is below 1e-12 (> 8 standard deviations).
        foreach (var mixture in new[] { Full2D(), Isotropic2D() })
        {
            const double h = 0.02;
            const int n = 800;
            var x = new Batch(n, 2);
            var logp = new double[n];
            var total = 0.0;
            for (var a = 0; a < n; a++)
            {
                for (var b = 0; b < n; b++)
                {
                    x[b, 0] = -8.0 + (a + 0.5) * h;
                    x[b, 1] = -8.0 + (b + 0.5) * h;
                }
                mixture.LogDensity(x, logp);
                foreach (var l in logp) total += Math.Exp(l);
            }
            Assert.Equal(1.0, total * h * h, 1e-8);
        }
    }

    [Fact]
    public void LogDensityIntegratesToOneIn1D()
    {
        var mixture = new GaussianMixture([0.3, 0.7], [[-1.0], [2.0]], [new[,] { { 0.25 } }, new[,] { { 1.5 } }]);
        const double h = 0.001;
        const int n = 30000;
        var x = new Batch(n, 1);
        for (var i = 0; i < n; i++) x[i, 0] = -15.0 + (i + 0.5) * h;
        var logp = new double[n];
        mixture.LogDensity(x, logp);
        var total = 0.0;
        foreach (var l in logp) total += Math.Exp(l);
        Assert.Equal(1.0, total * h, 1e-10);
    }

    [Fact]
    public void SingleGaussianLogDensityMatchesClosedForm()
    {
        // log N(x; mu, Sigma) = -1/2 (D log 2 pi + log det Sigma + (x-mu)^T Sigma^-1 (x-mu)), 2x2 by hand.
        var g = new Gaussian([1.0, -1.0], new[,] { { 2.0, 0.5 }, { 0.5, 1.0 } });
        var x = Batch.FromRows([[0.3, 0.4]]);
        var logp = new double[1];
        g.LogDensity(x, logp);
        double det = 2.0 * 1.0 - 0.25, z0 = 0.3 - 1.0, z1 = 0.4 + 1.0;
        var quad = (1.0 * z0 * z0 - 2 * 0.5 * z0 * z1 + 2.0 * z1 * z1) / det;
        var expected = -0.5 * (2 * Math.Log(2 * Math.PI) + Math.Log(det) + quad);
        Assert.Equal(expected, logp[0], 1e-13);
    }

    [Theory]
    [MemberData(nameof(Mixtures))]
    public void ScoreEqualsFiniteDifferenceGradient(string name)
    {
        var mixture = Get(name);
        foreach (var (alpha, sigma) in new[] { (1.0, 0.0), (0.8, 0.6), (0.0, 2.0), (1.0, 0.05) })
        {
            var x = Points(mixture.Dimension, 50, 1);
            var score = new Batch(x.Count, x.Dimension);
            mixture.NoisedScore(alpha, sigma, x, score);
            // Central difference, h = 1e-5: truncation ~ h^2 |f'''| ~ 1e-8, rounding ~ 1e-16 |log p| / h ~ 1e-10.
            const double h = 1e-5;
            var plus = x.Clone();
            var minus = x.Clone();
            var lp = new double[x.Count];
            var lm = new double[x.Count];
            for (var d = 0; d < x.Dimension; d++)
            {
                for (var i = 0; i < x.Count; i++) { plus[i, d] += h; minus[i, d] -= h; }
                mixture.NoisedLogDensity(alpha, sigma, plus, lp);
                mixture.NoisedLogDensity(alpha, sigma, minus, lm);
                for (var i = 0; i < x.Count; i++)
                {
                    var fd = (lp[i] - lm[i]) / (2 * h);
                    Assert.True(Math.Abs(fd - score[i, d]) <= 1e-6 * (1 + Math.Abs(fd)), $"{name} a={alpha} s={sigma} i={i} d={d}: fd {fd} vs {score[i, d]}");
                }
                for (var i = 0; i < x.Count; i++) { plus[i, d] = x[i, d]; minus[i, d] = x[i, d]; }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Mixtures))]
    public void NoisedQuantitiesEqualThoseOfTheNoisedMixture(string name)
    {
        var mixture = Get(name);
        var x = Points(mixture.Dimension, 200, 2);
        foreach (var (alpha, sigma) in new[] { (0.9, 0.3), (0.1, 1.0), (-0.5, 0.7), (2.0, 0.0) })
        {
            var noised = mixture.Noised(alpha, sigma);
            var a = new Batch(x.Count, x.Dimension);
            var b = new Batch(x.Count, x.Dimension);
            mixture.NoisedScore(alpha, sigma, x, a);
            noised.Score(x, b);
            for (var i = 0; i < a.Length; i++) Assert.Equal(b.Values[i], a.Values[i], 1e-9 * (1 + Math.Abs(b.Values[i])));
            var la = new double[x.Count];
            var lb = new double[x.Count];
            mixture.NoisedLogDensity(alpha, sigma, x, la);
            noised.LogDensity(x, lb);
            for (var i = 0; i < la.Length; i++) Assert.Equal(lb[i], la[i], 1e-9 * (1 + Math.Abs(lb[i])));
            mixture.NoisedScoreDivergence(alpha, sigma, x, la);
            noised.NoisedScoreDivergence(1.0, 0.0, x, lb);
            for (var i = 0; i < la.Length; i++) Assert.Equal(lb[i], la[i], 1e-9 * (1 + Math.Abs(lb[i])));
        }
    }

    [Theory]
    [MemberData(nameof(Mixtures))]
    public void DivergenceEqualsFiniteDifferenceDivergence(string name)
    {
        var mixture = Get(name);
        foreach (var (alpha, sigma) in new[] { (1.0, 0.0), (0.7, 0.7), (0.2, 1.5) })
        {
            var x = Points(mixture.Dimension, 40, 3);
            var div = new double[x.Count];
            mixture.NoisedScoreDivergence(alpha, sigma, x, div);
            const double h = 1e-5;
            var fd = new double[x.Count];
            var shifted = x.Clone();
            var sp = new Batch(x.Count, x.Dimension);
            var sm = new Batch(x.Count, x.Dimension);
            for (var d = 0; d < x.Dimension; d++)
            {
                for (var i = 0; i < x.Count; i++) shifted[i, d] = x[i, d] + h;
                mixture.NoisedScore(alpha, sigma, shifted, sp);
                for (var i = 0; i < x.Count; i++) shifted[i, d] = x[i, d] - h;
                mixture.NoisedScore(alpha, sigma, shifted, sm);
                for (var i = 0; i < x.Count; i++)
                {
                    fd[i] += (sp[i, d] - sm[i, d]) / (2 * h);
                    shifted[i, d] = x[i, d];
                }
            }
            for (var i = 0; i < x.Count; i++)
                Assert.True(Math.Abs(fd[i] - div[i]) <= 1e-5 * (1 + Math.Abs(fd[i])), $"{name} i={i}: fd {fd[i]} vs {div[i]}");
        }
    }

    [Theory]
    [MemberData(nameof(Mixtures))]
    public void PosteriorMeanSatisfiesTweedie(string name)
    {
        // 003 §3.3.4 / 000 "Tweedie's Formula" (Robbins 1956; Efron 2011): E[x_0 | x_t] = (x_t + sigma^2 grad log
        // p_t(x_t)) / alpha.
        var mixture = Get(name);
        var x = Points(mixture.Dimension, 200, 4);
        foreach (var (alpha, sigma) in new[] { (1.0, 0.5), (0.6, 0.8), (0.05, 1.0), (1.0, 1e-3) })
        {
            var score = new Batch(x.Count, x.Dimension);
            var mean = new Batch(x.Count, x.Dimension);
            mixture.NoisedScore(alpha, sigma, x, score);
            mixture.NoisedPosteriorMean(alpha, sigma, x, mean);
            for (var i = 0; i < x.Count; i++)
                for (var d = 0; d < x.Dimension; d++)
                {
                    var tweedie = (x[i, d] + sigma * sigma * score[i, d]) / alpha;
                    Assert.True(Math.Abs(tweedie - mean[i, d]) <= 1e-9 * (1 + Math.Abs(tweedie) / alpha), $"{name} a={alpha} s={sigma}: {tweedie} vs {mean[i, d]}");
                }
        }
    }

    [Theory]
    [InlineData(1.0, 0.5)]
    [InlineData(0.6, 0.8)]
    public void PosteriorCovarianceTraceMatchesSecondOrderTweedie(double alpha, double sigma)
    {
        // 003 §3.3.4 (higher-order Tweedie, alpha = 1; Robbins 1956; Efron 2011): Cov[x | x~] = sigma^2 I + sigma^4 Hess log
        // p_sigma(x~). With
        // alpha != 0 the same derivation gives Cov[x_0 | x_t] = (sigma^2 I + sigma^4 Hess log p_t) / alpha^2; its trace
        // uses the analytic divergence. Closed form for isotropic components N(mu_k, c_k I): the posterior within k is
        // N(mu_k + g_k (x - alpha mu_k), v_k I) with g_k = alpha c_k / lambda_k, v_k = c_k sigma^2 / lambda_k,
        // lambda_k = alpha^2 c_k + sigma^2, and tr Cov = sum_k r_k (D v_k + |m_k|^2) - |sum_k r_k m_k|^2.
        var mixture = Isotropic2D();
        var x = Points(2, 30, 6);
        var div = new double[x.Count];
        mixture.NoisedScoreDivergence(alpha, sigma, x, div);
        var logp = new double[x.Count];
        mixture.NoisedLogDensity(alpha, sigma, x, logp);
        for (var i = 0; i < x.Count; i++)
        {
            double trace = 0, m0 = 0, m1 = 0;
            for (var k = 0; k < mixture.Components; k++)
            {
                var c = mixture.Covariance(k)[0, 0];
                var mu = mixture.Mean(k);
                var lambda = alpha * alpha * c + sigma * sigma;
                double z0 = x[i, 0] - alpha * mu[0], z1 = x[i, 1] - alpha * mu[1];
                var r = mixture.Weights[k] * Math.Exp(-(z0 * z0 + z1 * z1) / (2 * lambda) - Math.Log(2 * Math.PI * lambda) - logp[i]);
                var g = alpha * c / lambda;
                double p0 = mu[0] + g * z0, p1 = mu[1] + g * z1;
                trace += r * (2 * c * sigma * sigma / lambda + p0 * p0 + p1 * p1);
                m0 += r * p0;
                m1 += r * p1;
            }
            trace -= m0 * m0 + m1 * m1;
            var tweedie = (2 * sigma * sigma + Math.Pow(sigma, 4) * div[i]) / (alpha * alpha);
            Assert.Equal(trace, tweedie, 1e-9 * (1 + Math.Abs(trace)));
        }
    }

    [Fact]
    public void ParallelChunksGiveTheSerialResult()
    {
        var mixture = Full2D();
        var x = Points(2, 10_000, 10);
        var serial = new Batch(x.Count, 2);
        mixture.NoisedScore(0.5, 0.9, x, serial);
        var parallel = new Batch(x.Count, 2);
        const int chunk = 1000;
        Parallel.For(0, x.Count / chunk, c => mixture.NoisedScore(0.5, 0.9, x.Slice(c * chunk, chunk), parallel.Slice(c * chunk, chunk)));
        Assert.Equal(serial.ToArray(), parallel.ToArray());
    }

    [Fact]
    public void PosteriorMeanAtAlphaZeroIsTheMixtureMean()
    {
        var mixture = Full2D();
        var x = Points(2, 10, 5);
        var mean = new Batch(x.Count, 2);
        mixture.NoisedPosteriorMean(0.0, 1.0, x, mean);
        var expected = mixture.MixtureMean();
        for (var i = 0; i < x.Count; i++)
            for (var d = 0; d < 2; d++) Assert.Equal(expected[d], mean[i, d], 1e-12);
    }

    [Theory]
    [MemberData(nameof(Mixtures))]
    public void SampleMomentsMatch(string name)
    {
        var mixture = Get(name);
        const int n = 200_000;
        var d = mixture.Dimension;
        var samples = new Batch(n, d);
        mixture.Sample(samples, new NoiseSource(42), 0);
        var mean = mixture.MixtureMean();
        var cov = mixture.MixtureCovariance();
        // Threshold: 5 standard errors. The standard error of a sample mean is sqrt(Var/N); that of a sample
        // covariance entry is sqrt(Var[(x_i - m_i)(x_j - m_j)] / N), estimated by plug-in from the same sample.
        // P(|Z| > 5) = 5.7e-7 per statistic, with a fixed seed.
        for (var a = 0; a < d; a++)
        {
            var m = 0.0;
            for (var i = 0; i < n; i++) m += samples[i, a];
            m /= n;
            Assert.True(Math.Abs(m - mean[a]) <= 5 * Math.Sqrt(cov[a, a] / n), $"mean[{a}] {m} vs {mean[a]}");
            for (var b = 0; b < d; b++)
            {
                double s = 0, s2 = 0;
                for (var i = 0; i < n; i++)
                {
                    var p = (samples[i, a] - mean[a]) * (samples[i, b] - mean[b]);
                    s += p;
                    s2 += p * p;
                }
                s /= n;
                var se = Math.Sqrt((s2 / n - s * s) / n);
                Assert.True(Math.Abs(s - cov[a, b]) <= 5 * se, $"cov[{a},{b}] {s} vs {cov[a, b]} (se {se})");
            }
        }
    }

    [Fact]
    public void SamplingIsDeterministicAcrossBatchSizes()
    {
        var mixture = Full3D();
        var whole = new Batch(1000, 3);
        mixture.Sample(whole, new NoiseSource(7), 100);
        var pieces = new Batch(1000, 3);
        for (var start = 0; start < 1000; start += 37)
        {
            var count = Math.Min(37, 1000 - start);
            mixture.Sample(pieces.Slice(start, count), new NoiseSource(7), 100 + start);
        }
        Assert.Equal(whole.ToArray(), pieces.ToArray());
    }

    [Theory]
    [MemberData(nameof(Mixtures))]
    public void EvaluationIsDeterministicAcrossBatchSizes(string name)
    {
        var mixture = Get(name);
        var x = Points(mixture.Dimension, 300, 8);
        var whole = new Batch(x.Count, x.Dimension);
        mixture.NoisedScore(0.7, 0.4, x, whole);
        var wholeDiv = new double[x.Count];
        mixture.NoisedScoreDivergence(0.7, 0.4, x, wholeDiv);
        var pieces = new Batch(x.Count, x.Dimension);
        var piecesDiv = new double[x.Count];
        for (var start = 0; start < x.Count; start += 29)
        {
            var count = Math.Min(29, x.Count - start);
            mixture.NoisedScore(0.7, 0.4, x.Slice(start, count), pieces.Slice(start, count));
            mixture.NoisedScoreDivergence(0.7, 0.4, x.Slice(start, count), piecesDiv.AsSpan(start, count));
        }
        Assert.Equal(whole.ToArray(), pieces.ToArray());
        Assert.Equal(wholeDiv, piecesDiv);
    }

    [Fact]
    public void NoisedScoreAllocatesNothing()
    {
        var mixture = Full2D();
        var x = Points(2, 1000, 9);
        var s = new Batch(1000, 2);
        mixture.NoisedScore(0.5, 0.5, x, s); // warm up the pool
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var r = 0; r < 10; r++) mixture.NoisedScore(0.5, 0.5, x, s);
        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    [Fact]
    public void RejectsBadInput()
    {
        double[][] means = [[0.0, 0.0], [1.0, 1.0]];
        double[,] id = { { 1.0, 0.0 }, { 0.0, 1.0 } };
        Assert.Throws<ArgumentException>("weights", () => new GaussianMixture([0.5, 0.6], means, [id, id]));
        Assert.Throws<ArgumentException>("weights", () => new GaussianMixture([1.0, 0.0], means, [id, id]));
        Assert.Throws<ArgumentException>("weights", () => new GaussianMixture([], [], []));
        Assert.Throws<ArgumentException>("means", () => new GaussianMixture([0.5, 0.5], [[0.0, 0.0]], [id, id]));
        Assert.StartsWith("Mean 1 has 1 coordinates, mean 0 has 2.",
            Assert.Throws<ArgumentException>("means", () => new GaussianMixture([0.5, 0.5], [[0.0, 0.0], [1.0]], [id, id])).Message, StringComparison.Ordinal);
        Assert.StartsWith("Mean 1 has a non-finite coordinate.",
            Assert.Throws<ArgumentException>("means", () => new GaussianMixture([0.5, 0.5], [[0.0, 0.0], [1.0, double.NaN]], [id, id])).Message, StringComparison.Ordinal);
        Assert.StartsWith("Mean 0 is null.", Assert.Throws<ArgumentException>("means", () => new GaussianMixture([0.5, 0.5], [null!, [1.0, 1.0]], [id, id])).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>("covariances", () => new GaussianMixture([0.5, 0.5], means, [id, new[,] { { 1.0, 0.5 }, { 0.4, 1.0 } }]));
        Assert.Throws<ArgumentException>("covariances", () => new GaussianMixture([0.5, 0.5], means, [id, new[,] { { 1.0, 2.0 }, { 2.0, 1.0 } }]));
        Assert.Throws<ArgumentException>("covariances", () => new GaussianMixture([0.5, 0.5], means, [id, new double[3, 3]]));
        Assert.Throws<ArgumentException>("covariances", () => new GaussianMixture([0.5, 0.5], means, [id, new[,] { { 0.0, 0.0 }, { 0.0, 0.0 } }]));
        var m = new GaussianMixture([0.5, 0.5], means, [id, id]);
        var x = new Batch(3, 2);
        Assert.Throws<ArgumentException>("destination", () => m.Score(x, new Batch(4, 2)));
        Assert.Throws<ArgumentException>("x", () => m.Score(new Batch(3, 3), new Batch(3, 3)));
        Assert.Throws<ArgumentException>("destination", () => m.LogDensity(x, new double[2]));
        Assert.Throws<ArgumentOutOfRangeException>("sigma", () => m.NoisedScore(1.0, -0.1, x, new Batch(3, 2)));
        Assert.Throws<ArgumentOutOfRangeException>("alpha", () => m.NoisedScore(double.NaN, 1.0, x, new Batch(3, 2)));
        Assert.Throws<ArgumentException>("sigma", () => m.NoisedScore(0.0, 0.0, x, new Batch(3, 2)));
        // The scalar evaluations (log density, score divergence) check the kernel as the vector ones do.
        Assert.Throws<ArgumentOutOfRangeException>("alpha", () => m.NoisedLogDensity(double.NaN, 1.0, x, new double[3]));
        Assert.Throws<ArgumentOutOfRangeException>("sigma", () => m.NoisedLogDensity(1.0, -0.1, x, new double[3]));
        Assert.Throws<ArgumentException>("sigma", () => m.NoisedScoreDivergence(0.0, 0.0, x, new double[3]));
        Assert.Throws<ArgumentOutOfRangeException>("sigma", () => m.NoisedScoreDivergence(0.5, double.PositiveInfinity, x, new double[3]));
        Assert.Throws<ArgumentException>("destination", () => m.NoisedScoreDivergence(0.5, 0.5, x, new double[2]));
        // Every evaluation checks the kernel first: with a bad kernel and a bad destination, the kernel is named.
        Assert.Throws<ArgumentOutOfRangeException>("sigma", () => m.NoisedLogDensity(1.0, -0.1, x, new double[2]));
        Assert.Throws<ArgumentOutOfRangeException>("sigma", () => m.NoisedScoreDivergence(1.0, -0.1, x, new double[2]));
        Assert.Throws<ArgumentOutOfRangeException>("sigma", () => m.NoisedScore(1.0, -0.1, x, new Batch(2, 2)));
    }

    /// <summary>Weights within the 1e-12 tolerance of summing to 1 are divided by their sum: the mixture's weights then sum to 1
    /// to rounding, not to the given sum (or its square).</summary>
    [Fact]
    public void WeightsAreNormalisedByTheirSum()
    {
        double[,] id = { { 1.0, 0.0 }, { 0.0, 1.0 } };
        var m = new GaussianMixture([0.3, 0.7 + 9e-13], [[0.0, 0.0], [1.0, 1.0]], [id, id]);
        Assert.Equal(1.0, m.Weights.Sum(), 1e-15);
        Assert.Equal(0.3 / (1 + 9e-13), m.Weights[0], 1e-16);
    }

    /// <summary>The plane-pair kernel of the isotropic score refuses short constant or scratch spans with its message.</summary>
    [Fact]
    public void ThePlanePairKernelRefusesShortSpans()
    {
        var zero = System.Runtime.Intrinsics.Vector512<double>.Zero;
        var e = Assert.Throws<ArgumentException>(() => IsotropicScoreLanes.EvaluatePlanePair(new double[9], 2, zero, zero, zero, zero,
            out _, out _, out _, out _, new double[4 * IsotropicScoreLanes.Lanes]));
        Assert.StartsWith("Constants or scratch too short.", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => IsotropicScoreLanes.EvaluatePlanePair(new double[10], 2, zero, zero, zero, zero,
            out _, out _, out _, out _, new double[4 * IsotropicScoreLanes.Lanes - 1]));
    }

    /// <summary>The registry's gaussian and mixture take a covariance of exactly D × D (K × D × D) numbers.</summary>
    [Fact]
    public void RegistryCovariancesMustBeSquare()
    {
        var e = Assert.Throws<ParameterException>(() => DataSetRegistry.CreateDefault().CreateFromLists("gaussian",
            new Dictionary<string, double[]> { ["mean"] = [0.0, 1.0], ["covariance"] = [1.0, 0.0, 1.0] }));
        Assert.Equal("covariance", e.Key);
        Assert.Contains("'covariance' has 3 entries, expected 2 x 2.", e.Message, StringComparison.Ordinal);
    }
}
