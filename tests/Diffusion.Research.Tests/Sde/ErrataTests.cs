using Diffusion.Research.Kernels;
using Diffusion.Research.Sde;

namespace Diffusion.Research.Tests.Sde;

/// <summary>The tests behind docs/errata.md entries 1, 3, 15 and 20.</summary>
public class ErrataTests
{
    // 001 eqs 44/46 (correct form: Ho et al. 2020, eq (4)) write α_t = ∏_{i=1}^{T} sqrt(1 − β_t) and σ_t² = 1 − α_t. The
    // exact moments
    // of the chain
    // x_t = sqrt(1 − β_t) x_{t−1} + sqrt(β_t) ε (001 eq 43; Ho et al. 2020, eq (2)) are mean ∏_{i≤t} sqrt(1 − β_i) x0 and
    // variance 1 − α_t².
    [Fact]
    public void DdpmChainVarianceIsOneMinusAlphaSquared()
    {
        const int steps = 1000;
        double mean = 1, variance = 0, alpha = 1;
        for (var i = 1; i <= steps; i++)
        {
            var beta = 1e-4 + (0.02 - 1e-4) * (i - 1) / (steps - 1);
            mean *= Math.Sqrt(1 - beta);
            variance = (1 - beta) * variance + beta;
            alpha *= Math.Sqrt(1 - beta); // product up to t, not T
            if (i == 100)
            {
                Assert.Equal(1 - alpha * alpha, variance, 1e-14);
                Assert.True(Math.Abs(variance - (1 - alpha)) > 0.05, "1 − α_t is not the variance");
                Assert.Equal(alpha, mean, 1e-15);
            }
        }
    }

    // 000 and 001 eq 68 use σ_t² ≈ σ(t)² for VE; the moment ODE of dx = sqrt(dσ²/dt) dW gives σ(t)² − σ(0)² (001 eq 67;
    // Song et al. 2021, eq (29)).
    [Fact]
    public void VeKernelVarianceIsSigmaSquaredMinusSigmaMinSquared()
    {
        var ve = new VeSde(0.5, 10);
        var ode = MomentOdeKernel.Of(ve);
        foreach (var t in new[] { 0.01, 0.1, 0.5, 1.0 })
        {
            var exact = ve.NoiseScale(t) * ve.NoiseScale(t) - 0.25;
            Assert.Equal(exact, ode.Sigma(t) * ode.Sigma(t), 1e-9 * exact);
            Assert.Equal(exact, ve.Sigma(t) * ve.Sigma(t), 1e-12 * exact);
            Assert.True(Math.Abs(ode.Sigma(t) * ode.Sigma(t) - ve.NoiseScale(t) * ve.NoiseScale(t)) > 0.2);
        }
    }

    // 000 calls β_t = β_1/2 (1 + cos((t−1)/(T−1) π)) "cosine": that β DEcreases from β_1 to 0, whereas the cosine schedule of
    // Nichol & Dhariwal defines ᾱ_t = f(t)/f(0), f = cos²((t/T + s)/(1 + s) π/2), whose β_t = 1 − ᾱ_t/ᾱ_{t−1} INcreases.
    [Fact]
    public void CosineScheduleIsNicholDhariwalNotTheOneIn000()
    {
        const int T = 1000;
        const double s = 0.008;
        double F(double t) => Math.Pow(Math.Cos((t / T + s) / (1 + s) * Math.PI / 2), 2);
        double Nd(int t) => 1 - F(t) / F(t - 1);
        double Doc(int t) => 0.02 / 2 * (1 + Math.Cos((t - 1.0) / (T - 1) * Math.PI));
        Assert.True(Nd(10) < Nd(500) && Nd(500) < Nd(990));
        Assert.True(Doc(10) > Doc(500) && Doc(500) > Doc(990));
        // our continuous schedule reproduces ᾱ(t) = f(t)/f(0) exactly before the clip
        var vp = VpSde.Cosine(s, 999);
        foreach (var t in new[] { 0.001, 0.1, 0.5, 0.9, 0.99 })
        {
            var alphaBar = F(t * T) / F(0);
            Assert.Equal(alphaBar, vp.Alpha(t) * vp.Alpha(t), 1e-13);
            Assert.Equal(1 - alphaBar, vp.Sigma(t) * vp.Sigma(t), 1e-13);
        }
    }

    // 002 states p_∞(x) ∝ exp(−‖x‖²/(2σ²)) for dX = −θX dt + σ dB; the moment ODE dv/dt = −2θ v + σ² gives v_∞ = σ²/(2θ)
    // (Uhlenbeck and Ornstein 1930).
    [Fact]
    public void OuStationaryVarianceIsSigmaSquaredOverTwoTheta()
    {
        const double theta = 2.0, s = 1.5;
        var ode = new MomentOdeKernel(_ => -theta, _ => s, 20.0);
        var v = ode.Sigma(20.0) * ode.Sigma(20.0);
        Assert.Equal(s * s / (2 * theta), v, 1e-10);
        Assert.True(Math.Abs(v - s * s) > 1);
    }
}
