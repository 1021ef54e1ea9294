using Diffusion.Research.Registries;
using Diffusion.Research.Data;
using Diffusion.Research.Metrics;
using Diffusion.Research.Numerics;
using MathNet.Numerics.Distributions;

namespace Diffusion.Research.Tests.Metrics;

public class MetricTests
{
    private static Batch Normal1D(int n, double mean, double std, ulong seed)
    {
        var x = new Batch(n, 1);
        new NoiseSource(seed).FillGaussian(0, 0, x);
        for (var i = 0; i < n; i++) x[i, 0] = mean + std * x[i, 0];
        return x;
    }

    private static Batch Gaussian(int n, int d, double shift, ulong seed)
    {
        var x = new Batch(n, d);
        var noise = new NoiseSource(seed);
        for (var i = 0; i < n; i++) noise.FillGaussian(0, i, x.Row(i));
        for (var i = 0; i < n; i++) x[i, 0] += shift;
        return x;
    }

    // Deterministic "quantile samples" m + s Phi^-1((i + 1/2) / n).
    private static Batch Quantiles(int n, double mean, double std)
    {
        var x = new Batch(n, 1);
        for (var i = 0; i < n; i++) x[i, 0] = mean + std * Normal.InvCDF(0, 1, (i + 0.5) / n);
        return x;
    }

    [Fact]
    public void SlicedW2InOneDimensionIsTheGaussianW2()
    {
        // W2^2(N(m1, s1^2), N(m2, s2^2)) = (m1 - m2)^2 + (s1 - s2)^2. With quantile samples the empirical value is
        // (m1-m2)^2 + (s1-s2)^2 mean(z_i^2) (mean(z_i) = 0 by symmetry), and mean(z_i^2) = 1 - O(log n / n).
        const int n = 20_000;
        var sw = new SlicedWasserstein(projections: 4);
        var w = sw.Compute(Quantiles(n, 0.0, 1.0), Quantiles(n, 1.0, 2.0));
        Assert.Equal(2.0, w * w, 2e-3);
        Assert.Equal(0.0, sw.Compute(Quantiles(n, 0.5, 1.5), Quantiles(n, 0.5, 1.5)));
    }

    [Fact]
    public void UnequalSizesAreMatchedByExactQuantiles()
    {
        // The empirical measure of b (size 2n) equals that of a duplicated; W2 must not see the difference.
        var a = Normal1D(300, 0, 1, 1).ToArray();
        var b = Normal1D(150, 0.3, 1.2, 2).ToArray();
        Array.Sort(a);
        Array.Sort(b);
        var bTwice = b.SelectMany(v => new[] { v, v }).ToArray();
        Assert.Equal(SlicedWasserstein.SquaredDistance1D(a, bTwice), SlicedWasserstein.SquaredDistance1D(a, b), 1e-12);
        // n = 3, m = 2 by hand: levels 0, 1/3, 1/2, 2/3, 1 -> (0-0)^2/3 + (1-0)^2/6 + (1-5)^2/6 + (2-5)^2/3.
        Assert.Equal(1.0 / 6 + 16.0 / 6 + 9.0 / 3, SlicedWasserstein.SquaredDistance1D([0.0, 1.0, 2.0], [0.0, 5.0]), 1e-14);
    }

    [Fact]
    public void SlicedW2OfAShiftIsTheProjectedShift()
    {
        // Y = X + delta: each 1-D W2^2 is (theta . delta)^2 exactly, so SW2^2 = mean_p (theta_p . delta)^2.
        var sw = new SlicedWasserstein(projections: 2000, seed: 5);
        const int d = 3;
        var x = Gaussian(500, d, 0, 3);
        var y = x.Clone();
        double[] delta = [0.7, -0.2, 0.4];
        for (var i = 0; i < y.Count; i++)
            for (var k = 0; k < d; k++) y[i, k] += delta[k];
        var directions = sw.Directions(d);
        var expected = 0.0;
        for (var p = 0; p < directions.Count; p++)
        {
            var dot = 0.0;
            for (var k = 0; k < d; k++) dot += directions[p, k] * delta[k];
            expected += dot * dot / directions.Count;
        }
        var w = sw.Compute(y, x);
        Assert.Equal(expected, w * w, 1e-10);
        // Directions uniform on the sphere: (theta . e)^2 ~ Beta(1/2, (D-1)/2), mean 1/D, variance 2(D-1)/(D^2 (D+2)).
        // So SW2^2 ~ |delta|^2 / D within 5 standard errors |delta|^2 sqrt(variance / P).
        var norm2 = delta.Sum(v => v * v);
        var se = norm2 * Math.Sqrt(2.0 * (d - 1) / (d * d * (d + 2)) / directions.Count);
        Assert.True(Math.Abs(w * w - norm2 / d) <= 5 * se, $"{w * w} vs {norm2 / d} (se {se})");
    }

