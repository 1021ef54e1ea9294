using System.Text.Json;
using Diffusion.Research.Experiments.Configuration;
using Diffusion.Research.Sampling;

namespace Diffusion.Research.Experiments.Plans;

/// <summary>
/// The keys of the <c>sampler:</c> block as a declarative table, one row per key: type, default, validation and how it
/// enters the cell's identity. <c>solver</c> (required, read first) and <c>by_solver</c> (per-solver overrides of any
/// row) are the block's structure; every row may appear under <c>sampler.by_solver.NAME</c>. Defaults come from
/// <see cref="SolveOptions"/>. Adding a key is one row here, one property of <see cref="SamplerSpec"/> (with its
/// default) and its use in the backend; a new row is <see cref="KeyIdentity.WhenSet"/>, so existing cell ids do not change.
/// </summary>
public static class SamplerBlock
{
    private static readonly SolveOptions Solve = new();

    /// <summary>The spec of a cell that sets nothing but its solver.</summary>
    public static SamplerSpec Defaults(string solver) => new(solver, null, null, "uniform", Empty, null,
        Solve.RelativeTolerance, Solve.AbsoluteTolerance, Solve.MaxSteps, Empty, false, null);

    /// <summary>The table of the rows, in canonical-JSON order (after <c>solver</c>).</summary>
    public static KeyTable<SamplerSpec> Table { get; } = new("sampler",
    [
        Integer("steps", "fixed-step solvers: number of steps (give steps or nfe)", 1, 1_000_000, s => s.Steps, (s, v) => s with { Steps = v }),
        Integer("nfe", "fixed-step solvers: score-evaluation budget, steps = round(nfe / NFE per step)", 1, 1_000_000, s => s.Nfe, (s, v) => s with { Nfe = v }),
        new("schedule", "time schedule (uniform)", KeyIdentity.Always,
            (c, n, s) => c.Binder.Name(n, c.Path, "schedules", "time schedule") is { } v ? s with { Schedule = v } : null,
            (w, s) => w.WriteString("schedule", s.Schedule)),
        Map("schedule_parameters", "parameters of the time schedule", s => s.ScheduleParameters, (s, v) => s with { ScheduleParameters = v }),
        new("lambda", "reverse-family l: 0 PF-ODE, 1 reverse SDE (solver default: 0 deterministic, 1 stochastic)", KeyIdentity.Always,
            (c, n, s) => c.Binder.Number(n, c.Path, 0, 10) is { } v ? s with { Lambda = v } : null,
            (w, s) => { if (s.Lambda is { } l) w.WriteNumber("lambda", l); else w.WriteNull("lambda"); }),
        Number("rtol", $"relative tolerance of adaptive solvers ({Solve.RelativeTolerance})", s => s.RelativeTolerance, (s, v) => s with { RelativeTolerance = v }),
        Number("atol", $"absolute tolerance of adaptive solvers ({Solve.AbsoluteTolerance})", s => s.AbsoluteTolerance, (s, v) => s with { AbsoluteTolerance = v }),
        new("max_steps", $"step budget of adaptive solvers ({Solve.MaxSteps})", KeyIdentity.Always,
            (c, n, s) => c.Binder.Integer(n, c.Path, 1, 100_000_000) is { } v ? s with { MaxSteps = (int)v } : null,
            (w, s) => w.WriteNumber("max_steps", s.MaxSteps)),
        Map("parameters", "parameters of the solver (diffusion list solvers)", s => s.Parameters, (s, v) => s with { Parameters = v }),
        new("dump", "write the final samples of each cell (false)", KeyIdentity.Always,
            (c, n, s) => c.Binder.Boolean(n, c.Path) is { } v ? s with { Dump = v } : null,
            (w, s) => w.WriteBoolean("dump", s.Dump)),
        new("init", "initial particles from a .csv or .npy file instead of the prior", KeyIdentity.Always, BindInit,
            (w, s) => { if (s.Init is null) w.WriteNull("init"); else w.WriteString("init", s.Init); }),
        new("device", $"where the solver runs: {string.Join(" | ", Gpu.DeviceKinds.Names)} (the CPU solvers; docs/gpu.md)", KeyIdentity.WhenSet,
            BindDevice, (w, s) => w.WriteString("device", s.Device), s => s.Device is not null),
        new("initial_step", "first step of adaptive solvers: auto (Hairer-Norsett-Wanner I II.4), grid (the grid's first step: the whole interval) or dt0 > 0 (grid)",
            KeyIdentity.WhenSet, BindInitialStep, WriteInitialStep, s => s.InitialStep is not null),
    ]);

    /// <summary>The rows, in canonical-JSON order (after <c>solver</c>).</summary>
    public static IReadOnlyList<KeyRow<SamplerSpec>> Rows => Table.Rows;

    /// <summary>Every key of the block.</summary>
    public static IReadOnlyList<string> Keys { get; } = ["solver", .. Rows.Select(r => r.Key), "by_solver"];

    /// <summary>The keys <c>sampler.by_solver.NAME</c> may replace: every row.</summary>
    public static IReadOnlyList<string> OverrideKeys { get; } = Rows.Select(r => r.Key).ToArray();

