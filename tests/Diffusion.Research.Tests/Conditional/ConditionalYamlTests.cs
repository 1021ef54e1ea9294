using Diffusion.Research.Experiments.Backend;
using Diffusion.Research.Experiments.Conditional;
using Diffusion.Research.Experiments.Configuration;
using Diffusion.Research.Experiments.Plans;

namespace Diffusion.Research.Tests.Conditional;

/// <summary>The guidance: and measurement: blocks through the real loader and backend: located errors, sweeps, identity, runs.</summary>
public class ConditionalYamlTests
{
    private const string Base = """
        name: cond
        seed: 5
        data: {name: two_classes}
        sde: {kind: vp}
        sampler: {solver: euler_maruyama, steps: 200}
        eval: {particles: 400, reference: 400, metrics: [sliced_w2, mean_error]}
        """;

    private static ExperimentPlan Load(string yaml) => new ExperimentLoader(ExperimentBackend.CreateDefault()).Parse(yaml, "c.yaml", ".");

    private static ConfigError Error(string yaml) => Assert.Single(Assert.Throws<ConfigException>(() => Load(yaml)).Errors);

    [Fact]
    public void CellsWithoutTheBlocksKeepTheirIdentity()
    {
        var plain = Load(Base).Cells[0];
        var none = Load(Base + "\nguidance: {kind: none}").Cells[0];
        Assert.Equal(plain.Id, none.Id);
        Assert.Null(plain.Conditional);
        Assert.DoesNotContain("guidance", plain.ResolvedJson, StringComparison.Ordinal);
        var guided = Load(Base + "\nguidance: {kind: cfg, scale: 2, class: 1, target: tilted}").Cells[0];
        Assert.NotEqual(plain.Id, guided.Id);
        Assert.Contains("\"guidance\":{\"kind\":\"cfg\",\"scale\":2,\"class\":1,\"target\":\"tilted\"}", guided.ResolvedJson, StringComparison.Ordinal);
        Assert.Equal(3.0, guided.Conditional!.Guidance!.Gamma);
    }

    /// <summary>guidance.score and guidance.p_uncond sweep; a cell that leaves guidance.score at exact (or says so) keeps the id it had
    /// before the keys existed (its canonical JSON has no score key), and learned cells differ by p_uncond.</summary>
    [Fact]
    public void LearnedScoreKeysAreSweepableAndLeaveExactCellsAlone()
    {
        var plain = Load(Base + """

            guidance: {kind: cfg, class: 0, scale: 1}
            """);
        var explicitExact = Load(Base + """

            guidance: {kind: cfg, class: 0, scale: 1, score: exact}
            """);
        var plan = Load(Base + """

            guidance: {kind: cfg, class: 0, scale: 1, score: learned, train_steps: 5}
            sweep:
              guidance.p_uncond: [0.1, 0.2]
            """);
        Assert.DoesNotContain("\"score\"", plain.Cells[0].ResolvedJson, StringComparison.Ordinal);
        Assert.Equal(plain.Cells[0].Id, explicitExact.Cells[0].Id);
        Assert.Equal([0.1, 0.2], plan.Cells.Select(c => c.Conditional!.Guidance!.UnconditionalProbability));
        Assert.Equal(2, plan.Cells.Select(c => c.Id).Distinct().Count());
        Assert.DoesNotContain(plain.Cells[0].Id, plan.Cells.Select(c => c.Id));
    }

    [Fact]
    public void GuidanceAndMeasurementKeysAreSweepable()
    {
        var plan = Load(Base + """

            guidance: {kind: classifier, class: 0}
            sweep:
              guidance.scale: [0.5, 1, 2]
              guidance.kind: [classifier, cfg]
            table: {rows: [guidance.kind], columns: [guidance.scale], value: sliced_w2}
            """);
        Assert.Equal(6, plan.Cells.Count);
        Assert.Equal(6, plan.Cells.Select(c => c.Id).Distinct().Count());
        var inverse = Load(Base + """

            measurement: {observed: [0], y: [0.5], noise: 0.1, method: repaint, parameters: {resamplings: 2}}
            sweep:
              measurement.noise: [0.2, 0.05]
            """);
        Assert.Equal([0.2, 0.05], inverse.Cells.Select(c => c.Conditional!.Measurement!.Noise));
    }

