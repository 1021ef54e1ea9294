using System.Globalization;
using Diffusion.Research.Data;
using Diffusion.Research.Experiments.Backend;
using Diffusion.Research.Experiments.Configuration;
using Diffusion.Research.Experiments.Models;
using Diffusion.Research.Experiments.Plans;
using Diffusion.Research.Gpu;
using Diffusion.Research.Kernels;
using Diffusion.Research.Metrics;
using Diffusion.Research.Nn.Training;
using Diffusion.Research.Numerics;
using Diffusion.Research.Registries;
using Diffusion.Research.Sampling;
using Diffusion.Research.Scores;
using Diffusion.Research.Sde;
using Diffusion.Research.Solvers;
using Diffusion.Research.Tests.Experiments;

namespace Diffusion.Research.Tests.Contracts;

/// <summary>Cells, SDEs and score models shared by the contract tests of src/Diffusion.Research.Experiments.</summary>
internal static class ExperimentsApiContract
{
    public const string Yaml = """
        name: contract
        seed: 3
        data: {name: 8gaussians}
        sde: {kind: vp}
        model: {kind: exact}
        sampler: {solver: euler, steps: 4}
        eval: {particles: 8, reference: 8, metrics: [mean_error]}
        """;

    public const string Guided = """
        name: guided
        seed: 5
        data: {name: two_classes}
        sde: {kind: vp}
        sampler: {solver: euler_maruyama, steps: 4}
        eval: {particles: 8, reference: 8, metrics: [mean_error]}
        guidance: {kind: cfg, class: 0, scale: 2.5}
        """;

    public static CellSpec Cell(string yaml = Yaml, ExperimentBackend? backend = null) =>
        new ExperimentLoader(backend ?? ExperimentBackend.CreateDefault()).Parse(yaml, "contract.yaml", ".").Cells[0];

    /// <summary>An SDE without a closed-form kernel that is not linear (Langevin dynamics of a standard Gaussian).</summary>
    public static ISde Langevin() => new OverdampedLangevinSde(Gaussian.Standard(2));

    /// <summary>A mapping parsed from YAML text (the settings of a model block).</summary>
    public static ConfigMapping Mapping(string yaml) => (ConfigMapping)YamlConfigReader.Parse(yaml, "model.yaml");

    public static ModelMetricInput Input(IScoreModel? score = null, ISde? sde = null, IDataSet? data = null) =>
        new(score, sde ?? VpSde.Linear(), data ?? ToyData.EightGaussians(), new NoiseSource(3), 0.001, 1);
}

/// <summary>A score model that is neither neural nor its own divergence.</summary>
internal sealed class ExperimentsPlainScore : IScoreModel
{
    public void Score(double t, Batch x, Batch destination) => destination.Values.Clear();
}

/// <summary>
/// The VP SDE with one kernel value replaced at one time (to reach each check of <see cref="SdeRangeCheck"/>), and a
/// diffusion g(t) replaced at T (or from the last interior point of the check's 65-point grid on, t = 63/64 T, when
/// <c>singularBeforeT</c>).
/// </summary>
internal sealed class ExperimentsRangeSde(double alphaAt = -1, double alpha = 0, double sigmaAt = -1, double sigma = 0,
    double? diffusionAtT = null, bool singularBeforeT = false) : ISde, IKernel
{
    private readonly VpSde _inner = VpSde.Linear();

    public double T => _inner.T;

    public IKernel? Kernel => this;

    public IDistribution Prior(int dimension) => _inner.Prior(dimension);

    public void Drift(double t, Batch x, Batch destination) => _inner.Drift(t, x, destination);

    public double Diffusion(double t) =>
        diffusionAtT is { } g && (t == T || (singularBeforeT && t >= 0.98)) ? g : _inner.Diffusion(t);

    public double Alpha(double t) => Near(t, alphaAt) ? alpha : _inner.Kernel!.Alpha(t);

    public double Sigma(double t) => Near(t, sigmaAt) ? sigma : _inner.Kernel!.Sigma(t);

    private static bool Near(double t, double at) => Math.Abs(t - at) < 1e-3;
}

