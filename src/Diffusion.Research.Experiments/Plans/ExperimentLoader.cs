using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Diffusion.Research.Experiments.Backend;
using Diffusion.Research.Experiments.Conditional;
using Diffusion.Research.Experiments.Configuration;
using Diffusion.Research.Experiments.Plugins;

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
    public static readonly IReadOnlyList<string> TopKeys = ["name", "description", "seed", "repeats", "plugins", "data", "sde", "model", "sampler", "eval", "sweep", "table", .. ConditionalBinder.Sections];
    /// <summary>Keys of <c>data:</c>.</summary>
    public static readonly IReadOnlyList<string> DataKeys = DataBlock.Keys;
    /// <summary>Keys of <c>sde:</c>.</summary>
    public static readonly IReadOnlyList<string> SdeKeys = SdeBlock.Keys;
    /// <summary>Keys of <c>sampler:</c>.</summary>
    public static readonly IReadOnlyList<string> SamplerKeys = SamplerBlock.Keys;
    /// <summary>Keys of <c>sampler.by_solver.NAME:</c>, the sampler keys a solver-specific override may replace.</summary>
    public static readonly IReadOnlyList<string> SolverOverrideKeys = SamplerBlock.OverrideKeys;
    /// <summary>Keys of <c>eval:</c>.</summary>
    public static readonly IReadOnlyList<string> EvalKeys = EvalBlock.Table.Keys;
    /// <summary>Keys of <c>table:</c>.</summary>
    public static readonly IReadOnlyList<string> TableKeys = TableBlock.Keys;
    /// <summary>Values a table may show besides metrics.</summary>
    public static readonly IReadOnlyList<string> StatisticValues = TableBlock.StatisticValues;
    /// <summary>The sections a sweep key may start with.</summary>
    public static readonly IReadOnlyList<string> SweepableSections = ["data", "sde", "model", "sampler", "eval", .. ConditionalBinder.Sections];

    private const int MaxCells = 100_000;
    /// <summary>The longest experiment name (it names the results folder).</summary>
    public const int MaxNameLength = 100;

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
            // The name is the results folder OUT/NAME: a plain folder name (no separator, not '.' or '..', no leading dot) and
            // short enough for any file system (255-byte names) with room for the files written inside it.
            if (n.Length > MaxNameLength) b.Error(nameNode.Location, $"name is {n.Length} characters long; at most {MaxNameLength} are allowed (it names the results folder)");
            else if (NamePattern().IsMatch(n)) name = n;
            else b.Error(nameNode.Location, $"name must be a plain folder name: letters, digits, '.', '_' or '-', not starting with '.' (it names the results folder OUT/NAME), got '{n}'");
        }
        var description = b.Get(root, "description") is { } d ? b.String(d, "description") ?? "" : "";
        var seed = b.Get(root, "seed") is { } s ? b.Integer(s, "seed", 0, long.MaxValue) ?? 0 : 0;
        var repeats = b.Get(root, "repeats") is { } r ? (int)(b.Integer(r, "repeats", 1, 1000) ?? 1) : 1;

        if (!LoadPlugins(b, root, baseDirectory)) throw Fail(b);
        var axes = ReadSweep(b, root);
        var cellRoot = root.Without("name", "description", "seed", "repeats", "plugins", "sweep", "table");

        var cells = new List<CellSpec>();
        // The product of the axis lengths, stopped as soon as it passes MaxCells so it cannot overflow (4 axes of 65,536
        // values would wrap a long to 0).
        var total = 1L;
        foreach (var axis in axes)
        {
            total *= axis.Length;
            if (total <= MaxCells) continue;
            b.Error(root.Find("sweep")!.Key.Location,
                $"the sweep has more than {MaxCells} cells ({string.Join(" x ", axes.Select(a => a.Length))} values per axis); at most {MaxCells} are allowed");
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
            var errorsBefore = b.ErrorCount;
            var cell = BindCell(b, tree, index, overrides, baseDirectory, overridden);
            if (cell is null || b.ErrorCount > errorsBefore || !Check(b, cell, rootNode.Location)) continue;
            if (ids.TryGetValue(cell.Id, out var twin))
            {
                b.Error(root.Find("sweep")?.Key.Location ?? root.Location, $"sweep cells #{twin} and #{index} have the same resolved configuration");
                continue;
            }
            ids.Add(cell.Id, index);
            cells.Add(cell);
        }

        if (b.ErrorCount == 0)
            foreach (var (solverName, at) in overridden)
                if (!cells.Any(c => c.Sampler.Solver == solverName))
                    b.Error(at, $"sampler.by_solver.{solverName} is never used: no cell runs solver '{solverName}'");

        var tableNode = b.Get(root, "table");
        var tableBlock = tableNode is null ? new ConfigMapping([], root.Location) : b.Mapping(tableNode, "table");
        var table = tableBlock is null ? null : TableBlock.Bind(b, tableBlock, axes.SelectMany(a => a.Keys.Select(k => k.Value)).ToList(), cells, baseDirectory);
        if (b.ErrorCount > 0 || name is null || table is null) throw Fail(b);
        var hash = Hash(name, (ulong)seed, repeats, cells, table);
        return new ExperimentPlan(name, description, (ulong)seed, repeats, cells, table, file, text, hash);
    }

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
        return new ConfigException(errors, b.Omitted);
    }

    private static readonly IReadOnlyDictionary<string, IReadOnlyList<double>> EmptyLists = new SortedDictionary<string, IReadOnlyList<double>>(StringComparer.Ordinal);

    private static readonly IReadOnlyDictionary<string, double> Empty = new SortedDictionary<string, double>(StringComparer.Ordinal);

    [GeneratedRegex("^[A-Za-z0-9_-][A-Za-z0-9._-]*$")]
    private static partial Regex NamePattern();
}