    [Fact]
    public void SlicedW2NoiseFloorScalesLikeOneOverRootN()
    {
        // For two independent samples of size N of one distribution, E W2^2 ~ (2/N) int u(1-u)/f(Q(u))^2 du per
        // projection (Brownian-bridge limit; a log log N factor for Gaussian tails), so SW2 ~ c / sqrt(N): quadrupling
        // N should about halve the floor. Allow a ratio in [1.6, 2.4]: each floor is a mean over 20 repeats with a
        // relative standard error near 0.25 / sqrt(20) = 0.06, and the log log N factor moves the ratio below 2 by < 5%.
        var sw = new SlicedWasserstein(projections: 64);
        var data = ToyData.EightGaussians();
        var small = sw.EstimateNoiseFloor(data, 500, 500, 20, new NoiseSource(1));
        var large = sw.EstimateNoiseFloor(data, 2000, 2000, 20, new NoiseSource(2));
        var ratio = small.Mean / large.Mean;
        Assert.InRange(ratio, 1.6, 2.4);
        Assert.True(large.Max < 3 * large.Mean);
    }

    [Fact]
    public void KsOfIdenticalAndShiftedSamplesRespectsDkw()
    {
        // |D_nm - sup|F - G|| <= sup|F_n - F| + sup|G_m - G| <= eps_n + eps_m with probability >= 1 - 2 alpha (DKW).
        const int n = 5000;
        const double alpha = 1e-6;
        var eps = 2 * KolmogorovSmirnov.DkwBound(n, alpha);
        var ks = new KolmogorovSmirnov();
        var a = Normal1D(n, 0, 1, 11);
        Assert.True(ks.Compute(a, Normal1D(n, 0, 1, 12)) <= eps);
        Assert.True(ks.Compute(a, Normal1D(n, 0, 1, 12)) <= KolmogorovSmirnov.TwoSampleCriticalValue(n, n, alpha));
        const double shift = 0.2;
        var population = 2 * Normal.CDF(0, 1, shift / 2) - 1; // sup_x |Phi(x) - Phi(x - delta)| at x = delta / 2
        Assert.InRange(ks.Compute(a, Normal1D(n, shift, 1, 13)), population - eps, population + eps);
        // One-sample against Phi and against a shifted CDF.
        var one = KolmogorovSmirnov.OneSample(a, 0, v => Normal.CDF(0, 1, v));
        Assert.True(one <= KolmogorovSmirnov.DkwBound(n, alpha));
        var off = KolmogorovSmirnov.OneSample(a, 0, v => Normal.CDF(shift, 1, v));
        Assert.InRange(off, population - KolmogorovSmirnov.DkwBound(n, alpha), population + KolmogorovSmirnov.DkwBound(n, alpha));
    }

    [Fact]
    public void KsTakesTheWorstCoordinateAndHandlesTies()
    {
        var a = Batch.FromRows([[0.0, 1.0], [1.0, 1.0], [2.0, 1.0], [3.0, 1.0]]);
        var b = Batch.FromRows([[0.0, 5.0], [1.0, 5.0], [2.0, 5.0], [3.0, 5.0]]);
        Assert.Equal(1.0, new KolmogorovSmirnov().Compute(a, b));
        Assert.Equal(0.0, KolmogorovSmirnov.TwoSample(a, b, 0));
        // One-sample by hand against U(0, 1): {0.2, 0.9} -> max(0.2, 0.5 - 0.2, 0.9 - 0.5, 1 - 0.9) = 0.4.
        Assert.Equal(0.4, KolmogorovSmirnov.OneSample(Batch.FromRows([[0.2], [0.9]]), 0, v => v), 1e-15);
    }

    // Gaussian RBF expectation: E exp(-|X - Y|^2 / (2 h^2)) for X - Y ~ N(delta, s^2 I_D) is
    // (h^2 / (h^2 + s^2))^(D/2) exp(-|delta|^2 / (2 (h^2 + s^2))).
    private static double RbfExpectation(double h, double s2, double delta2, int d) =>
        Math.Pow(h * h / (h * h + s2), d / 2.0) * Math.Exp(-delta2 / (2 * (h * h + s2)));

