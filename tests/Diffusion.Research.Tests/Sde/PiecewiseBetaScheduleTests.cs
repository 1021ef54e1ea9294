using Diffusion.Research.Registries;
using Diffusion.Research.Sde;

namespace Diffusion.Research.Tests.Sde;

/// <summary>
/// The VP SDEs of discrete DDPM schedules (vp-discrete-linear, vp-discrete-scaled-linear, vp-discrete-cosine;
/// <see cref="PiecewiseBetaSchedule"/>) at generic parameters: α_t² = ᾱ_i at the knots t = (i + 1)/N, the kernel of
/// <see cref="DiscreteTimeKernel"/> (dpm_solver_pytorch's discrete schedule) between them, α = 1 at t = 0, β constant on
/// each training step and equal to −N log(1 − β_i) there, B its integral.
/// </summary>
public class PiecewiseBetaScheduleTests
{
    public static TheoryData<string, string> Kinds() => new()
    {
        { "vp-discrete-linear", "steps=37 beta_start=0.0003 beta_end=0.037" },
        { "vp-discrete-scaled-linear", "steps=41 beta_start=0.00085 beta_end=0.052" },
        { "vp-discrete-cosine", "steps=29 s=0.013 max_beta=0.95" },
    };

    private static VpSde Create(string kind, string parameters)
    {
        var given = parameters.Split(' ').Select(p => p.Split('=')).ToDictionary(p => p[0], p => new[] { double.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture) });
        return Assert.IsType<VpSde>(SdeRegistry.CreateDefault().CreateFromLists(kind, given));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void The_kernel_passes_through_every_alpha_bar_and_interpolates_as_the_discrete_time_kernel(string kind, string parameters)
    {
        var sde = Create(kind, parameters);
        var schedule = Assert.IsType<PiecewiseBetaSchedule>(sde.Schedule).Discrete;
        var n = schedule.Count;
        Assert.Equal(1.0, sde.Alpha(0.0));
        Assert.Equal(0.0, sde.Sigma(0.0));
        for (var i = 0; i < n; i++)
        {
            var t = schedule.TimeOf(i);
            var a = sde.Alpha(t);
            Assert.True(Math.Abs(a * a - schedule.AlphasCumprod[i]) <= 1e-14 * schedule.AlphasCumprod[i], $"alpha({t})^2 = {a * a:R}, alpha_bar_{i} = {schedule.AlphasCumprod[i]:R}");
            var s = sde.Sigma(t);
            Assert.True(Math.Abs(s * s - (1 - schedule.AlphasCumprod[i])) <= 1e-14, $"sigma({t})^2 = {s * s:R}");
        }
        var kernel = new DiscreteTimeKernel(schedule);
        foreach (var t in new[] { 1.0 / n + 0.37 / n, 0.2113, 0.5, 0.71, 0.9377, 1.0 - 0.21 / n })
        {
            Assert.True(Math.Abs(sde.Alpha(t) - kernel.Alpha(t)) <= 1e-14 * kernel.Alpha(t), $"alpha({t}): {sde.Alpha(t):R} against {kernel.Alpha(t):R}");
            Assert.True(Math.Abs(sde.Sigma(t) - kernel.Sigma(t)) <= 1e-14, $"sigma({t}): {sde.Sigma(t):R} against {kernel.Sigma(t):R}");
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Beta_is_constant_on_each_training_step_and_integrates_to_minus_log_alpha_bar(string kind, string parameters)
    {
        var schedule = Assert.IsType<PiecewiseBetaSchedule>(Create(kind, parameters).Schedule);
        var discrete = schedule.Discrete;
        var n = discrete.Count;
        var integral = 0.0;
        for (var i = 0; i < n; i++)
        {
            var rate = -n * Math.Log(1 - discrete.Betas[i]); // −log(1 − β_i) per step of length 1/N
            foreach (var w in new[] { 0.0, 0.29, 0.83 })
            {
                var beta = schedule.Beta((i + w) / n);
                Assert.True(Math.Abs(beta - rate) <= 1e-9 * rate + 1e-12, $"beta at step {i} + {w}: {beta:R} against {rate:R}");
            }
            integral += rate / n;
            Assert.True(Math.Abs(schedule.IntegratedBeta((i + 1.0) / n) - integral) <= 1e-12 * integral + 1e-15, $"B((i + 1)/N) at i = {i}");
            var mid = schedule.IntegratedBeta((i + 0.4) / n);
            Assert.True(Math.Abs(mid - (integral - 0.6 * rate / n)) <= 1e-12 * integral + 1e-15, $"B linear inside step {i}");
        }
        Assert.Equal(0.0, schedule.IntegratedBeta(0.0));
    }

    [Fact]
    public void A_beta_of_one_has_no_vp_sde_and_the_parameters_are_named()
    {
        var e = Assert.Throws<ArgumentException>(() => new PiecewiseBetaSchedule(new DiscreteBetaSchedule([0.2, 1.0, 0.3]), "x"));
        Assert.Equal("schedule", e.ParamName);
        Assert.Contains("alpha_bar_1", e.Message, StringComparison.Ordinal);
        var registry = SdeRegistry.CreateDefault();
        Assert.Equal("beta_end", Assert.ThrowsAny<ArgumentException>(() => registry.CreateFromLists("vp-discrete-linear", new Dictionary<string, double[]> { ["beta_end"] = [1.0] })).ParamName);
        Assert.Equal("beta_start", Assert.ThrowsAny<ArgumentException>(() => registry.CreateFromLists("vp-discrete-scaled-linear", new Dictionary<string, double[]> { ["beta_start"] = [-0.1] })).ParamName);
        Assert.Equal("max_beta", Assert.ThrowsAny<ArgumentException>(() => registry.CreateFromLists("vp-discrete-cosine", new Dictionary<string, double[]> { ["max_beta"] = [1.0] })).ParamName);
        Assert.Equal("steps", Assert.ThrowsAny<ArgumentException>(() => registry.CreateFromLists("vp-discrete-linear", new Dictionary<string, double[]> { ["steps"] = [1] })).ParamName);
    }

    /// <summary><c>clip_lambda</c> keeps the steps whose half-log-SNR ½ log(ᾱ/(1 − ᾱ)) is at least the clip, i.e. whose
    /// ᾱ ≥ 1/(1 + e^{−2c}) (counted here that way), at a generic clip in the middle of the schedule; the kept steps are
    /// the first ones, unchanged.</summary>
    [Fact]
    public void Clip_lambda_keeps_the_steps_above_the_clip()
    {
        const double clip = 0.37;
        var registry = SdeRegistry.CreateDefault();
        var full = DiscreteBetaSchedule.Linear(300, 2e-4, 0.04);
        var expected = full.AlphasCumprod.Count(a => a >= 1 / (1 + Math.Exp(-2 * clip)));
        Assert.InRange(expected, 10, 290);
        var clipped = ((PiecewiseBetaSchedule)((VpSde)registry.CreateFromLists("vp-discrete-linear", new Dictionary<string, double[]>
        {
            ["steps"] = [300], ["beta_start"] = [2e-4], ["beta_end"] = [0.04], ["clip_lambda"] = [clip],
        })).Schedule).Discrete;
        Assert.Equal(expected, clipped.Count);
        Assert.Equal(full.Betas.Take(expected), clipped.Betas);
        // The largest step count is accepted, one more refused.
        Assert.Equal(1_000_000, ((PiecewiseBetaSchedule)((VpSde)registry.CreateFromLists("vp-discrete-linear",
            new Dictionary<string, double[]> { ["steps"] = [1_000_000] })).Schedule).Discrete.Count);
        Assert.Equal("steps", Assert.ThrowsAny<ArgumentException>(() => registry.CreateFromLists("vp-discrete-linear",
            new Dictionary<string, double[]> { ["steps"] = [1_000_001] })).ParamName);
    }

    [Fact]
    public void The_defaults_are_the_papers_schedules()
    {
        var registry = SdeRegistry.CreateDefault();
        var empty = new Dictionary<string, double[]>();
        var linear = ((PiecewiseBetaSchedule)((VpSde)registry.CreateFromLists("vp-discrete-linear", empty)).Schedule).Discrete;
        Assert.Equal(DiscreteBetaSchedule.Linear().AlphasCumprod, linear.AlphasCumprod);
        var scaled = ((PiecewiseBetaSchedule)((VpSde)registry.CreateFromLists("vp-discrete-scaled-linear", empty)).Schedule).Discrete;
        Assert.Equal(DiscreteBetaSchedule.ScaledLinear().AlphasCumprod, scaled.AlphasCumprod);
        var cosine = ((PiecewiseBetaSchedule)((VpSde)registry.CreateFromLists("vp-discrete-cosine", empty)).Schedule).Discrete;
        Assert.Equal(DiscreteBetaSchedule.SquaredCosine().AlphasCumprod, cosine.AlphasCumprod);
    }
}
