using Diffusion.Research.Sde;

namespace Diffusion.Research.Tests.Nn;

/// <summary>Tests that decide the errata recorded in docs/errata.md (entry 2).</summary>
public sealed class ErrataTests
{
    [Fact]
    public void DdpmTypeKernelVarianceIsOneMinusAlphaSquared()
    {
        // 002 "Denoising/Noise-Prediction Interpretation" (Vincent 2011; Ho et al. 2020, eq (14)) writes x_t | x_0 ~ N(α_t
        // x_0, (1 − α_t) I) and
        // x_t = α_t x_0 + √(1 − α_t) ξ for dx = −x/2 dt + dB, α_t = e^(−t/2). The variance v(t) of that SDE solves the
        // moment ODE dv/dt = −v + 1, v(0) = 0 (003 §4.3.3; Särkkä and Solin 2019, §6.1; Song et al. 2021, App. B), so v = 1 −
        // e^(−t) = 1 − α_t² (as the slide's own
        // σ_t² = 1 − e^(−t) says). Central differences of both candidates against the ODE:
        var sde = new OrnsteinUhlenbeckSde(theta: 0.5, noiseScale: 1.0);
        const double h = 1e-5;
        foreach (var t in new[] { 0.1, 0.5, 1.0, 2.0 })
        {
            double Right(double s) => 1 - Math.Exp(-s);           // 1 − α²
            double Wrong(double s) => 1 - Math.Exp(-0.5 * s);     // 1 − α
            var residualRight = (Right(t + h) - Right(t - h)) / (2 * h) - (-Right(t) + 1);
            var residualWrong = (Wrong(t + h) - Wrong(t - h)) / (2 * h) - (-Wrong(t) + 1);
            Assert.True(Math.Abs(residualRight) < 1e-8, $"t = {t}: 1 − α² misses the moment ODE by {residualRight}");
            Assert.True(Math.Abs(residualWrong) > 0.1, $"t = {t}: 1 − α fits the moment ODE ({residualWrong})");
            Assert.Equal(Right(t), sde.Sigma(t) * sde.Sigma(t), 1e-12);
            Assert.Equal(Math.Exp(-0.5 * t), sde.Alpha(t), 1e-12);
        }
    }
}