/// <summary>The VP SDE with a prior that is Gaussian but not isotropic.</summary>
internal sealed class ExperimentsAnisotropicPriorSde : ISde
{
    private readonly VpSde _inner = VpSde.Linear();

    public double T => _inner.T;

    public IKernel? Kernel => _inner.Kernel;

    public IDistribution Prior(int dimension)
    {
        var covariance = new double[dimension, dimension];
        for (var i = 0; i < dimension; i++) covariance[i, i] = 0.37 + i;
        return new Gaussian(new double[dimension], covariance);
    }

    public void Drift(double t, Batch x, Batch destination) => _inner.Drift(t, x, destination);

    public double Diffusion(double t) => _inner.Diffusion(t);
}

public class ExperimentsNegativeLogLikelihoodContractTests
{
    [Fact]
    public void Constructor_needs_one_particle_and_one_step()
    {
        Contract.Guard(() => _ = new NegativeLogLikelihood(0, 5), "particles");
        Contract.Guard(() => _ = new NegativeLogLikelihood(-3, 5), "particles");
        Contract.Guard(() => _ = new NegativeLogLikelihood(5, 0), "steps");
        Contract.Guard(() => _ = new NegativeLogLikelihood(5, -3), "steps");
        var nll = new NegativeLogLikelihood(1, 1);
        Assert.Equal(1, nll.Particles);
        Assert.Equal(1, nll.Steps);
    }

    [Fact]
    public void Check_needs_an_input_with_a_linear_sde()
    {
        var nll = new NegativeLogLikelihood(5, 3);
        Contract.Null(() => nll.Check(null!), "input");
        Contract.Argument(() => nll.Check(ExperimentsApiContract.Input(sde: ExperimentsApiContract.Langevin())), "eval.metrics",
            "metric 'nll' integrates the probability-flow ODE of a linear SDE (vp, subvp, ve, ...); this SDE is not linear.");
        nll.Check(ExperimentsApiContract.Input());
    }

    [Fact]
    public void Compute_needs_a_score_with_an_exact_divergence()
    {
        var nll = new NegativeLogLikelihood(5, 3);
        Contract.Null(() => nll.Compute(null!), "input");
        Contract.Argument(() => nll.Compute(ExperimentsApiContract.Input(sde: ExperimentsApiContract.Langevin())), "eval.metrics",
            "metric 'nll' integrates the probability-flow ODE of a linear SDE");
        Contract.Argument(() => nll.Compute(ExperimentsApiContract.Input()), "input", "metric 'nll' needs the score model.");
        Contract.Argument(() => nll.Compute(ExperimentsApiContract.Input(new ExperimentsPlainScore())), "eval.metrics",
            "metric 'nll' needs a model with an exact divergence (mlp, ebm or exact).");
    }
}

public class ExperimentsDeviceContractTests
{
    private static readonly ExperimentBackend Backend = ExperimentBackend.CreateDefault();

    private static CellSpec Cell(string yaml = ExperimentsApiContract.Yaml) => ExperimentsApiContract.Cell(yaml, Backend);

    [Fact]
    public void Nulls_and_unknown_devices_are_refused()
    {
        var cell = Cell();
        Contract.Null(() => Backend.CheckDevice(null!, "cpu"), "cell");
        Contract.Null(() => Backend.CheckDevice(cell, null!), "device");
        Contract.Argument(() => Backend.CheckDevice(cell, "tpu"), "sampler.device", "device must be one of cpu, gpu, auto, gpu-emulated, got 'tpu'.");
        Backend.CheckDevice(cell, "gpu-emulated");
        Backend.CheckDevice(cell, "auto");
        Backend.CheckDevice(cell, "cpu");
    }

    [Fact]
    public void Conditional_cells_run_on_the_cpu_only()
    {
        var guided = Cell(ExperimentsApiContract.Guided);
        Backend.CheckDevice(guided, "cpu");
        Contract.Argument(() => Backend.CheckDevice(guided, "gpu-emulated"), "sampler.device",
            "guidance and measurement cells run on the CPU solvers only (the device kernels know neither guided scores nor posterior samplers); sampler.device 'gpu-emulated' cannot run them.");
    }