    /// <summary>Binds the rows present in <paramref name="block"/> over the defaults; null when any was bad (errors reported).</summary>
    public static SamplerSpec? Bind(ConfigBinder b, ConfigMapping block, string solver, string baseDirectory)
    {
        var spec = Table.Bind(b, block, Defaults(solver), baseDirectory);
        var ok = spec is not null;
        if (block.Find("steps") is not null && block.Find("nfe") is { } nfe)
        {
            b.Error(nfe.Key.Location, "give either sampler.steps or sampler.nfe, not both");
            ok = false;
        }
        return ok ? spec : null;
    }

    /// <summary>Writes the block: <c>solver</c>, then every row that must be written.</summary>
    public static void Write(Utf8JsonWriter w, SamplerSpec spec)
    {
        w.WriteStartObject("sampler");
        w.WriteString("solver", spec.Solver);
        Table.WriteRows(w, spec);
        w.WriteEndObject();
    }

    private static SamplerSpec? BindDevice(KeyContext c, ConfigNode node, SamplerSpec spec)
    {
        if (c.Binder.String(node, c.Path) is not { } device) return null;
        if (Gpu.DeviceKinds.Parse(device) is not null) return spec with { Device = device };
        c.Binder.Error(node.Location, $"sampler.device must be one of {string.Join(", ", Gpu.DeviceKinds.Names)}, got '{device}'");
        return null;
    }

    private static SamplerSpec? BindInitialStep(KeyContext c, ConfigNode node, SamplerSpec spec)
    {
        if (node is ConfigScalar { IsQuoted: false } scalar && scalar.Value is "auto" or "grid")
            return spec with { InitialStep = scalar.Value == "auto" ? InitialStep.Automatic : InitialStep.FromGrid };
        if (node is ConfigScalar { IsQuoted: false } number && double.TryParse(number.Value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _))
            return c.Binder.Number(node, c.Path, 0, double.MaxValue, minExclusive: true) is { } dt0 ? spec with { InitialStep = InitialStep.Of(dt0) } : null;
        c.Binder.Error(node.Location, $"{c.Path} must be auto, grid or a number dt0 > 0, got {(node is ConfigScalar s ? $"'{s.Value}'" : node.KindName)}");
        return null;
    }

    private static void WriteInitialStep(Utf8JsonWriter w, SamplerSpec spec)
    {
        var rule = spec.InitialStep!;
        if (rule.Rule == InitialStepRule.Given) w.WriteNumber("initial_step", rule.Value);
        else w.WriteString("initial_step", rule.ToString());
    }

    private static SamplerSpec? BindInit(KeyContext c, ConfigNode node, SamplerSpec spec)
    {
        if (c.Binder.String(node, c.Path) is not { } path) return null;
        var ext = Path.GetExtension(path).ToLowerInvariant();
        if (ext is not (".csv" or ".npy"))
        {
            c.Binder.Error(node.Location, $"sampler.init must be a .csv or .npy file, got '{path}'");
            return null;
        }
        if (Directory.Exists(Path.Combine(c.BaseDirectory, path)))
        {
            c.Binder.Error(node.Location, $"sampler.init '{path}' is a folder, not a file");
            return null;
        }
        if (!File.Exists(Path.Combine(c.BaseDirectory, path)))
        {
            c.Binder.Error(node.Location, $"sampler.init file '{path}' does not exist (relative paths start at the experiment file's folder)");
            return null;
        }
        return spec with { Init = path };
    }

    private static KeyRow<SamplerSpec> Integer(string key, string description, long min, long max, Func<SamplerSpec, int?> get, Func<SamplerSpec, int, SamplerSpec> set) =>
        new(key, description, KeyIdentity.Always,
            (c, n, s) => c.Binder.Integer(n, c.Path, min, max) is { } v ? set(s, (int)v) : null,
            (w, s) => { if (get(s) is { } v) w.WriteNumber(key, v); else w.WriteNull(key); });

    private static KeyRow<SamplerSpec> Number(string key, string description, Func<SamplerSpec, double> get, Func<SamplerSpec, double, SamplerSpec> set) =>
        new(key, description, KeyIdentity.Always,
            (c, n, s) => c.Binder.Number(n, c.Path, 0, 1, minExclusive: true) is { } v ? set(s, v) : null,
            (w, s) => w.WriteNumber(key, get(s)));

    private static KeyRow<SamplerSpec> Map(string key, string description, Func<SamplerSpec, IReadOnlyDictionary<string, double>> get,
        Func<SamplerSpec, IReadOnlyDictionary<string, double>, SamplerSpec> set) =>
        new(key, description, KeyIdentity.Always,
            (c, n, s) => c.Binder.NumberMap(n, c.Path) is { } v ? set(s, v) : null,
            (w, s) =>
            {
                var map = get(s);
                w.WriteStartObject(key);
                foreach (var k in map.Keys.OrderBy(k => k, StringComparer.Ordinal)) w.WriteNumber(k, map[k]);
                w.WriteEndObject();
            });

    private static readonly IReadOnlyDictionary<string, double> Empty = new SortedDictionary<string, double>(StringComparer.Ordinal);
}
