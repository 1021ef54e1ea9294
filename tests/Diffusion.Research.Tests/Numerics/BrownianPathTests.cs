using Diffusion.Research.Numerics;

namespace Diffusion.Research.Tests.Numerics;

public class BrownianPathTests
{
    private static readonly NoiseSource Noise = new(2024);

    [Fact]
    public void IncrementsOverAnyPartitionSumToTheTotal()
    {
        var path = new BrownianPath(Noise, 3, 0.0, 1.0, 2);
        // An irregular, non-dyadic partition (also exercises interpolation between finest nodes).
        double[] times = [0.0, 0.013, 0.1, 0.1000001, 0.37, 0.5, 0.77777, 0.9, 1.0];
        var total = new Batch(50, 2);
        path.Increment(0.0, 1.0, 0, total);
        var sum = new Batch(50, 2);
        var step = new Batch(50, 2);
        for (var k = 0; k + 1 < times.Length; k++)
        {
            path.Increment(times[k], times[k + 1], 0, step);
            for (var i = 0; i < sum.Length; i++) sum.Values[i] += step.Values[i];
        }
        for (var i = 0; i < sum.Length; i++) Assert.Equal(total.Values[i], sum.Values[i], 1e-12);
        var end = new Batch(50, 2);
        path.Value(1.0, 0, end);
        Assert.Equal(end.ToArray(), total.ToArray());
    }

    [Fact]
    public void StepsHAndHalfHSeeTheSamePath()
    {
        // A reverse-time grid from 1 to 0 (the direction samplers use), h = 1/64 and h/2, plus a non-dyadic h.
        var path = new BrownianPath(Noise, 5, 0.0, 1.0, 3);
        foreach (var steps in new[] { 64, 50 })
        {
            var coarse = new Batch(20, 3);
            var fine = new Batch(20, 3);
            var fine2 = new Batch(20, 3);
            var h = 1.0 / steps;
            for (var k = 0; k < steps; k++)
            {
                double t = 1.0 - k * h, next = 1.0 - (k + 1) * h, mid = t - 0.5 * h;
                path.Increment(t, next, 0, coarse);
                path.Increment(t, mid, 0, fine);
                path.Increment(mid, next, 0, fine2);
                for (var i = 0; i < coarse.Length; i++)
                    Assert.Equal(coarse.Values[i], fine.Values[i] + fine2.Values[i], 1e-12);
            }
        }
    }

    [Theory]
    [InlineData(0.0, 1.0)]
    [InlineData(0.25, 0.5)]
    [InlineData(0.3, 0.3001)]
    [InlineData(0.123, 0.789)]
    public void IncrementVarianceIsTheTimeStep(double s, double t)
    {
        // N particles x 2 coordinates = 2N independent N(0, t - s) draws. The sample variance (known mean 0)
        // has standard error (t - s) sqrt(2 / 2N); allow 5 standard errors (P = 5.7e-7).
        const int n = 20_000;
        var path = new BrownianPath(Noise, 7, 0.0, 1.0, 2);
        var dw = new Batch(n, 2);
        path.Increment(s, t, 0, dw);
        var sumSquares = 0.0;
        foreach (var v in dw.Values) sumSquares += v * v;
        var variance = sumSquares / dw.Length;
        var se = (t - s) * Math.Sqrt(2.0 / dw.Length);
        Assert.True(Math.Abs(variance - (t - s)) <= 5 * se, $"variance {variance} vs {t - s} (se {se})");
    }

    [Fact]
    public void DisjointIncrementsAreUncorrelated()
    {
        // Sample correlation of independent variables has standard error 1/sqrt(M); 5/sqrt(M) bound.
        const int n = 20_000;
        var path = new BrownianPath(Noise, 9, 0.0, 2.0, 1);
        (double, double, double, double)[] pairs = [(0.0, 0.5, 0.5, 1.0), (0.1, 0.7, 1.3, 2.0), (0.5, 1.0, 1.0, 1.0 + 1e-3)];
        var a = new Batch(n, 1);
        var b = new Batch(n, 1);
        foreach (var (s0, t0, s1, t1) in pairs)
        {
            path.Increment(s0, t0, 0, a);
            path.Increment(s1, t1, 0, b);
            double sab = 0, saa = 0, sbb = 0;
            for (var i = 0; i < n; i++) { sab += a[i, 0] * b[i, 0]; saa += a[i, 0] * a[i, 0]; sbb += b[i, 0] * b[i, 0]; }
            var correlation = sab / Math.Sqrt(saa * sbb);
            Assert.True(Math.Abs(correlation) <= 5 / Math.Sqrt(n), $"[{s0},{t0}] vs [{s1},{t1}]: correlation {correlation}");
        }
    }