    [Fact]
    public void Adaptive_solvers_have_no_device_kernel()
    {
        var adaptive = Cell(ExperimentsApiContract.Yaml.Replace("{solver: euler, steps: 4}", "{solver: dopri5}", StringComparison.Ordinal));
        Backend.CheckDevice(adaptive, "cpu");
        var reason = GpuSolver.Unsupported(SolverRegistry.CreateDefault().Create("dopri5"));
        Assert.NotNull(reason);
        Contract.Argument(() => Backend.CheckDevice(adaptive, "auto"), "sampler.solver", $"{reason}; sampler.device 'auto' cannot run it.");
    }

    [Fact]
    public void The_mlp_kernel_handles_width_up_to_the_limit()
    {
        string Mlp(int width) => ExperimentsApiContract.Yaml.Replace("{kind: exact}", $"{{kind: mlp, width: {width}}}", StringComparison.Ordinal);
        Backend.CheckDevice(Cell(Mlp(DeviceLimits.MaxWidth)), "gpu-emulated");
        Contract.Argument(() => Backend.CheckDevice(Cell(Mlp(DeviceLimits.MaxWidth + 1)), "gpu-emulated"), "model.width",
            $"the device MLP kernel handles width up to {DeviceLimits.MaxWidth}; sampler.device 'gpu-emulated' cannot run width {DeviceLimits.MaxWidth + 1}.");
        Contract.Argument(() => Backend.CheckDevice(Cell(ExperimentsApiContract.Yaml.Replace("{kind: exact}", "{kind: ebm}", StringComparison.Ordinal)), "gpu-emulated"),
            "model.kind", "model kind 'ebm' has no device kernel (sampler.device 'gpu-emulated' runs the exact mixture score and mlp models).");
    }

    /// <summary>Any registered solver that states a constraint (<see cref="ISolverConstraint"/>, as restart does for sigma_max) is
    /// held to it when the cell is checked, with the error at the parameter it names; without one, or within it, the
    /// cell passes.</summary>
    [Fact]
    public void A_solver_constraint_is_checked_with_the_cell_at_its_parameter()
    {
        var backend = ExperimentBackend.CreateDefault();
        backend.Registries.Solvers.Register("constrained_contract", "Euler-Maruyama allowed at most max_steps steps",
            p => new StepLimitedSolver(p.Integer("max_steps")), ParameterSpec.Integer("max_steps", 10, "the most steps the grid may have"));
        var cell = ExperimentsApiContract.Cell(backend: backend);
        backend.Check(cell with { Sampler = cell.Sampler with { Solver = "constrained_contract", Steps = 10 } });
        var e = Assert.Throws<ConfigPathException>(() => backend.Check(cell with { Sampler = cell.Sampler with { Solver = "constrained_contract", Steps = 11 } }));
        Assert.Equal("sampler.parameters.max_steps", e.Path);
        Assert.StartsWith("the grid has 11 steps, more than max_steps = 10", e.Message, StringComparison.Ordinal);
        backend.Check(cell with { Sampler = cell.Sampler with { Solver = "euler_maruyama", Steps = 11 } });
    }

    private sealed class StepLimitedSolver(int maxSteps) : ISolver, ISolverConstraint
    {
        private readonly EulerMaruyama _inner = new();

        public SolverTraits Traits => _inner.Traits;

        public Solution Solve(SamplingProblem problem, Batch x, TimeGrid grid, SolveOptions options)
        {
            CheckConstraint(problem.Diffusion.Sde, problem.Diffusion.Kernel, grid);
            return _inner.Solve(problem, x, grid, options);
        }

        public void CheckConstraint(ISde sde, IKernel kernel, TimeGrid grid)
        {
            if (grid.Steps > maxSteps) throw new ArgumentException($"the grid has {grid.Steps} steps, more than max_steps = {maxSteps}.", "max_steps");
        }
    }

    [Fact]
    public void A_non_linear_sde_has_no_device_kernel()
    {
        var backend = ExperimentBackend.CreateDefault();
        backend.Registries.Sdes.Register("langevin_contract", "Langevin dynamics of N(0, I)", _ => ExperimentsApiContract.Langevin());
        var cell = ExperimentsApiContract.Cell(backend: backend);
        var langevin = cell with { Sde = cell.Sde with { Kind = "langevin_contract" } };
        backend.CheckDevice(langevin, "cpu");
        Contract.Argument(() => backend.CheckDevice(langevin, "gpu-emulated"), "sde.kind",
            "SDE 'langevin_contract' is not linear; sampler.device 'gpu-emulated' needs a linear SDE.");
    }