    [Theory]
    [InlineData("guidance: {kind: cfgg, class: 1}", 7, "guidance.kind must be one of")]
    [InlineData("guidance: {kind: cfg, class: 2}", 7, "guidance.class: class 2 does not exist")]
    [InlineData("guidance: {kind: cfg, clas: 1}", 7, "unknown key 'clas' in guidance")]
    [InlineData("guidance: {kind: cfg, class: 1, classifier: learned}", 7, "guidance.classifier: learned needs guidance.kind: classifier")]
    [InlineData("guidance: {kind: classifier, class: 1, train_steps: 10}", 7, "guidance.train_steps applies only with guidance.classifier: learned")]
    [InlineData("guidance: {kind: classifier, class: 1, score: learned}", 7, "guidance.score: learned needs guidance.kind: cfg")]
    [InlineData("guidance: {kind: cfg, class: 1, score: learnt}", 7, "guidance.score must be one of")]
    [InlineData("guidance: {kind: cfg, class: 1, p_uncond: 0.1}", 7, "guidance.p_uncond applies only with guidance.score: learned")]
    [InlineData("guidance: {kind: cfg, class: 1, score: learned, p_uncond: 1.5}", 7, "guidance.p_uncond")]
    [InlineData("measurement: {observed: [0], y: [0.5, 1], noise: 0.1, method: dps}", 7, "measurement.y has 2 entries")]
    [InlineData("measurement: {observed: [2], y: [0.5], noise: 0.1, method: dps}", 7, "measurement.observed: observed coordinate 2")]
    [InlineData("measurement: {A: [[0.6, 0.8]], y: [0.5], noise: 0.1, method: replacement}", 7, "measurement.method: method 'replacement' needs A to select")]
    [InlineData("measurement: {A: [[0.6, 0.8]], y: [0.5], noise: 0.1, method: dps, parameters: {zetta: 1}}", 7, "measurement.parameters.zetta")]
    [InlineData("measurement: {observed: [0], y: [0.5], noise: 0, method: dps}", 7, "measurement.noise must be in")]
    [InlineData("measurement: {A: [[0.6, 0.8, 0.1]], y: [0.5], noise: 0.1, method: dps}", 7, "measurement.A has rows of 3 entries but the data are 2-dimensional.")]
    public void BadBlocksGiveLocatedErrors(string block, int line, string message)
    {
        var errors = Assert.Throws<ConfigException>(() => Load(Base + "\n" + block)).Errors;
        Assert.Contains(errors, e => e.Location.Line == line && e.Message.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void GuidanceNeedsLabelledData()
    {
        var e = Error(Base.Replace("{name: two_classes}", "{name: gaussian, parameters: {dimension: 2}}") + "\nguidance: {kind: cfg, class: 0}");
        Assert.Contains("guidance.kind: guidance needs labelled data", e.Message, StringComparison.Ordinal);
    }

    /// <summary>Both labelled data sets are known by name: 8gaussians with a class per mode, two_classes with two.</summary>
    [Fact]
    public void BothLabelledDataSetsAreFound()
    {
        var eight = Load(Base.Replace("{name: two_classes}", "{name: 8gaussians}") + "\nguidance: {kind: cfg, class: 7}").Cells[0];
        Assert.Equal(8, ConditionalCell.Labelled(eight)!.Classes);
        Assert.Equal(2, ConditionalCell.Labelled(Load(Base + "\nguidance: {kind: cfg, class: 1}").Cells[0])!.Classes);
        var e = Error(Base.Replace("{name: two_classes}", "{name: 8gaussians}") + "\nguidance: {kind: cfg, class: 8}");
        Assert.Contains("guidance.class: class 8 does not exist: 8gaussians has classes 0..7.", e.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// A measurement's exact posterior needs the closed-form kernel: an SDE without one (a plugin's; every registered SDE
    /// has one, and the exact model refuses such an SDE first) is refused at measurement.method.
    /// </summary>
    [Fact]
    public void AMeasurementNeedsAnSdeWithAKernel()
    {
        var cell = Load(Base + "\nmeasurement: {observed: [0], y: [0.5], noise: 0.1, method: dps}").Cells[0];
        var data = Diffusion.Research.Data.DataSetRegistry.CreateDefault().Create("two_classes");
        var methods = ExperimentBackend.CreateDefault().Registries.PosteriorSamplers;
        ConditionalCell.Check(cell, data, Diffusion.Research.Sde.VpSde.Linear(), methods);
        var langevin = new Diffusion.Research.Sde.OverdampedLangevinSde(Diffusion.Research.Data.Gaussian.Standard(2));
        var e = Assert.Throws<ArgumentException>(() => ConditionalCell.Check(cell, data, langevin, methods));
        Assert.Equal("measurement.method", e.ParamName);
        Assert.StartsWith("a measurement needs an SDE with a closed-form kernel.", e.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// The noise floor of a guidance cell is measured against its own conditional target: it is cached per class, so a
    /// backend that has just run class 0 gives class 1 the same floor as a fresh backend does.
    /// </summary>
    [Fact]
    public void TheNoiseFloorOfAGuidanceCellIsCachedPerTarget()
    {
        var plan = Load(Base.Replace("steps: 200", "steps: 4").Replace("metrics: [sliced_w2, mean_error]}", "metrics: [mean_error], noise_floor: true}")
            + "\nguidance: {kind: cfg, scale: 0, class: 0}\nsweep:\n  guidance.class: [0, 1]\n");
        Assert.Equal(2, plan.Cells.Count);
        var shared = ExperimentBackend.CreateDefault();
        var floor0 = shared.Run(plan.Cells[0], new CellRun(0, plan.Seed, 1)).Floor["mean_error"];
        var floor1 = shared.Run(plan.Cells[1], new CellRun(0, plan.Seed, 1)).Floor["mean_error"];
        var fresh1 = ExperimentBackend.CreateDefault().Run(plan.Cells[1], new CellRun(0, plan.Seed, 1)).Floor["mean_error"];
        Assert.Equal(fresh1, floor1);
        Assert.NotEqual(floor0, floor1);
    }

    [Fact]
    public void AConditionalCellRunsAgainstItsExactTarget()
    {
        var plan = Load(Base + "\nguidance: {kind: cfg, scale: 0, class: 1}\n");
        var backend = ExperimentBackend.CreateDefault();
        var result = backend.Run(plan.Cells[0], new CellRun(0, plan.Seed, 1));
        Assert.True(result.IsSuccess, result.Message);
        // The reference is the class-1 conditional (mean (0.55, −0.15)), not the mixture (mean (0.075, −0.175)).
        var mean0 = 0.0;
        for (var i = 0; i < result.Reference!.Value.Count; i++) mean0 += result.Reference.Value[i, 0];
        Assert.InRange(mean0 / result.Reference.Value.Count, 0.4, 0.7);
    }

    /// <summary>
    /// A posterior sampler wraps sampler.solver (docs/guidance.md: "each wraps any solver of the zoo"); λ follows that
    /// solver, so an ODE solver inside replacement or RePaint integrates the probability-flow ODE: the same samples as with
    /// sampler.lambda: 0 written out. (λ used to follow the wrapper, which draws noise and so counts as stochastic: λ = 1,
    /// and every such cell failed with "Solver 'heun' integrates ODEs but the dynamics have diffusion".)
    /// </summary>
    [Theory]
    [InlineData("replacement")]
    [InlineData("repaint")]
    public void AMeasurementCellAroundAnOdeSolverRunsThePfOde(string method)
    {
        var ode = Base.Replace("solver: euler_maruyama, steps: 200", "solver: heun, steps: 20") + $"\nmeasurement: {{observed: [1], noise: 0.1, y: [-0.4], method: {method}}}";
        var backend = ExperimentBackend.CreateDefault();
        var implicitLambda = backend.Run(Load(ode).Cells[0], new CellRun(0, 5, 1));
        Assert.True(implicitLambda.IsSuccess, implicitLambda.Message);
        var explicitLambda = backend.Run(Load(ode.Replace("steps: 20}", "steps: 20, lambda: 0}")).Cells[0], new CellRun(0, 5, 1));
        Assert.Equal(explicitLambda.Samples!.Value.Values.ToArray(), implicitLambda.Samples!.Value.Values.ToArray());
    }

    /// <summary>The device kernels know neither guided scores nor posterior samplers: a conditional cell asking for a device is refused at its key.</summary>
    [Fact]
    public void ConditionalCellsRefuseADevice()
    {
        var e = Error(Base.Replace("steps: 200}", "steps: 200, device: gpu-emulated}") + "\nguidance: {kind: cfg, scale: 0.5, class: 1}");
        Assert.Contains("CPU solvers only", e.Message, StringComparison.Ordinal);
        Assert.Equal(5, e.Location.Line);
        Assert.Null(Record.Exception(() => Load(Base.Replace("steps: 200}", "steps: 200, device: cpu}") + "\nguidance: {kind: cfg, scale: 0.5, class: 1}")));
    }

    /// <summary>Model metrics (exact laws) measure the unconditional model against the data set, not the conditional target: refused at eval.metrics.</summary>
    [Fact]
    public void ConditionalCellsRefuseModelMetrics()
    {
        var gaussian = Base.Replace("{name: two_classes}", "{name: gaussian, parameters: {dimension: 2, variance: 0.7}}");
        var measurement = "\nmeasurement: {observed: [0], noise: 0.2, y: [0.4], method: replacement}";
        var e = Error(gaussian.Replace("metrics: [sliced_w2, mean_error]", "metrics: [sliced_w2, exact_w2]") + measurement);
        Assert.Contains("metric 'exact_w2'", e.Message, StringComparison.Ordinal);
        Assert.Equal(6, e.Location.Line);
        Assert.Null(Record.Exception(() => Load(gaussian + measurement)));
    }
}
