using Diffusion.Research.Conditional;
using Diffusion.Research.Data;
using Diffusion.Research.Kernels;
using Diffusion.Research.Metrics;
using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;
using Diffusion.Research.Scores;
using Diffusion.Research.Sde;
using Diffusion.Research.Solvers;
using Xunit.Abstractions;

namespace Diffusion.Research.Tests.Conditional;

/// <summary>
/// Every solver of the zoo, driven by a guided score at the setting that should give the exact conditional law
/// (classifier-free guidance at w = 0, classifier guidance at scale 1, both with the exact scores of the two-class
/// mixture with overlapping classes), must reach p(x | c): the sliced W2 to N exact samples of p(x | c) must stay
/// under 3 F, F the two-sample noise floor of p(x | c) at N (mean over 4 pairs). The threshold is derived as in
/// <c>SamplerQualityTests</c>: E[SW²] ≈ δ² + F², so SW ≤ 3 F accepts a sampler bias δ ≤ √8 F; a guided score aimed at the
/// wrong law (the unconditional one, or the other class) lands at SW ≈ 0.5–1.2 here, far above 3 F ≈ 0.1.
/// </summary>
public class GuidedSamplerTests(ITestOutputHelper output)
{
    private const int N = 2000;
    private const int Label = 1;
    private static readonly LabelledMixture Data = LabelledMixture.TwoClasses();
    private static readonly SlicedWasserstein Metric = new(projections: 64, seed: 99);
    private static readonly Lazy<NoiseFloor> Floor = new(() => Metric.EstimateNoiseFloor(Data.ClassConditional(Label), N, N, 4, new NoiseSource(1000)));

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var name in SolverRegistry.CreateDefault().Names)
            foreach (var kind in new[] { "cfg", "classifier" })
                data.Add(name, kind);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void GuidedSamplerAtTheConditionalSettingReachesTheExactConditional(string name, string kind)
    {
        // ALD needs a VE-type level ladder (as in SamplerQualityTests); every other solver runs on VP.
        ISde sde = name == "ald" ? new VeSde(0.01, 10.0) : VpSde.Linear();
        var kernel = sde.Kernel!;
        var unconditional = new ExactNoisedScore(Data.Mixture, kernel);
        IScoreModel score = kind == "cfg"
            ? new ClassifierFreeGuidedScore(new ExactNoisedScore(Data.ClassConditional(Label), kernel), unconditional, 0.0)
            : new ClassifierGuidedScore(unconditional, new ExactClassifier(Data, kernel), Label, 1.0);
        var p = new Dictionary<string, double>();
        var end = 1e-3;
        var steps = name switch
        {
            "dopri5" or "ggf" => 100,
            "rk4" or "heun" or "dpm_solver_2" or "edm" => 60,
            "pc" or "pc_em" => 300,
            "euler" or "ddim" => 200,
            "ald" => 100,
            _ => 500,
        };
        if (name == "ald")
        {
            end = kernel.TimeAtSigmaRatio(0.01, 1e-6, sde.T);
            p["eps"] = 0.2 * 0.01 * 0.01;
            p["steps_per_level"] = 10;
        }
        var grid = name switch
        {
            "dpm_solver_2" => LogSnrGrid.Create(kernel, steps, sde.T, end),
            "edm" => KarrasGrid.Create(kernel, steps, sde.T, end),
            _ => TimeGrid.Uniform(sde.T, end, steps),
        };
        var solver = SolverRegistry.CreateDefault().Create(name, p);
        var problem = SamplingProblem.Reverse(sde, score, solver.Traits.IsStochastic ? 1.0 : 0.0);
        var x = new Batch(N, 2);
        sde.Prior(2).Sample(x, new NoiseSource(7).Derive(1), 0);
        var solution = solver.Solve(problem, x, grid, new SolveOptions().WithNoise(new NoiseSource(7).Derive(2)).WithTolerances(1e-3, 1e-3));
        Assert.True(solution.IsSuccess, solution.Message);
        var reference = new Batch(N, 2);
        Data.ClassConditional(Label).Sample(reference, new NoiseSource(3000), 0);
        var sw = Metric.Compute(x, reference);
        output.WriteLine($"{name}/{kind}: SW2 = {sw:F4}, floor = {Floor.Value.Mean:F4} ± {Floor.Value.StandardDeviation:F4}, NFE = {solution.Statistics.Nfe}");
        Assert.True(sw < 3 * Floor.Value.Mean, $"{name}/{kind}: SW2 {sw} >= 3 x floor {Floor.Value.Mean}");
    }

    /// <summary>The threshold separates: the unconditional law and the other class are far above 3 F from p(x | c).</summary>
    [Fact]
    public void WrongTargetsAreFarAboveTheThreshold()
    {
        var reference = new Batch(N, 2);
        Data.ClassConditional(Label).Sample(reference, new NoiseSource(3000), 0);
        foreach (var wrong in new IDataSet[] { Data.Mixture, Data.ClassConditional(1 - Label) })
        {
            var x = new Batch(N, 2);
            wrong.Sample(x, new NoiseSource(5), 0);
            var sw = Metric.Compute(x, reference);
            output.WriteLine($"wrong target: SW2 = {sw:F4}, 3 x floor = {3 * Floor.Value.Mean:F4}");
            Assert.True(sw > 3 * Floor.Value.Mean, $"a wrong target passes: SW2 {sw} <= 3 x floor {Floor.Value.Mean}");
        }
    }
}