    [Fact]
    public void Data_beyond_the_device_limits_are_refused()
    {
        string Gaussian(int dimension) => ExperimentsApiContract.Yaml.Replace("{name: 8gaussians}", $"{{name: gaussian, parameters: {{dimension: {dimension}}}}}", StringComparison.Ordinal);
        Backend.CheckDevice(Cell(Gaussian(DeviceLimits.MaxDimension)), "gpu-emulated");
        var message = $"the device kernels handle dimension <= {DeviceLimits.MaxDimension} and <= {DeviceLimits.MaxComponents} mixture components; ";
        Contract.Argument(() => Backend.CheckDevice(Cell(Gaussian(DeviceLimits.MaxDimension + 1)), "gpu-emulated"), "data.name", message + "data 'gaussian' is beyond that.");
        string Mixture(int k)
        {
            var inv = CultureInfo.InvariantCulture;
            var weights = string.Join(", ", Enumerable.Repeat((1.0 / k).ToString("R", inv), k));
            var means = string.Join(", ", Enumerable.Range(0, 2 * k).Select(i => (0.37 * i).ToString(inv)));
            var variances = string.Join(", ", Enumerable.Repeat("0.37", k));
            return ExperimentsApiContract.Yaml.Replace("{name: 8gaussians}", $"{{name: mixture, parameters: {{weights: [{weights}], means: [{means}], variances: [{variances}]}}}}", StringComparison.Ordinal);
        }
        Backend.CheckDevice(Cell(Mixture(DeviceLimits.MaxComponents)), "gpu-emulated");
        Contract.Argument(() => Backend.CheckDevice(Cell(Mixture(DeviceLimits.MaxComponents + 1)), "gpu-emulated"), "data.name", message + "data 'mixture' is beyond that.");
    }

    [Fact]
    public void Gpu_needs_a_cuda_device()
    {
        var cell = Cell();
        if (DeviceContext.IsCudaAvailable())
            Backend.CheckDevice(cell, "gpu");
        else
            Contract.Argument(() => Backend.CheckDevice(cell, "gpu"), "sampler.device",
                "sampler.device 'gpu' needs a CUDA device and none was found (no NVIDIA driver or no GPU); use 'gpu-emulated' to run the GPU kernels on the CPU, or 'auto' to fall back to the CPU solvers.");
    }
}

public class ExperimentsBackendContractTests
{
    private static readonly ExperimentBackend Backend = ExperimentBackend.CreateDefault();

    [Fact]
    public void Constructor_check_and_run_refuse_nulls()
    {
        Contract.Null(() => _ = new ExperimentBackend(null!), "registries");
        Contract.Null(() => Backend.Check(null!), "cell");
        Contract.Null(() => Backend.Run(null!, new CellRun(0, 3, 1)), "cell");
        Contract.Null(() => Backend.Run(ExperimentsApiContract.Cell(backend: Backend), null!), "run");
    }

    [Fact]
    public void T_eps_must_be_below_T()
    {
        var cell = ExperimentsApiContract.Cell(backend: Backend);
        Contract.Argument(() => Backend.Check(cell with { Sde = cell.Sde with { TEps = 1.0 } }), "sde.t_eps", "t_eps = 1 must be below T = 1.");
        Contract.Argument(() => Backend.Check(cell with { Sde = cell.Sde with { TEps = 2.5 } }), "sde.t_eps", "t_eps = 2.5 must be below T = 1.");
        Backend.Check(cell with { Sde = cell.Sde with { TEps = 0.37 } });
    }

    [Fact]
    public void Model_metrics_are_refused_in_conditional_cells_only()
    {
        var plain = ExperimentsApiContract.Cell(backend: Backend);
        Backend.Check(plain with { Eval = plain.Eval with { Metrics = ["mean_error", "nll"] } });
        var guided = ExperimentsApiContract.Cell(ExperimentsApiContract.Guided, Backend);
        Backend.Check(guided);
        Contract.Argument(() => Backend.Check(guided with { Eval = guided.Eval with { Metrics = ["mean_error", "nll"] } }), "eval.metrics",
            "metric 'nll' measures the unconditional model against the data set; a guidance or measurement cell is scored against its conditional target by sample metrics only.");
    }

