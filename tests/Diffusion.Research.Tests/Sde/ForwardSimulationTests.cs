using Diffusion.Research.Numerics;
using Diffusion.Research.Sde;

namespace Diffusion.Research.Tests.Sde;

/// <summary>
/// Euler–Maruyama simulation of the forward SDE (written here: the solver zoo is another branch) against the
/// kernel mean α_t x0 and variance σ_t². For a linear SDE the EM chain is Gaussian with moments given exactly by
/// m_{k+1} = (1 + f_k h) m_k, v_{k+1} = (1 + f_k h)² v_k + g_k² h, so the allowed error is
///   |EM bias| (computed from that recursion) + 5 standard errors,
/// with SE(mean) = sqrt(v/N) and SE(sample variance) = v sqrt(2/(N − 1)) (Gaussian). Five SE: a false alarm
/// has probability below 6e-7 per check. The bias itself is asserted below 2% so the test is not vacuous.
/// </summary>
public class ForwardSimulationTests
{
    private const int N = 10_000;
    private const int Steps = 400;
    private const double X0 = 1.5;

    [Theory]
    [InlineData("ve", 1.0)]
    [InlineData("vp", 1.0)]
    [InlineData("vp-cosine", 0.9)]
    [InlineData("subvp", 1.0)]
    [InlineData("flow-matching", 0.9)] // f = −1/(1 − t): EM needs |f| h < 2, so stop at 0.9 T
    [InlineData("ou", 1.0)]
    [InlineData("affine-fd", 1.0)]
    public void EulerMaruyamaMatchesKernelMoments(string name, double fractionOfT)
    {
        var sde = BuiltInSdes.Get(name);
        var tEnd = fractionOfT * sde.T;
        var h = tEnd / Steps;
        var x = new Batch(N, 1);
        x.Values.Fill(X0);
        var z = new Batch(N, 1);
        var drift = new Batch(N, 1);
        var noise = new NoiseSource(20261123).Derive(7);
        double m = X0, v = 0;
        for (var k = 0; k < Steps; k++)
        {
            var t = k * h;
            var g = sde.Diffusion(t);
            var f = sde.DriftCoefficient(t);
            sde.Drift(t, x, drift);
            noise.FillGaussian((uint)k, 0, z);
            var xs = x.Values; var ds = drift.Values; var zs = z.Values;
            var sq = Math.Sqrt(h) * g;
            for (var i = 0; i < xs.Length; i++) xs[i] += ds[i] * h + sq * zs[i];
            m *= 1 + f * h;
            v = (1 + f * h) * (1 + f * h) * v + g * g * h;
        }
        double mean = 0, sq2 = 0;
        foreach (var xi in x.Values) mean += xi;
        mean /= N;
        foreach (var xi in x.Values) sq2 += (xi - mean) * (xi - mean);
        var variance = sq2 / (N - 1);

        var kernel = sde.Kernel!;
        var mK = kernel.Alpha(tEnd) * X0;
        var vK = kernel.Sigma(tEnd) * kernel.Sigma(tEnd);
        Assert.True(Math.Abs(v - vK) < 0.02 * vK, $"{name}: EM variance bias {v - vK} is not small; the test would be vacuous");
        var meanTol = Math.Abs(m - mK) + 5 * Math.Sqrt(v / N);
        var varTol = Math.Abs(v - vK) + 5 * v * Math.Sqrt(2.0 / (N - 1));
        Assert.True(Math.Abs(mean - mK) < meanTol, $"{name}: mean {mean}, kernel {mK}, allowed {meanTol}");
        Assert.True(Math.Abs(variance - vK) < varTol, $"{name}: variance {variance}, kernel {vK}, allowed {varTol}");
    }
}
