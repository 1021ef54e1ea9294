using System.Globalization;
using Diffusion.Research.Data;
using Diffusion.Research.Experiments.Conditional;
using Diffusion.Research.Experiments.Configuration;
using Diffusion.Research.Experiments.Models;
using Diffusion.Research.Experiments.Plans;
using Diffusion.Research.Experiments.Plugins;
using Diffusion.Research.Experiments.Samples;
using Diffusion.Research.Nn.Training;
using Diffusion.Research.Numerics;
using Diffusion.Research.Registries;
using Diffusion.Research.Sampling;
using Diffusion.Research.Sde;
using Diffusion.Research.Solvers;

namespace Diffusion.Research.Experiments.Backend;

/// <summary>
/// The backend over the framework's registries. One repeat of a cell: reference samples from the data set, initial
/// particles from the SDE prior (or <c>sampler.init</c>), the score model from its builder, the reverse family
/// dx = [f − (1+l²)/2 g² s] dt + l g dW̄ (001 eq 85–87; Song et al. 2021, eqs (6), (13); Zhang and Chen 2023) solved from T to
/// t_eps on the chosen time schedule, then the
/// metrics against the reference. Noise: every purpose draws from NoiseSource(seed).Derive(repeat).Derive(tag), so a
/// repeat uses the same reference, prior and Brownian draws in every cell (common random numbers across solvers) and
/// results do not depend on thread count or chunking. With <c>eval.noise_floor</c> each metric is also computed between
/// <c>eval.particles</c> exact data samples (their own noise purpose) and the repeat's reference: the two-sample noise
/// floor a sampler drawing exact samples would score. It depends only on the data set, the two sizes, the metric, the
/// seed and the repeat, so the backend computes it once per such key and every cell of the repeat reports the same value.
/// </summary>
public sealed partial class ExperimentBackend : IExperimentBackend, IPluginHost
{
    // FreshDataTag: exact data samples independent of the reference, the prior, the solver and training; used
    // both by the two-sample noise floor and as the held-out data of model metrics such as nll.
    private const ulong ReferenceTag = 1, PriorTag = 2, SolverTag = 3, ModelTag = 4, FreshDataTag = 5;
    private readonly ComponentRegistries _registries;
    private readonly PluginLoader _plugins;
    private readonly Dictionary<string, IReadOnlyDictionary<string, double>> _floors = new(StringComparer.Ordinal);

    /// <summary>Creates a backend resolving every name in <paramref name="registries"/> (the composition root).</summary>
    public ExperimentBackend(ComponentRegistries registries)
    {
        _registries = registries ?? throw new ArgumentNullException(nameof(registries));
        _plugins = new PluginLoader(registries);
        var r = registries;
        Catalog = new ComponentCatalog()
            .Register("solvers", "sampler.solver: the solver zoo", r.Solvers)
            .Register("sdes", "sde.kind: forward SDEs (the noise schedule is part of the kind)", r.Sdes)
            .Register("schedules", "sampler.schedule: time grids from T down to t_eps", r.Schedules)
            .Register("datasets", "data.name: data distributions and toy sets", r.DataSets)
            .Register("metrics", "eval.metrics: sample-quality metrics against reference samples, and metrics of the model", r.Metrics, r.ModelMetrics)
            .Register("models", "model.kind: score models", r.Models)
            .Register("model-keys", "model.*: keys of the mlp and ebm blocks and their train: block (default in parentheses)", () => NeuralModelSettings.Keys.Select(k => new ComponentInfo(k.Name, k.Description)).ToList())
            .Register("losses", "model.train.loss: score-matching losses of the neural models", r.Training.Losses)
            .Register("weightings", "model.train.weighting: loss weightings lambda(t)", r.Training.Weightings)
            .Register("t-samplings", "model.train.t_sampling: training-time distributions", r.Training.TimeSamplings)
            .Register("optimizers", "model.train.optimizer: optimisers of the neural models", r.Training.Optimizers)
            .Register("block-keys", "data.*, sde.*, model.*, sampler.*, eval.*, table.*: keys of the experiment blocks (default in parentheses; the neural models' keys: model-keys)",
                () => [.. DataBlock.Table.Describe(), .. SdeBlock.Table.Describe(), .. ModelBlock.Table.Describe(), .. SamplerBlock.Table.Describe(),
                    .. EvalBlock.Table.Describe(), .. TableBlock.Table.Describe()]);
    }

