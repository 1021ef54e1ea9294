using System.Text.Json;
using Diffusion.Research.Registries;
using Diffusion.Research.Sde;
using Diffusion.Research.Tests.Experiments;

namespace Diffusion.Research.Tests.Sde;

/// <summary>
/// The discrete schedules' kernels against dpm-solver's own (tests/golden/discrete-schedules.json, written by
/// tests/golden/generate_discrete_schedules.py from the upstream NoiseScheduleVP('discrete', betas=...) in float64):
/// α_t and σ_t at the knots and between them on [1/N, 1], for <see cref="DiscreteTimeKernel"/> and for the VP SDE of
/// <see cref="PiecewiseBetaSchedule"/> (the vp-discrete-* kinds), built from the same betas, to 1e-10.
/// </summary>
public class DiscreteScheduleGoldenTests
{
    private const double Tolerance = 1e-10;

    private static readonly Lazy<JsonElement> Golden = new(() => TestFiles.GoldenJson("discrete-schedules.json"));

    private static double[] Doubles(JsonElement golden, string key) => golden.GetProperty(key).EnumerateArray().Select(v => v.GetDouble()).ToArray();

    public static TheoryData<string> Cases() => new() { "linear-1000", "linear-37", "scaled-linear-1000", "scaled-linear-41" };

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_kernels_are_dpm_solvers_discrete_schedule(string name)
    {
        var golden = Golden.Value.GetProperty("cases").GetProperty(name);
        var betas = Doubles(golden, "betas");
        Assert.Equal(betas.Length, golden.GetProperty("kept").GetInt32()); // upstream kept every step: the same time axis
        var schedule = new DiscreteBetaSchedule(betas);
        var kernel = new DiscreteTimeKernel(schedule);
        var sde = VpSde.Discrete(schedule, name);
        var times = Doubles(golden, "times");
        var alphas = Doubles(golden, "alpha");
        var sigmas = Doubles(golden, "sigma");
        for (var j = 0; j < times.Length; j++)
        {
            var t = times[j];
            foreach (var (label, alpha, sigma) in new[] { ("DiscreteTimeKernel", kernel.Alpha(t), kernel.Sigma(t)), ("vp-discrete", sde.Alpha(t), sde.Sigma(t)) })
            {
                Assert.True(Math.Abs(alpha - alphas[j]) <= Tolerance * alphas[j], $"{name} {label}: alpha({t:R}) = {alpha:R}, dpm-solver {alphas[j]:R}");
                Assert.True(Math.Abs(sigma - sigmas[j]) <= Tolerance * sigmas[j], $"{name} {label}: sigma({t:R}) = {sigma:R}, dpm-solver {sigmas[j]:R}");
            }
        }
    }

    /// <summary>Upstream clips the half-log-SNR at −5.1 by dropping the last steps and spacing t over the rest
    /// (NoiseScheduleVP.numerical_clip_alpha), which the squared-cosine schedule reaches (996 of 1000 steps kept): the
    /// framework keeps all N steps unless <c>clip_lambda</c> is given, and with <c>clip_lambda: -5.1</c> it keeps the
    /// same steps and gives upstream's kernel on [1/N', 1].</summary>
    [Fact]
    public void Clip_lambda_is_dpm_solvers_clipped_cosine_schedule()
    {
        var golden = Golden.Value.GetProperty("cases").GetProperty("squared-cosine-1000");
        var kept = golden.GetProperty("kept").GetInt32();
        Assert.Equal(1000, golden.GetProperty("betas").GetArrayLength());
        Assert.True(kept < 1000);
        var registry = SdeRegistry.CreateDefault();
        var full = (VpSde)registry.CreateFromLists("vp-discrete-cosine", new Dictionary<string, double[]>());
        Assert.Equal(1000, ((PiecewiseBetaSchedule)full.Schedule).Discrete.Count);
        var clipped = (VpSde)registry.CreateFromLists("vp-discrete-cosine", new Dictionary<string, double[]> { ["clip_lambda"] = [-5.1] });
        Assert.Equal(kept, ((PiecewiseBetaSchedule)clipped.Schedule).Discrete.Count);
        var times = Doubles(golden, "times");
        var alphas = Doubles(golden, "alpha");
        var sigmas = Doubles(golden, "sigma");
        var compared = 0;
        for (var j = 0; j < times.Length; j++)
        {
            var t = times[j];
            if (t < 1.0 / kept) continue; // below the first knot upstream extrapolates, the SDE starts from alpha = 1
            compared++;
            Assert.True(Math.Abs(clipped.Alpha(t) - alphas[j]) <= Tolerance * alphas[j], $"alpha({t:R}) = {clipped.Alpha(t):R}, dpm-solver {alphas[j]:R}");
            Assert.True(Math.Abs(clipped.Sigma(t) - sigmas[j]) <= Tolerance * sigmas[j], $"sigma({t:R}) = {clipped.Sigma(t):R}, dpm-solver {sigmas[j]:R}");
            if (t > 0.3) Assert.True(Math.Abs(full.Alpha(t) - alphas[j]) > 1e-6 * alphas[j], $"the unclipped schedule differs from upstream's at t = {t:R}");
        }
        Assert.True(compared >= 10);
    }
}
