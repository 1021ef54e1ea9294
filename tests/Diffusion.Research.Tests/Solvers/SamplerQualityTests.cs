using Diffusion.Research.Data;
using Diffusion.Research.Kernels;
using Diffusion.Research.Metrics;
using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;
using Diffusion.Research.Scores;
using Diffusion.Research.Sde;
using Diffusion.Research.Solvers;
using Xunit.Abstractions;

namespace Diffusion.Research.Tests.Solvers;

/// <summary>
/// Every registry entry, driven by the exact score of 8gaussians under a VP and a VE SDE, must reach the
/// data: the sliced W2 between its N samples and N fresh data samples must stay under a threshold derived
/// from the two-sample noise floor at that N.
/// </summary>
/// <remarks>
/// Threshold. Let F be the sliced W2 between two independent N-samples of the data (the noise floor, measured
/// below with the metrics of Diffusion.Research.Metrics as the mean over 4 independent pairs). For samples of a law q at sliced distance δ from the data,
/// E[SW²] ≈ δ² + F² (independent samples: the bias and the two-sample noise add in squares). We accept
/// SW ≤ 3F, i.e. a sampler bias δ ≤ √8 F ≈ 2.8 F; an exact sampler fails only if its SW exceeds the floor by
/// a factor 3, far beyond the spread of the floor itself (its pairs vary by about ±20% at N = 2000).
/// At N = 2000 on 8gaussians F ≈ 0.05, so the test resolves errors of about 0.15 on data of radius 2.83:
/// a wrong sign, a missing factor 1/2 or a wrong noise scale all fail it by far.
/// </remarks>
public class SamplerQualityTests(ITestOutputHelper output)
{
    private const int N = 2000;
    private const double VpEnd = 1e-3;
    private static readonly GaussianMixture Data = ToyData.EightGaussians();
    private static readonly SlicedWasserstein Metric = new(projections: 64, seed: 99);
    private static readonly Lazy<NoiseFloor> Floor = new(() => Metric.EstimateNoiseFloor(Data, N, N, 4, new NoiseSource(1000)));

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var name in SolverRegistry.CreateDefault().Names)
        {
            if (name != "ald") data.Add(name, "vp");
            data.Add(name, "ve");
        }
        return data;
    }

    // Per-solver test settings: steps on the grid, the cutoff, and parameters. First-order stochastic
    // samplers get more steps than second-order deterministic ones; ALD uses NCSN-like levels
    // (sigma from 10 down to 0.01, eps/sigma_min^2 = 0.2 as in Song & Ermon's 2e-5 / 0.01^2).
    private static (TimeGrid Grid, Dictionary<string, double> Parameters) Setup(string name, ISde sde)
    {
        var kernel = sde.Kernel!;
        var p = new Dictionary<string, double>();
        var end = VpEnd;
        int steps;
        switch (name)
        {
            case "ald":
                end = kernel.TimeAtSigmaRatio(0.01, 1e-6, sde.T);
                p["eps"] = 0.2 * 0.01 * 0.01;
                p["steps_per_level"] = 10;
                steps = 100;
                break;
            case "dopri5" or "ggf" or "dpm_solver_adaptive":
                steps = 100; // first step only
                break;
            case "rk4" or "heun" or "dpm_solver_2" or "edm" or "restart":
                steps = 60;
                break;
            case "pc" or "pc_em":
                steps = 300;
                break;
            case "euler" or "ddim":
                steps = 200;
                break;
            default:
                steps = 500;
                break;
        }
        if (name is "dpm_solver_2") return (LogSnrGrid.Create(kernel, steps, sde.T, end), p);
        if (name is "edm" or "restart") return (KarrasGrid.Create(kernel, steps, sde.T, end), p);
        return (TimeGrid.Uniform(sde.T, end, steps), p);
    }

    internal static ISde Sde(string which) => which == "vp" ? VpSde.Linear() : new VeSde(0.01, 10.0);

    [Theory]
    [MemberData(nameof(Cases))]
    public void SamplerReachesTheData(string name, string sdeName) => Check(name, sdeName, null);

    /// <summary>000 samples DDPM with variance β_t, 003 with the posterior variance β̃ (Ho et al. found both fine): both must reach the data.</summary>
    [Theory]
    [InlineData("vp")]
    [InlineData("ve")]
    public void DdpmWithTheBetaVarianceAlsoReachesTheData(string sdeName) => Check("ddpm", sdeName, ("variance_weight", 1.0));

    /// <summary>EDM with churn (Karras et al. 2022 Alg. 2; S_churn = 40 as in their ImageNet settings) must also reach the data.</summary>
    [Theory]
    [InlineData("vp")]
    [InlineData("ve")]
    public void EdmWithChurnReachesTheData(string sdeName) => Check("edm", sdeName, ("s_churn", 40.0));

    private void Check(string name, string sdeName, (string Key, double Value)? extra)
    {
        var sde = Sde(sdeName);
        var registry = SolverRegistry.CreateDefault();
        var (grid, parameters) = Setup(name, sde);
        if (extra is { } e) parameters[e.Key] = e.Value;
        var solver = registry.Create(name, parameters);
        var lambda = solver.Traits.IsStochastic ? 1.0 : 0.0; // generic ODE solvers integrate the PF-ODE
        var problem = SamplingProblem.Reverse(sde, new ExactNoisedScore(Data, sde.Kernel!), lambda);

        var x = new Batch(N, 2);
        sde.Prior(2).Sample(x, new NoiseSource(7).Derive(1), 0);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var solution = solver.Solve(problem, x, grid, new SolveOptions().WithNoise(new NoiseSource(7).Derive(2)).WithTolerances(1e-3, 1e-3));
        Assert.True(solution.IsSuccess, solution.Message);

        var solveMs = clock.Elapsed.TotalMilliseconds;
        var reference = new Batch(N, 2);
        Data.Sample(reference, new NoiseSource(3000), 0);
        var sw = Metric.Compute(x, reference);
        output.WriteLine($"{name}/{sdeName}: SW2 = {sw:F4}, floor = {Floor.Value.Mean:F4} ± {Floor.Value.StandardDeviation:F4}, NFE = {solution.Statistics.Nfe}, steps = {solution.Statistics.AcceptedSteps}+{solution.Statistics.RejectedSteps}, solve {solveMs:F0} ms, total {clock.Elapsed.TotalMilliseconds:F0} ms");
        Assert.True(sw < 3 * Floor.Value.Mean, $"{name}/{sdeName}: SW2 {sw} >= 3 x floor {Floor.Value.Mean}");
    }
}
