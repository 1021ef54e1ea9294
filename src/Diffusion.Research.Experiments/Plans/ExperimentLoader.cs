using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Diffusion.Research.Experiments.Backend;
using Diffusion.Research.Experiments.Conditional;
using Diffusion.Research.Experiments.Configuration;

namespace Diffusion.Research.Experiments.Plans;

/// <summary>
/// Turns an experiment YAML file into a validated <see cref="ExperimentPlan"/>: strict keys and types, names checked
/// against the backend's catalog, sweep expansion (cartesian product plus zipped groups) with every swept value
/// validated exactly like the key it replaces, and a backend check of every cell. All problems are reported together
/// as a <see cref="ConfigException"/> with file, line and column.
/// </summary>
public sealed partial class ExperimentLoader
{
    /// <summary>Top-level keys.</summary>
    public static readonly IReadOnlyList<string> TopKeys = ["name", "description", "seed", "repeats", "data", "sde", "model", "sampler", "eval", "sweep", "table", .. ConditionalBinder.Sections];
    /// <summary>Keys of <c>data:</c>.</summary>
    public static readonly IReadOnlyList<string> DataKeys = ["name", "parameters"];
    /// <summary>Keys of <c>sde:</c>.</summary>
    public static readonly IReadOnlyList<string> SdeKeys = ["kind", "parameters", "t_eps"];
    /// <summary>Keys of <c>sampler:</c>.</summary>
    public static readonly IReadOnlyList<string> SamplerKeys = ["solver", "steps", "nfe", "schedule", "schedule_parameters", "lambda", "rtol", "atol", "max_steps", "parameters", "dump", "init", "by_solver"];
    /// <summary>Keys of <c>sampler.by_solver.NAME:</c>, the sampler keys a solver-specific override may replace.</summary>
    public static readonly IReadOnlyList<string> SolverOverrideKeys = ["steps", "nfe", "schedule", "schedule_parameters", "lambda", "rtol", "atol", "max_steps", "parameters", "dump", "init"];
    /// <summary>Keys of <c>eval:</c>.</summary>
    public static readonly IReadOnlyList<string> EvalKeys = ["particles", "reference", "metrics", "scatter", "noise_floor"];
    /// <summary>Keys of <c>table:</c>.</summary>
    public static readonly IReadOnlyList<string> TableKeys = ["rows", "columns", "value", "aggregation", "format"];
    /// <summary>Values a table may show besides metrics.</summary>
    public static readonly IReadOnlyList<string> StatisticValues = ["nfe", "accepted", "rejected"];
    /// <summary>The sections a sweep key may start with.</summary>
    public static readonly IReadOnlyList<string> SweepableSections = ["data", "sde", "model", "sampler", "eval", .. ConditionalBinder.Sections];

    private const int MaxCells = 100_000;
    private readonly IExperimentBackend _backend;

    /// <summary>Creates a loader that checks names and cells with <paramref name="backend"/>.</summary>
    public ExperimentLoader(IExperimentBackend backend)
    {
        _backend = backend ?? throw new ArgumentNullException(nameof(backend));
    }