    [Fact]
    public void Sampler_init_must_match_the_dimension_and_hold_enough_points()
    {
        var dir = TestFiles.NewDirectory("contract-init");
        string Rows(int n, int d) => string.Join("\n", Enumerable.Range(0, n).Select(i => string.Join(",", Enumerable.Repeat((0.37 * (i + 1)).ToString(CultureInfo.InvariantCulture), d)))) + "\n";
        TestFiles.Write(dir, "wide.csv", Rows(8, 3));
        TestFiles.Write(dir, "short.csv", Rows(7, 2));
        TestFiles.Write(dir, "exact.csv", Rows(8, 2));
        var cell = ExperimentsApiContract.Cell(backend: Backend) with { BaseDirectory = dir };
        CellSpec With(string init) => cell with { Sampler = cell.Sampler with { Init = init } };
        Contract.Argument(() => Backend.Check(With("wide.csv")), "sampler.init", "sampler.init has 3 columns but the data are 2-dimensional.");
        Contract.Argument(() => Backend.Check(With("short.csv")), "sampler.init", "sampler.init has 7 points but eval.particles is 8.");
        Backend.Check(With("exact.csv"));
    }
}

public class ExperimentsComponentCatalogContractTests
{
    private static Func<IReadOnlyList<ComponentInfo>> Entries(params string[] names) => () => names.Select(n => new ComponentInfo(n, "entry " + n)).ToList();

    [Fact]
    public void Register_checks_its_arguments_and_refuses_a_second_category_of_a_name()
    {
        var catalog = new ComponentCatalog();
        Contract.Null(() => catalog.Register(null!, "d", Entries("a")), "category");
        Contract.Argument(() => catalog.Register("", "d", Entries("a")), "category", "The value cannot be an empty string");
        Contract.Argument(() => catalog.Register("  ", "d", Entries("a")), "category", "The value cannot be an empty string or composed entirely of whitespace.");
        Contract.Null(() => catalog.Register("c", null!, Entries("a")), "description");
        Contract.Null(() => catalog.Register("c", "d", (Func<IReadOnlyList<ComponentInfo>>)null!), "entries");
        Contract.Null(() => catalog.Register("c", "d", (IRegistry[])null!), "registries");
        Assert.Empty(catalog.Categories);
        catalog.Register("alpha", "", Entries("b", "a"));
        Contract.Argument(() => catalog.Register("alpha", "again", Entries("c")), "category", "Category 'alpha' is already registered.");
        catalog.Register("beta", "second", SolverRegistry.CreateDefault());
        Assert.Equal(["alpha", "beta"], catalog.Categories);
        Assert.Equal(["a", "b"], catalog.List("alpha").Select(e => e.Name));
    }

    [Fact]
    public void An_unknown_category_is_refused_with_the_known_ones()
    {
        var catalog = new ComponentCatalog().Register("alpha", "first", Entries("a")).Register("beta", "second", Entries("b"));
        Contract.Argument(() => catalog.DescribeCategory("gamma"), "category", "Unknown category 'gamma'. Known: alpha, beta.");
        Contract.Argument(() => catalog.List("gamma"), "category", "Unknown category 'gamma'. Known: alpha, beta.");
        Assert.False(catalog.Contains("gamma", "a"));
        Assert.True(catalog.Contains("beta", "b"));
        Assert.Equal("second", catalog.DescribeCategory("beta"));
    }
}

public class ExperimentsExactLawContractTests
{
    private static ModelMetricInput Input(string? kind = "exact", IDataSet? data = null, ISde? sde = null, ISolver? solver = null) =>
        ExperimentsApiContract.Input(sde: sde, data: data ?? Gaussian.Standard(2)) with { ModelKind = kind, Solver = solver };

