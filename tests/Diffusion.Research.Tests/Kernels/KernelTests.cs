using Diffusion.Research.Kernels;
using Diffusion.Research.Numerics;
using Diffusion.Research.Sde;
using Diffusion.Research.Tests.Sde;

namespace Diffusion.Research.Tests.Kernels;

public class KernelTests
{
    [Theory]
    [MemberData(nameof(BuiltInSdes.Names), MemberType = typeof(BuiltInSdes))]
    public void LogSnrInversesRoundTrip(string name)
    {
        var sde = BuiltInSdes.Get(name);
        var k = sde.Kernel!;
        var start = 1e-4 * sde.T;
        foreach (var frac in new[] { 1e-4, 0.001, 0.1, 0.37, 0.5, 0.9, 1.0 })
        {
            var t = frac * sde.T;
            var lambda = k.LogSnr(t);
            var back = k.TimeAtLogSnr(lambda, start, sde.T);
            Assert.True(Math.Abs(back - t) <= 1e-12 * sde.T + 1e-10 * t, $"{name}: t = {t}, back {back}");
            var ratio = k.Sigma(t) / k.Alpha(t);
            Assert.True(Math.Abs(k.TimeAtSigmaRatio(ratio, start, sde.T) - t) <= 1e-12 * sde.T + 1e-10 * t);
        }
        Assert.Equal(double.PositiveInfinity, k.LogSnr(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => k.TimeAtLogSnr(k.LogSnr(sde.T) - 1, start, sde.T));
        Assert.Throws<ArgumentOutOfRangeException>(() => k.TimeAtSigmaRatio(-1, start, sde.T));
        Assert.Equal(k.Alpha(0.5 * sde.T) * k.Alpha(0.5 * sde.T) / Math.Pow(k.Sigma(0.5 * sde.T), 2), k.Snr(0.5 * sde.T), 1e-12);
    }

    // 003 Lemma 4.4.2 (Kingma et al. 2021) against plain Gaussian conditioning of the joint law of (x_s, x_t) given x_0:
    // Cov(x_s, x_t) = α_{t|s} σ_s², so E[x_s | x_t, x_0] = α_s x_0 + α_{t|s} σ_s²/σ_t² (x_t − α_t x_0), Var = σ_s² − α_{t|s}² σ_s⁴/σ_t².
    [Theory]
    [MemberData(nameof(BuiltInSdes.Names), MemberType = typeof(BuiltInSdes))]
    public void PosteriorMatchesGaussianConditioning(string name)
    {
        var sde = BuiltInSdes.Get(name);
        var k = sde.Kernel!;
        double s = 0.3 * sde.T, t = 0.7 * sde.T;
        var post = k.Posterior(s, t);
        double aS = k.Alpha(s), aT = k.Alpha(t), sS = k.Sigma(s), sT = k.Sigma(t);
        var aTs = aT / aS;
        var c = aTs * sS * sS / (sT * sT);
        Assert.Equal(c, post.NoisyWeight, 1e-12);
        Assert.Equal(aS - c * aT, post.DataWeight, 1e-12);
        Assert.Equal(sS * sS - aTs * aTs * Math.Pow(sS, 4) / (sT * sT), post.Variance, 1e-12);
        // between-time kernel composes with the kernel at s to the kernel at t (003 Eq 4.4.5; Kingma et al. 2021)
        var between = k.Between(s, t);
        Assert.Equal(aT, between.Alpha * aS, 1e-14);
        Assert.Equal(sT * sT, between.Variance + between.Alpha * between.Alpha * sS * sS, 1e-12);
        Assert.Throws<ArgumentException>(() => k.Between(t, s));
        Assert.Throws<ArgumentException>(() => k.Posterior(t, t));
    }

    /// <summary>The fixed-time kernel's σ² and SNR α²/σ² at generic α, σ (neither 0 nor 1, where σ² = σ and σ/σ = 1).</summary>
    [Fact]
    public void TransitionKernelVarianceAndSnr()
    {
        var k = new TransitionKernel(0.6, 0.8);
        Assert.Equal(0.64, k.Variance, 1e-15);
        Assert.Equal(0.36 / 0.64, k.Snr, 1e-15);
    }

    [Fact]
    public void PosteriorSamplesHaveTheKernelMarginal()
    {
        // x_t ~ p(x_t|x0), then x_s ~ p(x_s|x_t, x0) must be distributed as p(x_s|x0) = N(α_s x0, σ_s²).
        // Threshold: 5 standard errors of the mean and of the sample variance at N (Gaussian).
        var k = VpSde.Linear();
        const int n = 40_000;
        double s = 0.2, t = 0.6, x0 = 0.8;
        var data = new Batch(n, 1);
        data.Values.Fill(x0);
        var xt = new Batch(n, 1);
        var xs = new Batch(n, 1);
        var noise = new NoiseSource(11);
        k.At(t).Sample(data, noise, 0, 0, xt);
        k.Posterior(s, t).Sample(xt, data, noise, 1, 0, xs);
        double mean = xs.Values.ToArray().Average();
        double variance = xs.Values.ToArray().Sum(v => (v - mean) * (v - mean)) / (n - 1);
        double m = k.Alpha(s) * x0, v = k.Sigma(s) * k.Sigma(s);
        Assert.True(Math.Abs(mean - m) < 5 * Math.Sqrt(v / n), $"mean {mean} vs {m}");
        Assert.True(Math.Abs(variance - v) < 5 * v * Math.Sqrt(2.0 / (n - 1)), $"variance {variance} vs {v}");
    }

    [Fact]
    public void TransitionKernelDensityScoreAndSampling()
    {
        var kernel = new TransitionKernel(0.6, 0.5);
        var x0 = Batch.FromRows(new[] { new[] { 1.0, -1.0 }, new[] { 0.0, 2.0 } });
        var xt = Batch.FromRows(new[] { new[] { 0.5, 0.1 }, new[] { -0.3, 1.0 } });
        Span<double> lp = stackalloc double[2];
        kernel.LogDensity(x0, xt, lp);
        var r2 = Math.Pow(0.5 - 0.6, 2) + Math.Pow(0.1 + 0.6, 2);
        Assert.Equal(-Math.Log(2 * Math.PI * 0.25) - 0.5 * r2 / 0.25, lp[0], 1e-14);
        // conditional score = FD gradient of the log-density in x_t (001 eq 17; Vincent 2011; Song and Ermon 2019, §4.2)
        var score = new Batch(2, 2);
        kernel.Score(x0, xt, score);
        const double h = 1e-6;
        Span<double> up = stackalloc double[2];
        Span<double> dn = stackalloc double[2];
        for (var d = 0; d < 2; d++)
        {
            var plus = xt.Clone(); var minus = xt.Clone();
            plus[0, d] += h; minus[0, d] -= h;
            kernel.LogDensity(x0, plus, up);
            kernel.LogDensity(x0, minus, dn);
            Assert.Equal((up[0] - dn[0]) / (2 * h), score[0, d], 1e-7);
        }
        // sampling with keyed noise equals Apply with the same ε, whatever the batch split
        var noise = new NoiseSource(3);
        var eps = new Batch(2, 2);
        noise.FillGaussian(4, 0, eps);
        var a = new Batch(2, 2);
        var b = new Batch(2, 2);
        kernel.Apply(x0, eps, a);
        kernel.Sample(x0, noise, 4, 0, b);
        Assert.Equal(a.ToArray(), b.ToArray());
        var c = new Batch(1, 2);
        kernel.Sample(x0.Slice(1, 1), noise, 4, 1, c);
        Assert.Equal(b.Slice(1, 1).ToArray(), c.ToArray());
        Assert.Throws<InvalidOperationException>(() => new TransitionKernel(1, 0).Score(x0, xt, score));
        Assert.Throws<ArgumentException>(() => kernel.Score(x0, new Batch(3, 2), score));
    }

    [Fact]
    public void SmallTimeKernelsKeepFullPrecision()
    {
        // σ_t² = 1 − e^{−B} with B ≈ β_min t: naive evaluation loses ~half the digits at t = 1e-8.
        var vp = VpSde.Linear();
        const double t = 1e-8;
        var b = 0.1 * t + 0.5 * 19.9 * t * t;
        var exact = b - b * b / 2; // Taylor, exact to 1e-25
        Assert.Equal(1.0, vp.Sigma(t) * vp.Sigma(t) / exact, 1e-14);
        var ve = new VeSde(0.01, 10);
        var twoLogR = 2 * Math.Log(1000);
        Assert.Equal(1.0, ve.Sigma(1e-10) / (0.01 * Math.Sqrt(twoLogR * 1e-10)), 1e-9);
    }
}
