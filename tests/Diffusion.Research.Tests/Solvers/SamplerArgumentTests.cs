using Diffusion.Research.Registries;
using Diffusion.Research.Data;
using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;
using Diffusion.Research.Scores;
using Diffusion.Research.Sde;
using Diffusion.Research.Solvers;

namespace Diffusion.Research.Tests.Solvers;

/// <summary>Diffusion-aware samplers refuse problems they cannot solve, before any loop, and report NaN as a status.</summary>
public class SamplerArgumentTests
{
    public static TheoryData<string> DiffusionAware()
    {
        var data = new TheoryData<string>();
        var registry = SolverRegistry.CreateDefault();
        foreach (var name in registry.Names)
            if (registry.Create(name) is IDiffusionSampler) data.Add(name);
        return data;
    }

    public static TheoryData<string> All()
    {
        var data = new TheoryData<string>();
        foreach (var name in SolverRegistry.CreateDefault().Names) data.Add(name);
        return data;
    }

    private sealed class PoisonedScore(IScoreModel inner, double below) : IScoreModel
    {
        public void Score(double t, Batch x, Batch destination)
        {
            inner.Score(t, x, destination);
            if (t < below) destination.Values[0] = double.NaN;
        }
    }

    private static readonly VpSde Vp = VpSde.Linear();
    private static SamplingProblem Problem(double lambda = 1) => SamplingProblem.Reverse(Vp, new ExactNoisedScore(ToyData.EightGaussians(), Vp.Kernel!), lambda);

    [Theory]
    [MemberData(nameof(DiffusionAware))]
    public void MissingScoreOrSdeIsRefused(string name)
    {
        var solver = SolverRegistry.CreateDefault().Create(name);
        var plain = SamplingProblem.Of(new OrnsteinUhlenbeck(1, 1));
        var e = Assert.Throws<ArgumentException>(() => solver.Solve(plain, new Batch(4, 2), TimeGrid.Uniform(1, 0.1, 5), new SolveOptions()));
        Assert.Contains("SamplingProblem.Reverse", e.Message);
    }

    [Theory]
    [MemberData(nameof(DiffusionAware))]
    public void ForwardGridAndZeroNoiseEndAreRefused(string name)
    {
        var solver = SolverRegistry.CreateDefault().Create(name);
        Assert.Throws<ArgumentException>(() => solver.Solve(Problem(), new Batch(4, 2), TimeGrid.Uniform(0.1, 1, 5), new SolveOptions()));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => solver.Solve(Problem(), new Batch(4, 2), TimeGrid.Uniform(1, 0, 5), new SolveOptions()));
        Assert.Contains("t_eps", e.Message);
    }

    [Theory]
    [MemberData(nameof(All))]
    public void TimesOutsideTheSdeIntervalAreRefused(string name)
    {
        var solver = SolverRegistry.CreateDefault().Create(name);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => solver.Solve(Problem(solver.Traits.IsStochastic ? 1 : 0), new Batch(4, 2), TimeGrid.Uniform(1.5, 0.1, 5), new SolveOptions()));
        Assert.Contains("[0, T]", e.Message);
    }

    [Theory]
    [MemberData(nameof(All))]
    public void MismatchedDimensionIsRefused(string name)
    {
        var solver = SolverRegistry.CreateDefault().Create(name);
        // 8gaussians is 2-D; a 3-D batch must fail before the loop, with the data's own message.
        Assert.ThrowsAny<ArgumentException>(() => solver.Solve(Problem(solver.Traits.IsStochastic ? 1 : 0), new Batch(4, 3), TimeGrid.Uniform(1, 0.1, 5), new SolveOptions()));
    }

    [Theory]
    [MemberData(nameof(All))]
    public void PoisonedScoreGivesNonFinite(string name)
    {
        var solver = SolverRegistry.CreateDefault().Create(name, name == "ald" ? new Dictionary<string, double> { ["steps_per_level"] = 2 } : null);
        var problem = SamplingProblem.Reverse(Vp, new PoisonedScore(new ExactNoisedScore(ToyData.EightGaussians(), Vp.Kernel!), 0.5), solver.Traits.IsStochastic ? 1 : 0);
        var x = new Batch(20, 2);
        Vp.Prior(2).Sample(x, new NoiseSource(1), 0);
        var solution = solver.Solve(problem, x, TimeGrid.Uniform(1, 0.1, 20), new SolveOptions().WithChunkSize(8));
        Assert.Equal(SolveStatus.NonFinite, solution.Status);
        Assert.InRange(solution.ReachedTime, 0.45, 0.6);
        Assert.NotNull(solution.Message);
    }

    [Fact]
    public void BadSamplerParametersAreRefused()
    {
        var registry = SolverRegistry.CreateDefault();
        Assert.Throws<ArgumentOutOfRangeException>(() => registry.Create("ddim", new Dictionary<string, double> { ["eta"] = 1.5 }));
        Assert.Throws<ParameterException>(() => registry.Create("pc", new Dictionary<string, double> { ["corrector_steps"] = 1.5 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => registry.Create("pc", new Dictionary<string, double> { ["snr"] = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => registry.Create("edm", new Dictionary<string, double> { ["s_churn"] = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => registry.Create("ald", new Dictionary<string, double> { ["eps"] = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => registry.Create("ddpm", new Dictionary<string, double> { ["variance_weight"] = 2 }));
        var e = Assert.Throws<ParameterException>(() => registry.Create("pc", new Dictionary<string, double> { ["eta"] = 0 }));
        Assert.Contains("snr", e.Message);
        Assert.Contains("corrector_steps", e.Message);
    }
}