    [Fact]
    public void Check_names_each_missing_condition()
    {
        const string m = "exact_w2";
        Contract.Null(() => ExactSolverLaw.Check(null!, m), "input");
        Contract.Argument(() => ExactSolverLaw.Check(Input("mlp"), m), "eval.metrics",
            "metric 'exact_w2' is the exact output law of the sampler with the exact score: it needs model.kind exact, got 'mlp'.");
        Contract.Argument(() => ExactSolverLaw.Check(Input(data: ToyData.EightGaussians()), m), "eval.metrics",
            "metric 'exact_w2' needs Gaussian data (data.name gaussian or gaussian_spectrum).");
        Contract.Argument(() => ExactSolverLaw.Check(Input(sde: ExperimentsApiContract.Langevin()), m), "eval.metrics",
            "metric 'exact_w2' needs an SDE with a closed-form kernel.");
        Contract.Argument(() => ExactSolverLaw.Check(Input(sde: new ExperimentsAnisotropicPriorSde()), m), "eval.metrics",
            "metric 'exact_w2' needs an SDE whose prior is isotropic Gaussian.");
        Contract.Argument(() => ExactSolverLaw.Check(Input(solver: SolverRegistry.CreateDefault().Create("dopri5")), m), "sampler.solver",
            "metric 'exact_w2': adaptive solvers choose their steps from the batch, so their exact law holds only for the probe batch's step sequence (use AffineResponse directly); use a fixed-step solver.");
        ExactSolverLaw.Check(Input(solver: SolverRegistry.CreateDefault().Create("euler")), m);
        ExactSolverLaw.Check(Input(), m);
    }

    [Fact]
    public void Get_needs_a_time_grid()
    {
        Contract.Argument(() => new ExactSolverLaw().Get(Input(solver: SolverRegistry.CreateDefault().Create("euler")), "exact_kl"), "input", "no time grid");
    }

    [Fact]
    public void Metric_constructor_checks_every_argument()
    {
        var law = new ExactSolverLaw();
        Func<ExactSolverLaw.Laws, double> value = _ => 0.37;
        Contract.Null(() => _ = new ExactLawMetric(null!, "d", law, value), "name");
        Contract.Argument(() => _ = new ExactLawMetric(" ", "d", law, value), "name", "The value cannot be an empty string or composed entirely of whitespace.");
        Contract.Null(() => _ = new ExactLawMetric("n", null!, law, value), "description");
        Contract.Argument(() => _ = new ExactLawMetric("n", "", law, value), "description", "The value cannot be an empty string");
        Contract.Null(() => _ = new ExactLawMetric("n", "d", null!, value), "law");
        Contract.Null(() => _ = new ExactLawMetric("n", "d", law, null!), "value");
        var metric = new ExactLawMetric("n", "d", law, value);
        Assert.Equal("n", metric.Name);
        Assert.Equal("d", metric.Description);
    }
}

public class ExperimentsComponentRegistriesContractTests
{
    [Fact]
    public void Constructor_refuses_each_null_part()
    {
        var training = TrainingRegistries.CreateDefault();
        var data = DataSetRegistry.CreateDefault();
        var sdes = SdeRegistry.CreateDefault();
        var solvers = SolverRegistry.CreateDefault();
        var schedules = ScheduleRegistry.CreateDefault();
        var metrics = MetricRegistry.CreateDefault();
        var modelMetrics = ModelMetricRegistry.CreateDefault();
        var models = ModelRegistry.CreateDefault(null, training);
        Contract.Null(() => _ = new ComponentRegistries(null!, sdes, solvers, schedules, metrics, modelMetrics, models, training), "dataSets");
        Contract.Null(() => _ = new ComponentRegistries(data, null!, solvers, schedules, metrics, modelMetrics, models, training), "sdes");
        Contract.Null(() => _ = new ComponentRegistries(data, sdes, null!, schedules, metrics, modelMetrics, models, training), "solvers");
        Contract.Null(() => _ = new ComponentRegistries(data, sdes, solvers, null!, metrics, modelMetrics, models, training), "schedules");
        Contract.Null(() => _ = new ComponentRegistries(data, sdes, solvers, schedules, null!, modelMetrics, models, training), "metrics");
        Contract.Null(() => _ = new ComponentRegistries(data, sdes, solvers, schedules, metrics, null!, models, training), "modelMetrics");
        Contract.Null(() => _ = new ComponentRegistries(data, sdes, solvers, schedules, metrics, modelMetrics, null!, training), "models");
        Contract.Null(() => _ = new ComponentRegistries(data, sdes, solvers, schedules, metrics, modelMetrics, models, null!), "training");
        var r = new ComponentRegistries(data, sdes, solvers, schedules, metrics, modelMetrics, models, training);
        Assert.Same(training, r.Training);
        Assert.Same(models, r.Models);
    }

