using System.Globalization;
using Diffusion.Research.Experiments.Configuration;

namespace Diffusion.Research.Experiments.Plans;

/// <summary>
/// The keys of the <c>table:</c> block as a declarative table (see <see cref="KeyTable{TSpec}"/>): each row reads and
/// validates one key on its own; <see cref="Bind"/> then checks what depends on the cells (the row and column keys must
/// be keys of the resolved configuration, the value a metric of every cell or a statistic). The defaults follow the sweep:
/// rows are the swept keys but the last, columns the last, the value the first metric. The table is not part of any
/// cell's identity (the plan's hash covers it), so its rows are never written into a cell's canonical JSON.
/// </summary>
public static class TableBlock
{
    /// <summary>Values a table may show besides metrics.</summary>
    public static IReadOnlyList<string> StatisticValues { get; } = ["nfe", "accepted", "rejected"];

    private static readonly Dictionary<string, Aggregation> Aggregations = new(StringComparer.Ordinal)
    {
        ["mean_std"] = Aggregation.MeanStd, ["mean"] = Aggregation.Mean, ["median"] = Aggregation.Median, ["min"] = Aggregation.Min, ["max"] = Aggregation.Max,
    };

    /// <summary>The default number format.</summary>
    public const string DefaultFormat = "0.0000";

    /// <summary>The table.</summary>
    public static KeyTable<TableSpec> Table { get; } = new("table",
    [
        new("rows", "dotted config keys of the rows (the swept keys but the last)", KeyIdentity.WhenSet,
            (c, n, s) => c.Binder.StringList(n, c.Path, allowEmpty: true) is { } v ? s with { Rows = v } : null, NotWritten, _ => false),
        new("columns", "dotted config keys of the columns (the last swept key)", KeyIdentity.WhenSet,
            (c, n, s) => c.Binder.StringList(n, c.Path, allowEmpty: true) is { } v ? s with { Columns = v } : null, NotWritten, _ => false),
        new("value", $"a metric of eval.metrics or one of {string.Join(", ", StatisticValues)} (the first metric)", KeyIdentity.WhenSet,
            (c, n, s) => c.Binder.String(n, c.Path) is { } v ? s with { Value = v } : null, NotWritten, _ => false),
        new("aggregation", $"over repeats: {string.Join(" | ", Aggregations.Keys)} (mean_std)", KeyIdentity.WhenSet, BindAggregation, NotWritten, _ => false),
        new("format", $"a .NET number format, e.g. 0.0000, E3, G4 ({DefaultFormat})", KeyIdentity.WhenSet, BindFormat, NotWritten, _ => false),
    ]);

    /// <summary>Every key of the block.</summary>
    public static IReadOnlyList<string> Keys => Table.Keys;

    /// <summary>
    /// Binds the block (absent: every default) against the sweep's keys <paramref name="swept"/> and the valid
    /// <paramref name="cells"/>; null when any key was bad (errors reported).
    /// </summary>
    public static TableSpec? Bind(ConfigBinder b, ConfigMapping block, IReadOnlyList<string> swept, IReadOnlyList<CellSpec> cells, string baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(block);
        b.CheckKeys(block, "table", Keys);
        var firstMetric = cells.Count > 0 && cells[0].Eval.Metrics.Count > 0 ? cells[0].Eval.Metrics[0] : "nfe";
        var defaults = new TableSpec(swept.Count > 1 ? swept.Take(swept.Count - 1).ToList() : swept, swept.Count > 1 ? [swept[^1]] : [],
            firstMetric, Aggregation.MeanStd, DefaultFormat);
        var spec = Table.Bind(b, block, defaults, baseDirectory);
        if (spec is null || cells.Count == 0) return spec;
        var ok = CheckKeys(b, block, "rows", cells) & CheckKeys(b, block, "columns", cells);
        if (block.Find("value") is { } value && !StatisticValues.Contains(spec.Value) && cells.FirstOrDefault(c => !c.Eval.Metrics.Contains(spec.Value)) is { } missing)
        {
            b.Error(value.Value.Location, $"table.value '{spec.Value}' is neither a metric of eval.metrics (cell #{missing.Index} has {string.Join(", ", missing.Eval.Metrics)}) nor one of {string.Join(", ", StatisticValues)}");
            ok = false;
        }
        return ok ? spec : null;
    }

    // A key some cells resolve and others omit (e.g. guidance.score, written only when set) is blank in the others' rows.
    private static bool CheckKeys(ConfigBinder b, ConfigMapping block, string key, IReadOnlyList<CellSpec> cells)
    {
        if (block.Find(key)?.Value is not ConfigSequence seq) return true;
        var ok = true;
        foreach (var item in seq.Items)
        {
            if (item is not ConfigScalar { Value: var dotted } || cells.Any(c => c.HasKey(dotted))) continue;
            b.Error(item.Location, $"table.{key}: '{dotted}' is not a key of the resolved configuration (e.g. sampler.solver, sde.kind, sampler.nfe)");
            ok = false;
        }
        return ok;
    }

    private static TableSpec? BindAggregation(KeyContext c, ConfigNode node, TableSpec spec)
    {
        if (c.Binder.String(node, c.Path) is not { } a) return null;
        if (Aggregations.TryGetValue(a, out var aggregation)) return spec with { Aggregation = aggregation };
        c.Binder.Error(node.Location, $"table.aggregation must be one of {string.Join(", ", Aggregations.Keys)}, got '{a}'");
        return null;
    }

    private static TableSpec? BindFormat(KeyContext c, ConfigNode node, TableSpec spec)
    {
        if (c.Binder.String(node, c.Path) is not { } f) return null;
        try
        {
            _ = 1.5.ToString(f, CultureInfo.InvariantCulture);
            if (f.Length == 0 || f.Contains('{')) throw new FormatException();
            return spec with { Format = f };
        }
        catch (FormatException)
        {
            c.Binder.Error(node.Location, $"table.format '{f}' is not a .NET number format (e.g. 0.0000, E3, G4)");
            return null;
        }
    }

    // The table is no part of a cell's identity: its rows are never written into a cell's canonical JSON.
    private static void NotWritten(System.Text.Json.Utf8JsonWriter w, TableSpec spec)
    {
    }
}