    /// <summary>Loads and validates a file. Throws <see cref="ConfigException"/>; relative paths in it resolve against its folder.</summary>
    public ExperimentPlan Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var root = YamlConfigReader.ReadFile(path);
        var text = File.ReadAllText(path);
        var dir = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        return Bind(root, path, text, dir);
    }

    /// <summary>Parses and validates YAML text; <paramref name="file"/> names it in errors.</summary>
    public ExperimentPlan Parse(string text, string file, string baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Bind(YamlConfigReader.Parse(text, file), file, text, baseDirectory);
    }

    private ExperimentPlan Bind(ConfigNode rootNode, string file, string text, string baseDirectory)
    {
        var b = new ConfigBinder(_backend.Catalog);
        var root = b.Mapping(rootNode, "the experiment file");
        if (root is null) throw Fail(b);
        b.CheckKeys(root, "the experiment file", TopKeys);

        string? name = null;
        if (b.Get(root, "name", "name", true) is { } nameNode && b.String(nameNode, "name") is { } n)
        {
            if (NamePattern().IsMatch(n)) name = n;
            else b.Error(nameNode.Location, $"name must be letters, digits, '.', '_' or '-' (it names the results folder), got '{n}'");
        }
        var description = b.Get(root, "description", "description", false) is { } d ? b.String(d, "description") ?? "" : "";
        var seed = b.Get(root, "seed", "seed", false) is { } s ? b.Integer(s, "seed", 0, long.MaxValue) ?? 0 : 0;
        var repeats = b.Get(root, "repeats", "repeats", false) is { } r ? (int)(b.Integer(r, "repeats", 1, 1000) ?? 1) : 1;

        var axes = ReadSweep(b, root);
        var cellRoot = root.Without("name", "description", "seed", "repeats", "sweep", "table");

        var cells = new List<CellSpec>();
        var total = 1L;
        foreach (var axis in axes) total *= axis.Length;
        if (total > MaxCells)
        {
            b.Error(root.Find("sweep")!.Key.Location, $"the sweep has {total} cells; at most {MaxCells} are allowed");
            throw Fail(b);
        }
        var ids = new Dictionary<string, int>();
        var overridden = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
        for (var index = 0; index < total; index++)
        {
            var tree = cellRoot;
            var overrides = new List<SweepValue>();
            var rest = index;
            var picks = new int[axes.Count];
            for (var a = axes.Count - 1; a >= 0; a--)
            {
                picks[a] = rest % axes[a].Length;
                rest /= axes[a].Length;
            }
            var ok = true;
            for (var a = 0; a < axes.Count && ok; a++)
            {
                for (var k = 0; k < axes[a].Keys.Count && ok; k++)
                {
                    var key = axes[a].Keys[k];
                    var value = axes[a].Values[k][picks[a]];
                    tree = Apply(b, tree, key, key.Value.Split('.'), 0, value, ref ok);
                    overrides.Add(new SweepValue(key.Value, Display(value)));
                }
            }
            if (!ok) break;
            var errorsBefore = b.Errors.Count;
            var cell = BindCell(b, tree, index, overrides, baseDirectory, overridden);
            if (cell is null || b.Errors.Count > errorsBefore) continue;
            try
            {
                _backend.Check(cell);
            }
            catch (ArgumentException e)
            {
                var path = e is ConfigPathException located ? located.Path : e.ParamName;
                var at = (path is null ? null : cell.Locate(path)) ?? rootNode.Location;
                b.Error(at, $"{(path is null ? "" : path + ": ")}{ConfigPathException.MessageOf(e)}");
                continue;
            }
            if (ids.TryGetValue(cell.Id, out var twin))
            {
                b.Error(root.Find("sweep")?.Key.Location ?? root.Location, $"sweep cells #{twin} and #{index} have the same resolved configuration");
                continue;
            }
            ids.Add(cell.Id, index);
            cells.Add(cell);
        }

        if (b.Errors.Count == 0)
            foreach (var (solverName, at) in overridden)
                if (!cells.Any(c => c.Sampler.Solver == solverName))
                    b.Error(at, $"sampler.by_solver.{solverName} is never used: no cell runs solver '{solverName}'");

        var table = ReadTable(b, root, axes, cells);
        if (b.Errors.Count > 0 || name is null || table is null) throw Fail(b);
        var hash = Hash(name, (ulong)seed, repeats, cells, table);
        return new ExperimentPlan(name, description, (ulong)seed, repeats, cells, table, file, text, hash);
    }

    private static List<SweepAxis> ReadSweep(ConfigBinder b, ConfigMapping root)
    {
        var axes = new List<SweepAxis>();
        if (b.Get(root, "sweep", "sweep", false) is not { } node || b.Mapping(node, "sweep") is not { } sweep) return axes;
        var seen = new HashSet<string>();
        foreach (var entry in sweep.Entries)
        {
            if (entry.Name == "zip")
            {
                if (entry.Value is not ConfigSequence groups || groups.Items.Count == 0)
                {
                    b.Error(entry.Value.Location, "sweep.zip must be a non-empty list of groups, each a mapping of dotted keys to lists of equal length");
                    continue;
                }
                foreach (var g in groups.Items)
                {
                    if (b.Mapping(g, "a sweep.zip group") is not { } group) continue;
                    if (group.Entries.Count == 0) { b.Error(group.Location, "a sweep.zip group must not be empty"); continue; }
                    var keys = new List<ConfigScalar>();
                    var values = new List<IReadOnlyList<ConfigNode>>();
                    foreach (var e in group.Entries)
                    {
                        if (SweepEntry(b, e, seen) is { } list) { keys.Add(e.Key); values.Add(list); }
                    }
                    if (keys.Count != group.Entries.Count) continue;
                    var length = values[0].Count;
                    var bad = false;
                    for (var i = 1; i < values.Count; i++)
                    {
                        if (values[i].Count == length) continue;
                        b.Error(keys[i].Location, $"zipped sweep key '{keys[i].Value}' has {values[i].Count} values but '{keys[0].Value}' has {length}; zipped lists must have equal length");
                        bad = true;
                    }
                    if (!bad) axes.Add(new SweepAxis(keys, values));
                }
                continue;
            }
            if (SweepEntry(b, entry, seen) is { } items) axes.Add(new SweepAxis([entry.Key], [items]));
        }
        return axes;
    }

    private static IReadOnlyList<ConfigNode>? SweepEntry(ConfigBinder b, ConfigEntry entry, HashSet<string> seen)
    {
        var key = entry.Name;
        var parts = key.Split('.');
        if (parts.Length < 2 || !SweepableSections.Contains(parts[0]) || parts.Any(p => p.Length == 0))
        {
            b.Error(entry.Key.Location, $"sweep key '{key}' must be a dotted key inside {string.Join(", ", SweepableSections)} (e.g. sampler.solver)");
            return null;
        }
        if (!seen.Add(key))
        {
            b.Error(entry.Key.Location, $"sweep key '{key}' is swept twice");
            return null;
        }
        if (entry.Value is not ConfigSequence seq || seq.Items.Count == 0)
        {
            b.Error(entry.Value.Location, $"sweep.{key} must be a non-empty list of values, got {entry.Value.KindName}");
            return null;
        }
        return seq.Items;
    }

    private static ConfigMapping Apply(ConfigBinder b, ConfigMapping tree, ConfigScalar key, string[] parts, int depth, ConfigNode value, ref bool ok)
    {
        var segment = new ConfigScalar(parts[depth], false, key.Location);
        if (depth == parts.Length - 1) return tree.With(segment, value);
        var child = tree.Find(parts[depth])?.Value;
        ConfigMapping childMap;
        if (child is null || child is ConfigScalar { IsNull: true }) childMap = new ConfigMapping([], key.Location);
        else if (child is ConfigMapping m) childMap = m;
        else
        {
            b.Error(key.Location, $"cannot sweep '{key.Value}': '{string.Join('.', parts[..(depth + 1)])}' is {child.KindName}, not a mapping");
            ok = false;
            return tree;
        }
        return tree.With(segment, Apply(b, childMap, key, parts, depth + 1, value, ref ok));
    }

    private static CellSpec? BindCell(ConfigBinder b, ConfigMapping tree, int index, IReadOnlyList<SweepValue> overrides, string baseDirectory,
        Dictionary<string, SourceLocation> overridden)
    {
        var before = b.Errors.Count;
        ConfigMapping Section(string key, bool required)
        {
            var node = b.Get(tree, key, key, required);
            return node is null ? new ConfigMapping([], tree.Location) : b.Mapping(node, key) ?? new ConfigMapping([], node.Location);
        }

        var dataNode = Section("data", true);
        b.CheckKeys(dataNode, "data", DataKeys);
        var dataName = b.Get(dataNode, "name", "data.name", true) is { } dn ? b.Name(dn, "data.name", "datasets", "data set") : null;
        var dataParameters = b.Get(dataNode, "parameters", "data.parameters", false) is { } dp ? b.NumberListMap(dp, "data.parameters") : EmptyLists;

        var sdeNode = Section("sde", true);
        b.CheckKeys(sdeNode, "sde", SdeKeys);
        var kind = b.Get(sdeNode, "kind", "sde.kind", true) is { } k ? b.Name(k, "sde.kind", "sdes", "SDE") : null;
        var sdeParameters = b.Get(sdeNode, "parameters", "sde.parameters", false) is { } sp ? b.NumberMap(sp, "sde.parameters") : Empty;
        var tEps = b.Get(sdeNode, "t_eps", "sde.t_eps", false) is { } te ? b.Number(te, "sde.t_eps", 0, 1, minExclusive: true, maxExclusive: true) : 1e-3;

        var modelNode = Section("model", false);
        var modelKind = b.Get(modelNode, "kind", "model.kind", false) is { } mk ? b.Name(mk, "model.kind", "models", "model kind") : "exact";
        if (modelNode.Find("kind") is null)
            modelNode = modelNode.With(new ConfigScalar("kind", false, modelNode.Location), new ConfigScalar("exact", false, modelNode.Location));

        var samplerNode = Section("sampler", true);
        b.CheckKeys(samplerNode, "sampler", SamplerKeys);
        var solver = b.Get(samplerNode, "solver", "sampler.solver", true) is { } so ? b.Name(so, "sampler.solver", "solvers", "solver") : null;
        if (samplerNode.Find("by_solver") is { } bySolver)
        {
            samplerNode = ApplySolverOverrides(b, samplerNode, bySolver, solver, overridden);
            tree = tree.With(tree.Find("sampler")!.Key, samplerNode);
        }
        var steps = b.Get(samplerNode, "steps", "sampler.steps", false) is { } st ? (int?)b.Integer(st, "sampler.steps", 1, 1_000_000) : null;
        var nfe = b.Get(samplerNode, "nfe", "sampler.nfe", false) is { } nf ? (int?)b.Integer(nf, "sampler.nfe", 1, 1_000_000) : null;
        if (samplerNode.Find("steps") is not null && samplerNode.Find("nfe") is { } nfeEntry)
            b.Error(nfeEntry.Key.Location, "give either sampler.steps or sampler.nfe, not both");
        var schedule = b.Get(samplerNode, "schedule", "sampler.schedule", false) is { } g ? b.Name(g, "sampler.schedule", "schedules", "time schedule") : "uniform";
        var scheduleParameters = b.Get(samplerNode, "schedule_parameters", "sampler.schedule_parameters", false) is { } gp ? b.NumberMap(gp, "sampler.schedule_parameters") : Empty;
        var lambda = b.Get(samplerNode, "lambda", "sampler.lambda", false) is { } la ? b.Number(la, "sampler.lambda", 0, 10) : null;
        var rtol = b.Get(samplerNode, "rtol", "sampler.rtol", false) is { } rt ? b.Number(rt, "sampler.rtol", 0, 1, minExclusive: true) : 1e-3;
        var atol = b.Get(samplerNode, "atol", "sampler.atol", false) is { } at ? b.Number(at, "sampler.atol", 0, 1, minExclusive: true) : 1e-3;
        var maxSteps = b.Get(samplerNode, "max_steps", "sampler.max_steps", false) is { } ms ? (int?)b.Integer(ms, "sampler.max_steps", 1, 100_000_000) : 100_000;
        var solverParameters = b.Get(samplerNode, "parameters", "sampler.parameters", false) is { } pa ? b.NumberMap(pa, "sampler.parameters") : Empty;
        var dump = b.Get(samplerNode, "dump", "sampler.dump", false) is { } du ? b.Boolean(du, "sampler.dump") : false;
        string? init = null;
        if (b.Get(samplerNode, "init", "sampler.init", false) is { } ini && b.String(ini, "sampler.init") is { } initPath)
        {
            var ext = Path.GetExtension(initPath).ToLowerInvariant();
            if (ext is not (".csv" or ".npy")) b.Error(ini.Location, $"sampler.init must be a .csv or .npy file, got '{initPath}'");
            else if (!File.Exists(Path.Combine(baseDirectory, initPath))) b.Error(ini.Location, $"sampler.init file '{initPath}' does not exist (relative paths start at the experiment file's folder)");
            else init = initPath;
        }

        var evalNode = Section("eval", true);
        b.CheckKeys(evalNode, "eval", EvalKeys);
        var particles = b.Get(evalNode, "particles", "eval.particles", true) is { } pt ? b.Integer(pt, "eval.particles", 1, 10_000_000) : null;
        var reference = b.Get(evalNode, "reference", "eval.reference", false) is { } re ? b.Integer(re, "eval.reference", 1, 10_000_000) : particles;
        IReadOnlyList<string>? metrics = [];
        if (b.Get(evalNode, "metrics", "eval.metrics", false) is { } mn && (metrics = b.StringList(mn, "eval.metrics", allowEmpty: true)) is { } list)
        {
            var seq = (ConfigSequence)mn;
            var seen = new HashSet<string>();
            for (var i = 0; i < list.Count; i++)
            {
                if (b.Name(seq.Items[i], "eval.metrics", "metrics", "metric") is null) continue;
                if (!seen.Add(list[i])) b.Error(seq.Items[i].Location, $"metric '{list[i]}' is listed twice");
            }
        }
        var scatter = b.Get(evalNode, "scatter", "eval.scatter", false) is { } sca ? b.Integer(sca, "eval.scatter", 0, 100_000) : 0;
        var noiseFloor = b.Get(evalNode, "noise_floor", "eval.noise_floor", false) is { } nfl ? b.Boolean(nfl, "eval.noise_floor") : false;
        var conditional = ConditionalBinder.Bind(b, tree); // guidance: and measurement: (docs/guidance.md)

        if (b.Errors.Count > before || dataName is null || dataParameters is null || kind is null || sdeParameters is null || tEps is null
            || modelKind is null || solver is null || schedule is null || scheduleParameters is null
            || rtol is null || atol is null || maxSteps is null || solverParameters is null || dump is null || particles is null || reference is null
            || metrics is null || scatter is null || noiseFloor is null)
            return null;

        var data = new DataSpec(dataName, dataParameters);
        var sde = new SdeSpec(kind, sdeParameters, tEps.Value);
        var model = new ModelSpec(modelKind, modelNode);
        var sampler = new SamplerSpec(solver, steps, nfe, schedule, scheduleParameters, lambda, rtol.Value, atol.Value,
            maxSteps.Value, solverParameters, dump.Value, init);
        var eval = new EvalSpec((int)particles.Value, (int)reference.Value, metrics, (int)scatter.Value, noiseFloor.Value);
        var json = ConditionalBinder.Extend(CanonicalJson.Write(data, sde, model, sampler, eval), conditional);
        var id = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)))[..16];
        var locations = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
        Collect(tree, "", locations);
        return new CellSpec(index, id, data, sde, model, sampler, eval, overrides, json, baseDirectory) { Locations = locations, Conditional = conditional };
    }

    /// <summary>
    /// Resolves <c>sampler.by_solver</c>: every entry must name a solver and hold sampler keys; the keys of the entry
    /// named after the cell's solver replace the sampler keys of the same name (an entry giving steps or nfe replaces
    /// both). The result has no by_solver key, so a cell's identity depends only on the settings it runs with.
    /// </summary>
    private static ConfigMapping ApplySolverOverrides(ConfigBinder b, ConfigMapping sampler, ConfigEntry bySolver, string? solver,
        Dictionary<string, SourceLocation> overridden)
    {
        var result = sampler.Without("by_solver");
        if (b.Mapping(bySolver.Value, "sampler.by_solver") is not { } entries) return result;
        foreach (var entry in entries.Entries)
        {
            if (b.Name(entry.Key, "sampler.by_solver", "solvers", "solver") is null) continue;
            overridden.TryAdd(entry.Name, entry.Key.Location);
            var section = "sampler.by_solver." + entry.Name;
            if (b.Mapping(entry.Value, section) is not { } keys) continue;
            b.CheckKeys(keys, section, SolverOverrideKeys);
            if (entry.Name != solver) continue;
            if (keys.Find("steps") is not null || keys.Find("nfe") is not null) result = result.Without("steps", "nfe");
            foreach (var key in keys.Entries)
                if (SolverOverrideKeys.Contains(key.Name)) result = result.With(key.Key, key.Value);
        }
        return result;
    }

    private static TableSpec? ReadTable(ConfigBinder b, ConfigMapping root, IReadOnlyList<SweepAxis> axes, IReadOnlyList<CellSpec> cells)
    {
        var swept = axes.SelectMany(a => a.Keys.Select(k => k.Value)).ToList();
        var node = b.Get(root, "table", "table", false);
        var table = node is null ? new ConfigMapping([], root.Location) : b.Mapping(node, "table");
        if (table is null) return null;
        b.CheckKeys(table, "table", TableKeys);

        IReadOnlyList<string>? Keys(string key, IReadOnlyList<string> fallback)
        {
            if (b.Get(table, key, "table." + key, false) is not { } n) return fallback;
            var list = b.StringList(n, "table." + key, allowEmpty: true);
            if (list is null || cells.Count == 0) return list;
            var seq = (ConfigSequence)n;
            var docs = cells.Select(c => JsonDocument.Parse(c.ResolvedJson)).ToList();
            // A key some cells resolve and others omit (e.g. guidance.score, written only when set) is blank in the others' rows.
            for (var i = 0; i < list.Count; i++)
            {
                if (!docs.Any(doc => ResultRecord.Lookup(doc.RootElement, list[i]) is not null))
                    b.Error(seq.Items[i].Location, $"table.{key}: '{list[i]}' is not a key of the resolved configuration (e.g. sampler.solver, sde.kind, sampler.nfe)");
            }
            foreach (var doc in docs) doc.Dispose();
            return list;
        }

        var rows = Keys("rows", swept.Count > 1 ? swept.Take(swept.Count - 1).ToList() : swept);
        var columns = Keys("columns", swept.Count > 1 ? [swept[^1]] : []);
        var firstMetric = cells.Count > 0 && cells[0].Eval.Metrics.Count > 0 ? cells[0].Eval.Metrics[0] : "nfe";
        string? value = firstMetric;
        if (b.Get(table, "value", "table.value", false) is { } vn && b.String(vn, "table.value") is { } v)
        {
            value = v;
            var missing = cells.FirstOrDefault(c => !c.Eval.Metrics.Contains(v));
            if (!StatisticValues.Contains(v) && missing is not null)
            {
                b.Error(vn.Location, $"table.value '{v}' is neither a metric of eval.metrics (cell #{missing.Index} has {string.Join(", ", missing.Eval.Metrics)}) nor one of {string.Join(", ", StatisticValues)}");
                value = null;
            }
        }
        var aggregation = (Aggregation?)Aggregation.MeanStd;
        if (b.Get(table, "aggregation", "table.aggregation", false) is { } an && b.String(an, "table.aggregation") is { } a)
        {
            aggregation = a switch
            {
                "mean_std" => Aggregation.MeanStd,
                "mean" => Aggregation.Mean,
                "median" => Aggregation.Median,
                "min" => Aggregation.Min,
                "max" => Aggregation.Max,
                _ => null,
            };
            if (aggregation is null) b.Error(an.Location, $"table.aggregation must be one of mean_std, mean, median, min, max, got '{a}'");
        }
        var format = "0.0000";
        if (b.Get(table, "format", "table.format", false) is { } fn && b.String(fn, "table.format") is { } f)
        {
            format = f;
            try
            {
                _ = 1.5.ToString(f, System.Globalization.CultureInfo.InvariantCulture);
                if (f.Length == 0 || f.Contains('{')) throw new FormatException();
            }
            catch (FormatException)
            {
                b.Error(fn.Location, $"table.format '{f}' is not a .NET number format (e.g. 0.0000, E3, G4)");
            }
        }
        if (rows is null || columns is null || value is null || aggregation is null) return null;
        return new TableSpec(rows, columns, value, aggregation.Value, format);
    }

    private static void Collect(ConfigNode node, string prefix, Dictionary<string, SourceLocation> locations)
    {
        if (prefix.Length > 0) locations[prefix] = node.Location;
        if (node is ConfigMapping m)
            foreach (var e in m.Entries)
            {
                var key = prefix.Length == 0 ? e.Name : prefix + "." + e.Name;
                Collect(e.Value, key, locations);
            }
    }

    private static string Display(ConfigNode node) => node switch
    {
        ConfigScalar s => s.Value,
        ConfigSequence q => "[" + string.Join(", ", q.Items.Select(Display)) + "]",
        ConfigMapping m => "{" + string.Join(", ", m.Entries.Select(e => e.Name + ": " + Display(e.Value))) + "}",
        _ => "?",
    };

    private static string Hash(string name, ulong seed, int repeats, IReadOnlyList<CellSpec> cells, TableSpec table)
    {
        var sb = new StringBuilder();
        sb.Append(name).Append('\n').Append(seed).Append('\n').Append(repeats).Append('\n');
        foreach (var c in cells) sb.Append(c.ResolvedJson).Append('\n');
        sb.Append(string.Join(",", table.Rows)).Append('|').Append(string.Join(",", table.Columns)).Append('|')
          .Append(table.Value).Append('|').Append(table.Aggregation).Append('|').Append(table.Format);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }

    private static ConfigException Fail(ConfigBinder b)
    {
        var errors = b.Errors.Distinct().OrderBy(e => e.Location.Line).ThenBy(e => e.Location.Column).ToList();
        if (errors.Count == 0) errors.Add(new ConfigError(new SourceLocation("?", 1, 1), "invalid experiment"));
        return new ConfigException(errors);
    }

    private static readonly IReadOnlyDictionary<string, IReadOnlyList<double>> EmptyLists = new SortedDictionary<string, IReadOnlyList<double>>(StringComparer.Ordinal);

    private static readonly IReadOnlyDictionary<string, double> Empty = new SortedDictionary<string, double>(StringComparer.Ordinal);

    [GeneratedRegex("^[A-Za-z0-9._-]+$")]
    private static partial Regex NamePattern();
}
