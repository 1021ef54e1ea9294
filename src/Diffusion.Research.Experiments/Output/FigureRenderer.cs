using Diffusion.Research.Numerics;

namespace Diffusion.Research.Experiments.Output;

/// <summary>
/// Writes the figures of an experiment: the table value against mean NFE, one line per table row, one figure per value
/// of the column keys other than the last (the last is taken to be the cost axis), with the two-sample noise floor as a
/// grey line when the table has exactly one; and a samples-vs-reference scatter for 2-D data.
/// </summary>
public static class FigureRenderer
{
    /// <summary>Writes figures/&lt;value&gt;-vs-nfe[-panel].svg files and returns their paths.</summary>
    public static IReadOnlyList<string> WriteMetricFigures(ResultTable table, string figuresDirectory)
    {
        ArgumentNullException.ThrowIfNull(table);
        Directory.CreateDirectory(figuresDirectory);
        var t = table.Plan.Table;
        var panels = new List<IReadOnlyList<string>>();
        foreach (var col in table.ColumnLabels)
        {
            var panel = col.Take(Math.Max(0, col.Count - 1)).ToList();
            if (!panels.Any(p => p.SequenceEqual(panel))) panels.Add(panel);
        }
        var written = new List<string>();
        foreach (var panel in panels)
        {
            var series = new List<(string Label, List<double> X, List<double> Y)>();
            for (var i = 0; i < table.RowLabels.Count; i++)
            {
                var xs = new List<double>();
                var ys = new List<double>();
                for (var j = 0; j < table.ColumnLabels.Count; j++)
                {
                    if (!table.ColumnLabels[j].Take(panel.Count).SequenceEqual(panel)) continue;
                    var e = table[i, j];
                    if (e.Failure is not null || e.Values.Count == 0) continue;
                    xs.Add(e.MeanNfe);
                    ys.Add(table.Center(e));
                }
                var order = Enumerable.Range(0, xs.Count).OrderBy(k => xs[k]).ToList();
                series.Add((table.RowLabels[i].Count == 0 ? t.Value : string.Join(", ", table.RowLabels[i]), order.Select(k => xs[k]).ToList(), order.Select(k => ys[k]).ToList()));
            }
            var allX = series.SelectMany(s => s.X).Where(v => v > 0).DefaultIfEmpty(1).ToList();
            var floor = table.NoiseFloors.Count == 1 ? table.NoiseFloors[0].Values.Average() : double.NaN;
            var allY = series.SelectMany(s => s.Y).Append(floor).Where(v => v > 0).DefaultIfEmpty(1).ToList();
            var suffix = panel.Count == 0 ? "" : "-" + Slug(string.Join("-", panel));
            var title = $"{table.Plan.Name}: {t.Value} vs NFE" + (panel.Count == 0 ? "" : " (" + string.Join(", ", t.Columns.Take(panel.Count).Select((k, i) => $"{k[(k.LastIndexOf('.') + 1)..]}={panel[i]}")) + ")");
            var plot = new SvgPlot(title, "NFE (mean per run)", t.Value, allX.Min(), allX.Max(), allY.Min(), allY.Max(), logX: true, logY: true);
            for (var s = 0; s < series.Count; s++)
                plot.AddSeries(series[s].Label, series[s].X, series[s].Y, SvgPlot.Palette[s % SvgPlot.Palette.Count], line: true);
            if (floor > 0) plot.AddSeries("noise floor", [allX.Min(), allX.Max()], [floor, floor], "#9e9e9e", line: true, radius: 0);
            var path = Path.Combine(figuresDirectory, $"{Slug(t.Value)}-vs-nfe{suffix}.svg");
            File.WriteAllText(path, plot.ToSvg());
            written.Add(path);
        }
        return written;
    }

    /// <summary>Writes a scatter of the first two coordinates of at most <paramref name="points"/> samples against reference samples.</summary>
    public static void WriteScatter(string path, string title, Batch samples, Batch reference, int points)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentOutOfRangeException.ThrowIfNegative(points);
        if (samples.Dimension < 2) throw new ArgumentException("A scatter needs at least two dimensions.", nameof(samples));
        var n = Math.Min(points, samples.Count);
        var m = Math.Min(points, reference.Count);
        var xs = new double[n]; var ys = new double[n];
        var rx = new double[m]; var ry = new double[m];
        for (var i = 0; i < n; i++) { xs[i] = samples[i, 0]; ys[i] = samples[i, 1]; }
        for (var i = 0; i < m; i++) { rx[i] = reference[i, 0]; ry[i] = reference[i, 1]; }
        var finite = xs.Concat(rx).Concat(ys).Concat(ry).Where(double.IsFinite).DefaultIfEmpty(0).ToList();
        var lo = Math.Max(finite.Min(), -1e3);
        var hi = Math.Min(finite.Max(), 1e3);
        var plot = new SvgPlot(title, "x1", "x2", lo, hi, lo, hi, logX: false, logY: false);
        plot.AddSeries("reference", rx, ry, "#9e9e9e", line: false, radius: 2, opacity: 0.5);
        plot.AddSeries("samples", xs, ys, "#1f77b4", line: false, radius: 2, opacity: 0.6);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, plot.ToSvg());
    }

    private static string Slug(string s)
    {
        var chars = s.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-').ToArray();
        return new string(chars);
    }
}
