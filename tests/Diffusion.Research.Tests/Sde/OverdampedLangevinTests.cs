using Diffusion.Research.Data;
using Diffusion.Research.Numerics;
using Diffusion.Research.Sde;

namespace Diffusion.Research.Tests.Sde;

public class OverdampedLangevinTests
{
    // 001 eqs 95–101 (Roberts and Tweedie 1996): dx = ½∇log p dt + dB has stationary law p. For p = N(m, v) in 1-D the EM chain
    // x ← x + (h/2)(m − x)/v + √h z is linear; its stationary variance is h / (1 − (1 − h/(2v))²) and its mean m
    // (the EM bias, computed exactly here). Started far away at x = m + 4, after time 10 (e^{−5} of the start remains in
    // the mean, ≈ 0.03) the sample mean and variance over N = 10,000 chains must match within that bias plus 5 SE.
    [Fact]
    public void LangevinRelaxesToTheTarget()
    {
        const int n = 10_000;
        const double m = 0.5, v = 1.0, h = 0.05, horizon = 10;
        var target = Gaussian.Isotropic(new[] { m }, v);
        var sde = new OverdampedLangevinSde(target, horizon);
        Assert.Null(sde.Kernel);
        Assert.Same(target, sde.Prior(1));
        Assert.Throws<ArgumentException>(() => sde.Prior(2));
        var x = new Batch(n, 1);
        x.Values.Fill(m + 4);
        var drift = new Batch(n, 1);
        var z = new Batch(n, 1);
        var noise = new NoiseSource(77);
        var steps = (int)(horizon / h);
        double mean = m + 4, variance = 0;
        for (var k = 0; k < steps; k++)
        {
            sde.Drift(k * h, x, drift);
            noise.FillGaussian((uint)k, 0, z);
            var g = sde.Diffusion(k * h) * Math.Sqrt(h);
            for (var i = 0; i < n; i++) x.Values[i] += h * drift.Values[i] + g * z.Values[i];
            var c = 1 - h / (2 * v);
            mean = m + c * (mean - m);
            variance = c * c * variance + h;
        }
        var sampleMean = x.Values.ToArray().Average();
        var sampleVar = x.Values.ToArray().Sum(u => (u - sampleMean) * (u - sampleMean)) / (n - 1);
        var stationary = h / (1 - Math.Pow(1 - h / (2 * v), 2));
        Assert.True(Math.Abs(stationary - v) < 0.02 * v, "EM bias at this h is below 2%");
        Assert.True(Math.Abs(sampleMean - m) < Math.Abs(mean - m) + 5 * Math.Sqrt(variance / n), $"mean {sampleMean}");
        Assert.True(Math.Abs(sampleVar - v) < Math.Abs(variance - v) + 5 * variance * Math.Sqrt(2.0 / (n - 1)), $"variance {sampleVar}");
    }
}