    /// <inheritdoc />
    public ComponentCatalog Catalog { get; }

    /// <summary>The registries this backend resolves names in (plugins register into them).</summary>
    public ComponentRegistries Registries => _registries;

    /// <inheritdoc />
    public void LoadPlugin(string path) => _plugins.Load(path);

    /// <summary>The default backend over <see cref="ComponentRegistries.CreateDefault"/>; neural training reported to <paramref name="monitor"/>.</summary>
    public static ExperimentBackend CreateDefault(TrainingMonitor? monitor = null) => new(ComponentRegistries.CreateDefault(monitor));

    /// <inheritdoc />
    public void Check(CellSpec cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        var data = CreateData(cell);
        var sde = CreateSde(cell);
        var solver = CreateSolver(cell);
        _registries.Models.Get(cell.Model.Kind).Check(new ModelContext(cell.Model, data, sde, default, 1) { TimeEpsilon = cell.Sde.TEps });
        foreach (var name in cell.Eval.Metrics)
            if (_registries.ModelMetrics.Contains(name))
                ModelMetric(cell.Eval, name).Check(new ModelMetricInput(null, sde, data, default, cell.Sde.TEps, 1) { Solver = solver, ModelKind = cell.Model.Kind });
            else
                CheckSampleSizes(cell, name, SampleMetric(cell.Eval, name), data.Dimension); // built once here: eval.metric_parameters checked against the metric's schema
        if (!solver.Traits.IsAdaptive && cell.Sampler.Steps is null && cell.Sampler.Nfe is null)
            throw new ArgumentException($"fixed-step solver '{cell.Sampler.Solver}' needs sampler.steps or sampler.nfe.", "sampler.solver");
        if (cell.Sde.TEps >= sde.T)
            throw new ArgumentException($"t_eps = {cell.Sde.TEps.ToString(CultureInfo.InvariantCulture)} must be below T = {sde.T.ToString(CultureInfo.InvariantCulture)}.", "sde.t_eps");
        SdeRangeCheck.Check(sde, cell.Sde.TEps, data.Dimension);
        ConditionalCell.Check(cell, data, sde, _registries.PosteriorSamplers); // guidance: / measurement: blocks
        if (cell.Conditional is not null && cell.Eval.Metrics.FirstOrDefault(_registries.ModelMetrics.Contains) is { } modelMetric)
            throw new ArgumentException($"metric '{modelMetric}' measures the unconditional model against the data set; a guidance or measurement cell is scored against its conditional target by sample metrics only.", "eval.metrics");
        var grid = Grid(cell, sde, solver);
        if (solver is ISolverConstraint constraint && sde.Kernel is { } kernel) // e.g. restart's sigma_max against the SDE
            Wrap(() => { constraint.CheckConstraint(sde, kernel, grid); return 0; }, "sampler.parameters", "sampler.solver", _registries.Solvers, cell.Sampler.Solver);
        if (cell.Sampler.Device is { } device) CheckDevice(cell, device);
        if (cell.Sampler.Init is not null)
        {
            var init = ReadInit(cell);
            if (init.Dimension != data.Dimension)
                throw new ArgumentException($"sampler.init has {init.Dimension} columns but the data are {data.Dimension}-dimensional.", "sampler.init");
            if (init.Count < cell.Eval.Particles)
                throw new ArgumentException($"sampler.init has {init.Count} points but eval.particles is {cell.Eval.Particles}.", "sampler.init");
        }
    }

