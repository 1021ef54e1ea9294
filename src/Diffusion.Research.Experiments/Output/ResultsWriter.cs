using System.Globalization;
using System.Text;
using Diffusion.Research.Experiments.Plans;

namespace Diffusion.Research.Experiments.Output;

/// <summary>
/// Renders a results folder from a plan and its run records: table.md, table.csv, table.tex (byte-identical for the
/// same records), table-METRIC.md/.csv for every other metric of eval.metrics, timing.csv (wall times, kept apart), figures/*-vs-nfe*.svg and manifest.json.
/// </summary>
public static class ResultsWriter
{
    /// <summary>The copy of the experiment file kept in a results folder.</summary>
    public const string ConfigFileName = "experiment.yaml";

    /// <summary>Writes every rendered output into <paramref name="directory"/>.</summary>
    public static ResultTable Write(string directory, ExperimentPlan plan, IReadOnlyList<ResultRecord> records, string shard, TimeSpan elapsed, string? sourceDirectory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(records);
        Directory.CreateDirectory(directory);
        var table = ResultTable.Build(plan, records);
        WriteIfChanged(Path.Combine(directory, "table.md"), table.ToMarkdown());
        WriteIfChanged(Path.Combine(directory, "table.csv"), table.ToCsv());
        WriteIfChanged(Path.Combine(directory, "table.tex"), table.ToLatex());
        WriteIfChanged(Path.Combine(directory, "timing.csv"), Timing(plan, records));
        foreach (var metric in plan.Cells.SelectMany(c => c.Eval.Metrics).Distinct().Where(m => m != plan.Table.Value))
        {
            // One more table per other metric of eval.metrics, same rows and columns (e.g. table-nll.md beside the sliced W2 table).
            var other = ResultTable.Build(plan with { Table = plan.Table with { Value = metric } }, records);
            WriteIfChanged(Path.Combine(directory, $"table-{metric}.md"), other.ToMarkdown());
            WriteIfChanged(Path.Combine(directory, $"table-{metric}.csv"), other.ToCsv());
        }
        FigureRenderer.WriteMetricFigures(table, Path.Combine(directory, "figures"));
        Manifest.Write(Path.Combine(directory, Manifest.FileName), plan, records, shard, elapsed, sourceDirectory);
        return table;
    }

    private static string Timing(ExperimentPlan plan, IReadOnlyList<ResultRecord> records)
    {
        var ids = plan.Cells.ToDictionary(c => c.Id, c => c);
        var sb = new StringBuilder("index,cell,repeat,status,nfe,wall_seconds\n");
        foreach (var r in records.Where(r => ids.ContainsKey(r.Cell)).OrderBy(r => ids[r.Cell].Index).ThenBy(r => r.Repeat))
            sb.Append(CultureInfo.InvariantCulture, $"{ids[r.Cell].Index},{r.Cell},{r.Repeat},{r.Status},{r.Nfe},{Math.Round(r.WallSeconds, 6).ToString("R", CultureInfo.InvariantCulture)}\n"); // as the run log keeps it, so a re-render is byte-identical
        return sb.ToString();
    }

    private static void WriteIfChanged(string path, string text)
    {
        if (File.Exists(path) && File.ReadAllText(path) == text) return;
        File.WriteAllText(path, text);
    }
}
