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
        Assert.Contains("non-finite", solution.Message, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Each constructor guard refuses a value just outside its range and names the parameter in the message (mutation
    /// survivors of issue 14: a guard's `||` turned into `&amp;&amp;`, a strict bound made loose, a guard removed or its message
    /// emptied all passed before).
    /// </summary>
    [Fact]
    public void ConstructorGuardsRefuseValuesJustOutsideTheirRange()
    {
        var registry = SolverRegistry.CreateDefault();
        // s_noise: negative and finite (the finite test alone would pass it), or infinite.
        Assert.Contains("s_noise", Assert.Throws<ArgumentOutOfRangeException>(() => new EulerAncestral(1, -0.5)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new EulerAncestral(1, double.PositiveInfinity));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DdpmAncestral(0.3, discreteBetas: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DdpmAncestral(0.3, discreteBetas: 1));
        // A grid needs end < start strictly: end == start is refused.
        Assert.Contains("end < start", Assert.Throws<ArgumentException>(() => KarrasGrid.Create(Vp.Kernel!, 5, 0.5, 0.5)).Message);
        Assert.Contains("h_init", Assert.Throws<ArgumentOutOfRangeException>(() => new AdaptiveDpmSolver(2, ModelPrediction.Data, hInit: 0)).Message);
        Assert.Contains("order must be 2 or 3", Assert.Throws<ArgumentOutOfRangeException>(() => new AdaptiveDpmSolver(4, ModelPrediction.Data)).Message);
        var measurement = new Diffusion.Research.Conditional.LinearMeasurement([0.7, -1.2], 1, 2, 0.1, [0.9]);
        Assert.Throws<ArgumentOutOfRangeException>(() => new DiffusionPosteriorSampling(measurement, new EulerMaruyama(), 0, DpsStepRule.Constant));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DiffusionPosteriorSampling(measurement, new EulerMaruyama(), double.NaN, DpsStepRule.Constant));
        Assert.Contains("sigma_min", Assert.Throws<ArgumentOutOfRangeException>(() => new RestartSampler(0, 0.4, 1, 2)).Message);
        Assert.Contains("sigma_max", Assert.Throws<ArgumentOutOfRangeException>(() => new RestartSampler(0.5, 0.4, 1, 2)).Message);
        // Tableau: a name, rows summing to the nodes, error weights summing to 0, each message with the offending value.
        Assert.Throws<ArgumentException>(() => new Tableau(" ", 2, [[], [1.0]], [0.5, 0.5], [0.0, 1.0]));
        Assert.Equal("a", Assert.Throws<ArgumentNullException>(() => new Tableau("t", 2, null!, [0.5, 0.5], [0.0, 1.0])).ParamName);
        Assert.Equal("b", Assert.Throws<ArgumentNullException>(() => new Tableau("t", 2, [[], [1.0]], null!, [0.0, 1.0])).ParamName);
        Assert.Equal("c", Assert.Throws<ArgumentNullException>(() => new Tableau("t", 2, [[], [1.0]], [0.5, 0.5], null!)).ParamName);
        Assert.Contains("Row 1 of A sums to 0.75", Assert.Throws<ArgumentException>(() => new Tableau("t", 2, [[], [0.75]], [0.5, 0.5], [0.0, 1.0])).Message);
        Assert.Contains("Error weights sum to 0.25,", Assert.Throws<ArgumentException>(() =>
            new Tableau("t", 2, [[], [1.0]], [0.5, 0.5], [0.0, 1.0], error: [0.5, -0.25], embeddedOrder: 1)).Message);
    }

    /// <summary>
    /// The declared traits of a deterministic and a stochastic member of the same family: DPM-Solver++(2M) is an ODE
    /// solver (strong order not applicable: 0), its SDE variant (η = 1) has strong order 1/2 (Lu et al. 2022b; the
    /// declared orders are what the order tests fit).
    /// </summary>
    [Fact]
    public void DeterministicAndStochasticVariantsDeclareTheirOrders()
    {
        var registry = SolverRegistry.CreateDefault();
        var ode = registry.Create("dpmpp_2m").Traits;
        Assert.Equal((2, 0.0, false), (ode.Order, ode.StrongOrder, ode.IsStochastic));
        var sde = registry.Create("dpmpp_2m_sde").Traits;
        Assert.Equal((2, 0.5, true), (sde.Order, sde.StrongOrder, sde.IsStochastic));
    }

    /// <summary>
    /// An ancestral sampler is stochastic (strong order 1/2) exactly when it draws noise: η &gt; 0 and s_noise &gt; 0; with
    /// η = 0 or s_noise = 0 it is the deterministic solver of the same weak order (strong order 0: not applicable).
    /// </summary>
    [Theory]
    [InlineData("euler_ancestral", 1, 1)]
    [InlineData("dpm_2_ancestral", 2, 2)]
    [InlineData("dpmpp_2s_ancestral", 2, 2)]
    public void AncestralSamplersAreStochasticExactlyWhenTheyDrawNoise(string name, int order, int nfePerStep)
    {
        var registry = SolverRegistry.CreateDefault();
        SolverTraits Traits(double eta, double sNoise) =>
            registry.Create(name, new Dictionary<string, double> { ["eta"] = eta, ["s_noise"] = sNoise }).Traits;
        foreach (var (eta, sNoise, stochastic) in new[] { (0.37, 1.0, true), (1.0, 0.37, true), (0.0, 1.0, false), (0.37, 0.0, false) })
        {
            var traits = Traits(eta, sNoise);
            Assert.Equal((name, order, stochastic ? 0.5 : 0.0, stochastic, false, nfePerStep),
                (traits.Name, traits.Order, traits.StrongOrder, traits.IsStochastic, traits.IsAdaptive, traits.NfePerStep));
        }
    }

    /// <summary>`diffusion list solvers` tells the two predictor-corrector samplers apart by their predictor.</summary>
    [Fact]
    public void PredictorCorrectorSamplersNameTheirPredictor()
    {
        var registry = SolverRegistry.CreateDefault();
        Assert.Equal("Predictor-corrector (reverse-diffusion predictor + Langevin corrector; Song et al. 2021).", registry.Create("pc").Traits.Description);
        Assert.Equal("Predictor-corrector (Euler-Maruyama predictor + Langevin corrector; Song et al. 2021).", registry.Create("pc_em").Traits.Description);
    }

    /// <summary>Each singlestep DPM-Solver says which it is: DPM-Solver-k (noise prediction) or DPM-Solver++(kS) (data).</summary>
    [Fact]
    public void SinglestepDpmSolversNameTheirVariant()
    {
        var registry = SolverRegistry.CreateDefault();
        Assert.Equal("DPM-Solver-2 singlestep (Lu et al. 2022 Alg. 1-2; 2022b Alg. 1).",
            registry.Create("dpm_solver_singlestep", new Dictionary<string, double> { ["order"] = 2 }).Traits.Description);
        Assert.Equal("DPM-Solver++(3S) singlestep (Lu et al. 2022 Alg. 1-2; 2022b Alg. 1).", registry.Create("dpmpp_3s").Traits.Description);
    }

    /// <summary>The registrations' orders, sorted, must be distinct; the message names both methods and the order.</summary>
    [Fact]
    public void TwoSolverRegistrationsMayNotShareAnOrder()
    {
        SolverRegistry.RequireDistinctOrders([("A.Register", 10), ("B.Register", 20), ("C.Register", 30)]);
        SolverRegistry.RequireDistinctOrders([]);
        var e = Assert.Throws<InvalidOperationException>(() => SolverRegistry.RequireDistinctOrders([("A.Register", 10), ("B.Register", 20), ("C.Register", 20)]));
        Assert.Equal("Solver registrations B.Register and C.Register share order 20.", e.Message);
        e = Assert.Throws<InvalidOperationException>(() => SolverRegistry.RequireDistinctOrders([("A.Register", 10), ("B.Register", 10), ("C.Register", 20)]));
        Assert.Equal("Solver registrations A.Register and B.Register share order 10.", e.Message);
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