    [Fact]
    public void Sde_range_check_refuses_a_null_sde()
    {
        Contract.Null(() => SdeRangeCheck.Check(null!, 0.001, 2), "sde");
        SdeRangeCheck.Check(VpSde.Linear(), 0.001, 2);
    }

    /// <summary>Each quantity is named by its own check: an infinite alpha(t) is refused as alpha itself (not as alpha^2).</summary>
    [Fact]
    public void Sde_range_check_names_the_first_non_finite_quantity()
    {
        var alpha = Contract.Argument(() => SdeRangeCheck.Check(new ExperimentsRangeSde(alphaAt: 0.5, alpha: double.PositiveInfinity), 0.001, 2), "sde.parameters",
            "the forward SDE is not usable on [t_eps, T]: the kernel mean scale alpha(t) is ");
        Assert.Contains("Infinity at t = 0.5005; the parameters are too extreme", alpha.Message, StringComparison.Ordinal);
        var sigma = Contract.Argument(() => SdeRangeCheck.Check(new ExperimentsRangeSde(sigmaAt: 0.5, sigma: double.NaN), 0.001, 2), "sde.parameters",
            "the forward SDE is not usable on [t_eps, T]: the kernel standard deviation sigma(t) is NaN at t = 0.5005; the parameters are too extreme for double precision.");
        Assert.NotNull(sigma);
        SdeRangeCheck.Check(new ExperimentsRangeSde(), 0.001, 2);
    }

    /// <summary>
    /// The data survive at t_eps when log(alpha^2 / sigma^2) is finite, however small both are: alpha = sigma = 1e-160
    /// (squares 1e-320, subnormal; their product underflows) is accepted; alpha = 1e-200 (alpha^2 underflows to 0) is not.
    /// </summary>
    [Fact]
    public void Sde_range_check_takes_the_log_snr_at_t_eps_of_the_ratio()
    {
        SdeRangeCheck.Check(new ExperimentsRangeSde(alphaAt: 0.001, alpha: 1e-160, sigmaAt: 0.001, sigma: 1e-160), 0.001, 2);
        Contract.Argument(() => SdeRangeCheck.Check(new ExperimentsRangeSde(alphaAt: 0.001, alpha: 1e-200), 0.001, 2), "sde.parameters",
            "the forward SDE is not usable on [t_eps, T]: at t_eps = 0.001 the kernel keeps alpha = 1E-200 of the data against noise sigma = ");
    }

    /// <summary>g(t) and the drift are checked on [t_eps, T): an SDE whose diffusion blows up at T only (as flow matching's does) passes.</summary>
    [Fact]
    public void Sde_range_check_leaves_the_diffusion_at_T_unchecked()
    {
        SdeRangeCheck.Check(new ExperimentsRangeSde(diffusionAtT: double.PositiveInfinity), 0.001, 2);
        Contract.Argument(() => SdeRangeCheck.Check(new ExperimentsRangeSde(diffusionAtT: double.PositiveInfinity, singularBeforeT: true), 0.001, 2),
            "sde.parameters", "the forward SDE is not usable on [t_eps, T]: the squared diffusion g(t)^2 is Infinity at t = 0.9844");
    }

    [Fact]
    public void A_failed_result_keeps_the_statistics_it_is_given()
    {
        var statistics = new SolverStatistics(37, 5, 2);
        var failed = CellResult.Failed("NonFinite", "the samples diverged", statistics);
        Assert.Same(statistics, failed.Statistics);
        Assert.Equal("NonFinite", failed.Status);
        Assert.Equal("the samples diverged", failed.Message);
        Assert.False(failed.IsSuccess);
        Assert.Same(SolverStatistics.Zero, CellResult.Failed("NonFinite", "m").Statistics);
    }
}