    [Fact]
    public void OverlappingIncrementsHaveTheBrownianCovariance()
    {
        // Cov(W(0.6) - W(0.2), W(0.8) - W(0.4)) = 0.2: a check that the bridge construction gives the right joint law.
        const int n = 40_000;
        var path = new BrownianPath(Noise, 10, 0.0, 1.0, 1);
        var a = new Batch(n, 1);
        var b = new Batch(n, 1);
        path.Increment(0.2, 0.6, 0, a);
        path.Increment(0.4, 0.8, 0, b);
        double sum = 0, sum2 = 0;
        for (var i = 0; i < n; i++) { var p = a[i, 0] * b[i, 0]; sum += p; sum2 += p * p; }
        var cov = sum / n;
        var se = Math.Sqrt((sum2 / n - cov * cov) / n);
        Assert.True(Math.Abs(cov - 0.2) <= 5 * se, $"covariance {cov} (se {se})");
    }

    [Fact]
    public void PathDoesNotDependOnDepthAtCommonDyadicPoints()
    {
        var coarse = new BrownianPath(Noise, 11, -1.0, 3.0, 2, depth: 6);
        var fine = new BrownianPath(Noise, 11, -1.0, 3.0, 2, depth: 24);
        var a = new Batch(10, 2);
        var b = new Batch(10, 2);
        for (var k = 0; k <= 64; k++)
        {
            var t = -1.0 + 4.0 * k / 64;
            coarse.Value(t, 5, a);
            fine.Value(t, 5, b);
            Assert.Equal(a.ToArray(), b.ToArray());
        }
    }

    [Fact]
    public void InterpolatesLinearlyBetweenFinestNodes()
    {
        // Depth 2 on [0, 1]: finest nodes at multiples of 1/4; W(0.3) = 0.8 W(0.25) + 0.2 W(0.5).
        var path = new BrownianPath(Noise, 14, 0.0, 1.0, 2, depth: 2);
        var a = new Batch(5, 2);
        var b = new Batch(5, 2);
        var w = new Batch(5, 2);
        path.Value(0.25, 0, a);
        path.Value(0.5, 0, b);
        path.Value(0.3, 0, w);
        for (var i = 0; i < w.Length; i++) Assert.Equal(0.8 * a.Values[i] + 0.2 * b.Values[i], w.Values[i], 1e-14);
    }

    [Fact]
    public void IsDeterministicAcrossBatchesAndDistinctAcrossStreams()
    {
        var path = new BrownianPath(Noise, 12, 0.0, 1.0, 2);
        var whole = new Batch(100, 2);
        path.Increment(0.1, 0.35, 0, whole);
        var part = new Batch(7, 2);
        path.Increment(0.1, 0.35, 40, part);
        Assert.Equal(whole.Slice(40, 7).ToArray(), part.ToArray());
        var other = new Batch(7, 2);
        new BrownianPath(Noise, 13, 0.0, 1.0, 2).Increment(0.1, 0.35, 40, other);
        Assert.NotEqual(part.ToArray(), other.ToArray());
    }

    [Fact]
    public void RejectsBadInput()
    {
        Assert.Throws<ArgumentOutOfRangeException>("t1", () => new BrownianPath(Noise, 0, 1.0, 1.0, 2));
        Assert.Throws<ArgumentOutOfRangeException>("t0", () => new BrownianPath(Noise, 0, double.NaN, 1.0, 2));
        Assert.Throws<ArgumentOutOfRangeException>("depth", () => new BrownianPath(Noise, 0, 0.0, 1.0, 2, 31));
        Assert.Throws<ArgumentOutOfRangeException>("dimension", () => new BrownianPath(Noise, 0, 0.0, 1.0, 0));
        var path = new BrownianPath(Noise, 0, 0.0, 1.0, 2);
        Assert.Throws<ArgumentOutOfRangeException>("t", () => path.Increment(0.0, 1.5, 0, new Batch(1, 2)));
        Assert.Throws<ArgumentException>("destination", () => path.Value(0.5, 0, new Batch(1, 3)));
    }
}
