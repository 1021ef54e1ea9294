using Diffusion.Research.Sde;

namespace Diffusion.Research.Tests.Sde;

/// <summary>Discrete DDPM schedules, zero-terminal-SNR rescaling, timestep spacings and the continuous-time correspondence.</summary>
public class DiscreteScheduleTests
{
    [Fact]
    public void LinearScheduleIsHoEtAlsAndItsCumulativeProductMatchesTheLinearVpSdeToFirstOrder()
    {
        var s = DiscreteBetaSchedule.Linear();
        Assert.Equal(1e-4, s.Betas[0], 1e-18);
        Assert.Equal(0.02, s.Betas[999], 1e-15);
        Assert.Equal(1e-4 + (0.02 - 1e-4) * 417 / 999, s.Betas[417], 1e-15);
        var product = 1.0;
        for (var i = 0; i <= 417; i++) product *= 1 - s.Betas[i];
        Assert.Equal(product, s.AlphasCumprod[417], 1e-14);
        // Continuous limit: linear VP with beta_min = N beta_start = 0.1, beta_max = N beta_end = 20 (Song et al. 2021 §B):
        // log ᾱ_i = Σ log(1 − β_j) ≈ −∫ β, equal to O(1/N) in relative terms.
        var vp = VpSde.Linear(0.1, 20);
        var t = s.TimeOf(417);
        Assert.Equal(vp.Alpha(t) * vp.Alpha(t), s.AlphasCumprod[417], 2e-3);
    }

    [Fact]
    public void ScaledLinearAndSquaredCosineFollowTheirFormulas()
    {
        var sl = DiscreteBetaSchedule.ScaledLinear(500, 0.0009, 0.014);
        Assert.Equal(Math.Sqrt(0.0009) + (Math.Sqrt(0.014) - Math.Sqrt(0.0009)) * 123 / 499, Math.Sqrt(sl.Betas[123]), 1e-15);
        var cos = DiscreteBetaSchedule.SquaredCosine(1000, 0.008);
        double F(double i) => Math.Pow(Math.Cos((i / 1000 + 0.008) / 1.008 * Math.PI / 2), 2);
        Assert.Equal(1 - F(301) / F(300), cos.Betas[300], 1e-15);
        Assert.Equal(F(301) / F(0), cos.AlphasCumprod[300], 1e-12); // the product telescopes (Nichol & Dhariwal eq 17)
        Assert.Equal(0.999, cos.Betas[999]); // clipped (§3.2)
    }

    [Fact]
    public void ZeroTerminalSnrRescalingEndsAtAlphaZeroAndKeepsTheFirstStep()
    {
        var s = DiscreteBetaSchedule.ScaledLinear();
        var z = s.RescaledToZeroTerminalSnr();
        Assert.Equal(0.0, z.AlphasCumprod[999], 1e-15);
        Assert.Equal(s.AlphasCumprod[0], z.AlphasCumprod[0], 1e-15);
        // sqrt(ᾱ) is an affine image of the original (Lin et al. 2024 Alg. 1)
        double Root(DiscreteBetaSchedule x, int i) => Math.Sqrt(x.AlphasCumprod[i]);
        var slope = (Root(z, 0) - Root(z, 999)) / (Root(s, 0) - Root(s, 999));
        Assert.Equal(Root(z, 0) + slope * (Root(s, 600) - Root(s, 0)), Root(z, 600), 1e-12);
        Assert.Throws<ArgumentException>(() => new DiscreteTimeKernel(z));
    }

    [Fact]
    public void TimestepSpacingsAreThoseOfLinEtAlTable2()
    {
        var s = DiscreteBetaSchedule.Linear();
        Assert.Equal([900, 800, 700, 600, 500, 400, 300, 200, 100, 0], s.Timesteps(10, TimestepSpacing.Leading));
        Assert.Equal([901, 801, 701, 601, 501, 401, 301, 201, 101, 1], s.Timesteps(10, TimestepSpacing.Leading, offset: 1));
        Assert.Equal([999, 899, 799, 699, 599, 499, 399, 299, 199, 99], s.Timesteps(10, TimestepSpacing.Trailing));
        Assert.Equal([999, 888, 777, 666, 555, 444, 333, 222, 111, 0], s.Timesteps(10, TimestepSpacing.Linspace));
        Assert.Equal([999, 666, 333, 0], s.Timesteps(4, TimestepSpacing.Linspace)); // round(333.0, 666.0)
        Assert.Throws<ArgumentOutOfRangeException>(() => s.Timesteps(10, TimestepSpacing.Leading, offset: 100));
    }

    [Fact]
    public void TheDiscreteTimeKernelHitsAlphaBarAtTheKnotsAndInterpolatesLogAlpha()
    {
        var s = DiscreteBetaSchedule.SquaredCosine(200);
        var k = new DiscreteTimeKernel(DiscreteBetaSchedule.Linear(200, 2e-4, 0.05));
        var lin = k.Schedule;
        for (var i = 0; i < 200; i += 37) Assert.Equal(lin.AlphasCumprod[i], Math.Pow(k.Alpha(lin.TimeOf(i)), 2), 1e-13);
        var mid = 0.5 * (lin.TimeOf(10) + lin.TimeOf(11));
        Assert.Equal(0.25 * (Math.Log(lin.AlphasCumprod[10]) + Math.Log(lin.AlphasCumprod[11])), Math.Log(k.Alpha(mid)), 1e-13);
        Assert.Equal(1, Math.Pow(k.Alpha(0.37), 2) + Math.Pow(k.Sigma(0.37), 2), 1e-14);
        Assert.Throws<ArgumentOutOfRangeException>(() => k.Alpha(0.001));
        Assert.NotNull(s);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1001)]
    public void Timesteps_outside_one_to_N_are_refused_with_the_range(int steps)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>("steps", () => DiscreteBetaSchedule.Linear().Timesteps(steps, TimestepSpacing.Leading));
        Assert.StartsWith("Need 1 <= steps <= N = 1000.", e.Message, StringComparison.Ordinal);
    }
}