    /// <inheritdoc />
    public CellResult Run(CellSpec cell, CellRun run)
    {
        ArgumentNullException.ThrowIfNull(cell);
        ArgumentNullException.ThrowIfNull(run);
        var noise = new NoiseSource(run.Seed).Derive((ulong)run.Repeat);
        var data = CreateData(cell);
        var sde = CreateSde(cell);
        var inner = CreateSolver(cell);
        var solver = ConditionalCell.Solver(cell, data, inner, _registries.PosteriorSamplers);
        var target = ConditionalCell.Target(cell, data) ?? data; // the exact conditional, tilted or posterior law of a conditional cell
        var reference = new Batch(cell.Eval.Reference, data.Dimension);
        target.Sample(reference, noise.Derive(ReferenceTag), 0);
        var floor = cell.Eval.NoiseFloor ? Floor(cell, run, target, reference, noise.Derive(FreshDataTag)) : new Dictionary<string, double>();
        Batch x;
        if (cell.Sampler.Init is null)
        {
            x = new Batch(cell.Eval.Particles, data.Dimension);
            sde.Prior(data.Dimension).Sample(x, noise.Derive(PriorTag), 0);
        }
        else
        {
            x = ReadInit(cell).Slice(0, cell.Eval.Particles).Clone();
        }
        var score = _registries.Models.Get(cell.Model.Kind).Build(new ModelContext(cell.Model, data, sde, noise.Derive(ModelTag), run.Threads)
        {
            Key = cell.ModelKey.Length == 0 ? null : cell.ModelKey,
            TimeEpsilon = cell.Sde.TEps,
        });
        score = ConditionalCell.Score(cell, sde, score, run.Seed);
        // λ follows sampler.solver: a measurement's posterior sampler wraps it and draws noise of its own (so it counts as
        // stochastic), but an ODE solver inside it still integrates the probability-flow ODE (λ = 0).
        var lambda = cell.Sampler.Lambda ?? (inner.Traits.IsStochastic ? 1.0 : 0.0);
        var problem = SamplingProblem.Reverse(sde, score, lambda);
        var options = new SolveOptions
        {
            Noise = noise.Derive(SolverTag),
            Threads = run.Threads,
            RelativeTolerance = cell.Sampler.RelativeTolerance,
            AbsoluteTolerance = cell.Sampler.AbsoluteTolerance,
            MaxSteps = cell.Sampler.MaxSteps,
            InitialStep = cell.Sampler.InitialStep ?? InitialStep.FromGrid, // unset: the committed tables' behaviour
        };
        var grid = Grid(cell, sde, solver);
        var (runner, device) = OnDevice(solver, run.Device ?? cell.Sampler.Device ?? "cpu");
        var solution = runner.Solve(problem, x, grid, options);
        if (!solution.IsSuccess)
            return CellResult.Failed(solution.Status.ToString(), solution.Message ?? $"stopped at t = {solution.ReachedTime.ToString("G6", CultureInfo.InvariantCulture)}", solution.Statistics) with { Floor = floor, Device = device };
        if (!solution.Samples.IsFinite())
            return CellResult.Failed(nameof(SolveStatus.NonFinite), "the final samples are not finite", solution.Statistics) with { Floor = floor, Device = device };
        var end = grid[grid.Steps]; // t_eps: where the samples should follow the data noised by the kernel
        var (alphaEnd, sigmaEnd) = sde.Kernel is { } kernel ? (kernel.Alpha(end), kernel.Sigma(end)) : (1.0, 0.0);
        if (DivergenceCheck.Check(solution.Samples, reference, alphaEnd, sigmaEnd) is { } diverged)
            return CellResult.Failed(DivergenceCheck.Status, diverged, solution.Statistics) with { Floor = floor, Device = device };
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var name in cell.Eval.Metrics)
            metrics[name] = _registries.ModelMetrics.Contains(name)
                ? ModelMetric(cell.Eval, name).Compute(new ModelMetricInput(score, sde, data, noise.Derive(FreshDataTag), cell.Sde.TEps, run.Threads)
                    { Solver = solver, Grid = grid, Lambda = lambda, ModelKind = cell.Model.Kind })
                : SampleMetric(cell.Eval, name).Compute(solution.Samples, reference);
        return new CellResult(CellResult.SuccessStatus, null, metrics, solution.Statistics, solution.Samples, reference) { Floor = floor, Device = device };
    }


    /// <summary>
    /// The sampling grid: adaptive solvers get the single interval [T, t_eps]; fixed-step solvers get
    /// sampler.steps steps, or max(1, round(nfe / NFE per step)) for an NFE budget.
    /// </summary>
    private TimeGrid Grid(CellSpec cell, ISde sde, ISolver solver)
    {
        var steps = solver.Traits.IsAdaptive ? 1
            : cell.Sampler.Steps ?? Math.Max(1, (int)Math.Round((double)cell.Sampler.Nfe!.Value / Math.Max(1, solver.Traits.NfePerStep), MidpointRounding.AwayFromZero));
        var schedule = Wrap(() => _registries.Schedules.Create(cell.Sampler.Schedule, cell.Sampler.ScheduleParameters), "sampler.schedule_parameters", "sampler.schedule",
            _registries.Schedules, cell.Sampler.Schedule);
        return Wrap(() => schedule.Create(sde, cell.Sde.TEps, steps), "sampler.schedule_parameters", "sampler.schedule", _registries.Schedules, cell.Sampler.Schedule);
    }

    private IDataSet CreateData(CellSpec cell)
    {
        var values = cell.Data.Parameters.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal);
        return Wrap(() => _registries.DataSets.CreateFromLists(cell.Data.Name, values), "data.parameters", "data.name", _registries.DataSets, cell.Data.Name);
    }

    private ISde CreateSde(CellSpec cell) => Wrap(() => _registries.Sdes.Create(cell.Sde.Kind, cell.Sde.Parameters), "sde.parameters", "sde.kind",
        _registries.Sdes, cell.Sde.Kind);

    private ISolver CreateSolver(CellSpec cell) => Wrap(() => _registries.Solvers.Create(cell.Sampler.Solver, cell.Sampler.Parameters), "sampler.parameters", "sampler.solver",
        _registries.Solvers, cell.Sampler.Solver);

    private static Batch ReadInit(CellSpec cell)
    {
        try
        {
            return SampleFile.Read(Path.Combine(cell.BaseDirectory, cell.Sampler.Init!));
        }
        catch (Exception e) when (e is IOException or InvalidDataException or FormatException or UnauthorizedAccessException)
        {
            throw new ArgumentException(e.Message, "sampler.init", e);
        }
    }

    /// <summary>
    /// Runs a factory and re-labels its argument errors with the dotted key at fault: a bad parameter (a
    /// <see cref="ParameterException"/>) as <paramref name="parametersKey"/>.KEY, an unknown name as
    /// <paramref name="nameKey"/>, any other argument error of the component as its own dotted key or the block's. A
    /// component's argument that denotes one of the parameters <paramref name="registry"/> declares for
    /// <paramref name="name"/> (<see cref="ParameterSpec.Denotes"/>: the C# argument <c>t</c> of flow-matching's <c>T</c>,
    /// ou's <c>noiseScale</c> for <c>s</c>) is named as the registry, and so the experiment file, spells it.
    /// </summary>
    private static T Wrap<T>(Func<T> create, string parametersKey, string nameKey, IRegistry? registry = null, string? name = null)
    {
        try
        {
            return create();
        }
        catch (ParameterException e)
        {
            throw new ConfigPathException(parametersKey + "." + e.Key, e.Message, e);
        }
        catch (UnknownNameException e)
        {
            throw new ConfigPathException(nameKey, e.Message, e);
        }
        catch (ConfigPathException)
        {
            throw;
        }
        catch (ArgumentException e)
        {
            var path = e.ParamName switch
            {
                { Length: > 0 } p when p.Contains('.') => p,
                { Length: > 0 } p when p != "parameters" => parametersKey + "." + DeclaredKey(p, registry, name),
                _ => parametersKey,
            };
            throw new ConfigPathException(path, ConfigPathException.MessageOf(e), e);
        }
    }

    private static string DeclaredKey(string argument, IRegistry? registry, string? name)
    {
        var key = ArgumentMessage.SnakeCase(argument);
        if (registry is null || name is null || !registry.Contains(name)) return key;
        return registry.ParametersOf(name).FirstOrDefault(spec => spec.Denotes(argument))?.Name ?? key;
    }
}
