using Diffusion.Research.Experiments.Configuration;

namespace Diffusion.Research.Experiments.Plans;

/// <summary>The <c>table:</c> block.</summary>
public sealed partial class ExperimentLoader
{
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
            // A key some cells resolve and others omit (e.g. guidance.score, written only when set) is blank in the others' rows.
            for (var i = 0; i < list.Count; i++)
            {
                if (!cells.Any(c => c.HasKey(list[i])))
                    b.Error(seq.Items[i].Location, $"table.{key}: '{list[i]}' is not a key of the resolved configuration (e.g. sampler.solver, sde.kind, sampler.nfe)");
            }
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
}