    [Fact]
    public void MmdIsUnbiasedForShiftedGaussians()
    {
        // X ~ N(0, I), Y ~ N(delta e_1, I) in 2-D: MMD^2 = sum_h [2 E k(X,X') - 2 E k(X,Y)], X - X' ~ N(0, 2I).
        const int d = 2;
        const double delta = 0.5;
        var mmd = new MaximumMeanDiscrepancy([0.5, 1.0, 2.0], maxSamples: 50);
        var truth = mmd.Bandwidths.Sum(h => 2 * RbfExpectation(h, 2, 0, d) - 2 * RbfExpectation(h, 2, delta * delta, d));
        // R independent estimates at n = 50; the unbiased estimator's mean is within 6 standard errors sd/sqrt(R) of
        // the truth (R = 400: nearly normal, P(|Z| > 6) = 2e-9). Same under the null (truth 0). Small n and many
        // repeats make the test sensitive to an O(1/n) bias (a biased V-statistic fails it).
        const int r = 400;
        foreach (var (shift, expected) in new[] { (delta, truth), (0.0, 0.0) })
        {
            var values = new double[r];
            for (var k = 0; k < r; k++) values[k] = mmd.Compute(Gaussian(50, d, shift, (ulong)(100 + 2 * k)), Gaussian(50, d, 0, (ulong)(101 + 2 * k)));
            var mean = values.Average();
            var sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (r - 1));
            Assert.True(Math.Abs(mean - expected) <= 6 * sd / Math.Sqrt(r), $"shift {shift}: mean {mean} vs {expected} (sd {sd})");
        }
    }

    [Fact]
    public void EnergyDistanceIsUnbiasedForShiftedGaussians()
    {
        // 1-D: E|Z| for Z ~ N(mu, s^2) is s sqrt(2/pi) exp(-mu^2 / (2 s^2)) + mu (1 - 2 Phi(-mu / s)).
        static double AbsMean(double mu, double s) => s * Math.Sqrt(2 / Math.PI) * Math.Exp(-mu * mu / (2 * s * s)) + mu * (1 - 2 * Normal.CDF(0, 1, -mu / s));
        var energy = new EnergyDistance(maxSamples: 50);
        const double delta = 0.5;
        var truth = 2 * AbsMean(delta, Math.Sqrt(2)) - 2 * AbsMean(0, Math.Sqrt(2));
        const int r = 400; // as for MMD: n = 50, 6 standard errors of the mean of R estimates

        foreach (var (shift, expected) in new[] { (delta, truth), (0.0, 0.0) })
        {
            var values = new double[r];
            for (var k = 0; k < r; k++) values[k] = energy.Compute(Normal1D(50, shift, 1, (ulong)(200 + 2 * k)), Normal1D(50, 0, 1, (ulong)(201 + 2 * k)));
            var mean = values.Average();
            var sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (r - 1));
            Assert.True(Math.Abs(mean - expected) <= 6 * sd / Math.Sqrt(r), $"shift {shift}: mean {mean} vs {expected} (sd {sd})");
        }
    }

    [Fact]
    public void MeanAndCovarianceErrorsOnKnownCases()
    {
        var x = Gaussian(1000, 3, 0, 21);
        var shifted = x.Clone();
        var scaled = x.Clone();
        for (var i = 0; i < x.Count; i++)
        {
            shifted[i, 0] += 3; shifted[i, 2] -= 4;
            for (var k = 0; k < 3; k++) scaled[i, k] *= 2;
        }
        Assert.Equal(5.0, new MeanError().Compute(shifted, x), 1e-12);
        Assert.Equal(0.0, new CovarianceError().Compute(shifted, x), 1e-12);
        // Cov(2X) - Cov(X) = 3 Cov(X): error = 3 ||Cov(X)||_F.
        var cov = SampleMoments.Covariance(x);
        Assert.Equal(3 * Math.Sqrt(cov.Sum(v => v * v)), new CovarianceError().Compute(scaled, x), 1e-10);
    }

    [Fact]
    public void DefaultRegistryHasTheDocumentedMetrics()
    {
        var r = MetricRegistry.CreateDefault();
        Assert.Equal(["sliced_w2", "mmd", "energy", "mean_error", "cov_error", "ks"], r.Names);
        foreach (var name in r.Names) Assert.Equal(name, r.Create(name).Name);
        Assert.Throws<UnknownNameException>("name", () => r.Create("w2"));
        Assert.Equal(256, ((SlicedWasserstein)r.Create("sliced_w2", new Dictionary<string, double> { ["projections"] = 256 })).Projections);
    }

    [Fact]
    public void MetricsRejectBadInput()
    {
        var good = Gaussian(10, 2, 0, 1);
        var bad = good.Clone();
        bad[3, 1] = double.NaN;
        foreach (var name in MetricRegistry.CreateDefault().Names)
        {
            var metric = MetricRegistry.CreateDefault().Create(name);
            Assert.Throws<ArgumentException>("samples", () => metric.Compute(bad, good));
            Assert.Throws<ArgumentException>("reference", () => metric.Compute(good, Gaussian(10, 3, 0, 1)));
        }
        Assert.Throws<ArgumentException>("bandwidths", () => new MaximumMeanDiscrepancy([1.0, -1.0]));
        Assert.Throws<ArgumentOutOfRangeException>("projections", () => new SlicedWasserstein(0));
    }
}
