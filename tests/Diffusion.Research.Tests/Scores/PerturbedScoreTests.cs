using Diffusion.Research.Numerics;
using Diffusion.Research.Scores;

namespace Diffusion.Research.Tests.Scores;

public class PerturbedScoreTests
{
    private static readonly AffineScoreField Exact = new(new[,] { { -1.0, 0.2 }, { 0.0, -2.0 } }, new[] { 0.5, -0.3 });

    private static double MeanSquaredError(PerturbedScore p, Batch x, double t)
    {
        var a = new Batch(x.Count, x.Dimension);
        var b = new Batch(x.Count, x.Dimension);
        p.Score(t, x, a);
        Exact.Score(t, x, b);
        var sum = 0.0;
        for (var i = 0; i < a.Values.Length; i++) sum += Math.Pow(a.Values[i] - b.Values[i], 2);
        return sum / x.Count;
    }

    [Fact]
    public void ErrorHasTheRequestedRmsSize()
    {
        // For x ~ N(0, s² I) with s = 20 the phases w_m·x + b_m are nearly uniform and independent, so E_x‖u‖² = 1 up to
        // terms ∝ exp(−2 s² ‖w_m‖²) and exp(−s² ‖w_m ± w_n‖²/2), each at most 1/M; we allow 0.05 for them (M = 64) plus
        // five standard errors of the sample mean of ‖e‖²/ε² over N = 8,000 points (SE computed from the sample).
        const int n = 8_000;
        var x = new Batch(n, 2);
        new NoiseSource(8).FillGaussian(0, 0, x);
        System.Numerics.Tensors.TensorPrimitives.Multiply(x.Values, 20.0, x.Values);
        foreach (var seed in new ulong[] { 1, 2, 3 })
        {
            var p = new PerturbedScore(Exact, 0.1, 2, seed, PerturbationKind.Absolute, features: 64);
            var a = new Batch(n, 2);
            var b = new Batch(n, 2);
            p.Score(0.3, x, a);
            Exact.Score(0.3, x, b);
            var r = new double[n];
            for (var i = 0; i < n; i++)
                r[i] = (Math.Pow(a[i, 0] - b[i, 0], 2) + Math.Pow(a[i, 1] - b[i, 1], 2)) / (0.1 * 0.1);
            var mean = r.Average();
            var se = Math.Sqrt(r.Sum(v => (v - mean) * (v - mean)) / (n - 1) / n);
            Assert.True(Math.Abs(mean - 1) < 0.05 + 5 * se, $"seed {seed}: mean ‖u‖² = {mean}, SE {se}");
        }
        Assert.Equal(0.0, MeanSquaredError(new PerturbedScore(Exact, 0.0, 2, 1), x, 0.3));
    }

    [Fact]
    public void RelativeErrorScalesWithTheScoreAndIsSmoothAndDeterministic()
    {
        var x = Batch.FromRows(new[] { new[] { 3.0, 1.0 } });
        var p = new PerturbedScore(Exact, 0.05, 2, 7, PerturbationKind.Relative);
        var s = new Batch(1, 2);
        var e = new Batch(1, 2);
        p.Score(0.2, x, s);
        Exact.Score(0.2, x, e);
        var err = Math.Sqrt(Math.Pow(s[0, 0] - e[0, 0], 2) + Math.Pow(s[0, 1] - e[0, 1], 2));
        var norm = Math.Sqrt(e[0, 0] * e[0, 0] + e[0, 1] * e[0, 1]);
        Assert.True(err < 0.05 * norm * Math.Sqrt(2 * 16), "relative error bounded by ε‖s‖ sqrt(2M)");
        Assert.True(err > 0);
        // same seed, same field
        var q = new PerturbedScore(Exact, 0.05, 2, 7, PerturbationKind.Relative);
        var s2 = new Batch(1, 2);
        q.Score(0.2, x, s2);
        Assert.Equal(s.ToArray(), s2.ToArray());
        // smooth: a tiny move changes the output by O(move)
        var x2 = Batch.FromRows(new[] { new[] { 3.0 + 1e-7, 1.0 } });
        q.Score(0.2, x2, s2);
        Assert.True(Math.Abs(s2[0, 0] - s[0, 0]) < 1e-5);
        Assert.Throws<ArgumentOutOfRangeException>(() => new PerturbedScore(Exact, -1, 2, 1));
        foreach (var bad in new[] { -0.1, double.NaN, double.PositiveInfinity })
        {
            var refused = Assert.Throws<ArgumentOutOfRangeException>("epsilon", () => new PerturbedScore(Exact, bad, 2, 1));
            Assert.StartsWith("Must be finite and >= 0.", refused.Message, StringComparison.Ordinal);
        }
        Assert.Throws<ArgumentOutOfRangeException>("lengthScale", () => new PerturbedScore(Exact, 0.1, 2, 1, lengthScale: 0));
        Assert.Throws<ArgumentOutOfRangeException>("features", () => new PerturbedScore(Exact, 0.1, 2, 1, features: 0));
        Assert.Throws<ArgumentNullException>("exact", () => new PerturbedScore(null!, 0.1, 2, 1));
        Assert.StartsWith("Unknown perturbation kind.",
            Assert.Throws<ArgumentOutOfRangeException>("kind", () => new PerturbedScore(Exact, 0.1, 2, 1, (PerturbationKind)7)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => p.Score(0, new Batch(1, 3), new Batch(1, 3)));
    }
}
