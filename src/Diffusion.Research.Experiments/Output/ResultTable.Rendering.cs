using System.Globalization;
using System.Text;
using Diffusion.Research.Experiments.Plans;

namespace Diffusion.Research.Experiments.Output;

/// <summary>The renderers of the pivot: Markdown, CSV, LaTeX, cell texts and the noise-floor lines.</summary>
public sealed partial class ResultTable
{
    /// <summary>
    /// One line per noise-floor entry, e.g. "Two-sample noise floor of `sliced_w2` (10000 exact samples of 8gaussians
    /// against the 10000 reference samples of each repeat): 0.0480 ± 0.0050 over 5 repeats."
    /// </summary>
    public IReadOnlyList<string> NoiseFloorLines(bool latex = false)
    {
        var lines = new List<string>();
        var format = Plan.Table.Format;
        var inv = CultureInfo.InvariantCulture;
        foreach (var f in NoiseFloors)
        {
            var text = Mean(f.Values).ToString(format, inv);
            if (f.Values.Count > 1) text += (latex ? " $\\pm$ " : " ± ") + StandardDeviation(f.Values).ToString(format, inv);
            var value = latex ? Plan.Table.Value : $"`{Plan.Table.Value}`";
            lines.Add($"Two-sample noise floor of {value} ({f.Particles.ToString(inv)} exact samples of {f.DataSet} against the " +
                $"{f.Reference.ToString(inv)} reference samples of each repeat): {text} over {f.Values.Count.ToString(inv)} repeat{(f.Values.Count == 1 ? "" : "s")}.");
        }
        return lines;
    }

    /// <summary>The text of an entry: "failed: reason", "—" when not run, else the aggregate ("± std" from two values on; "(k/n)" when repeats are missing).</summary>
    public string Text(TableEntry entry, bool latex = false)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.Failure is { } f) return "failed: " + Shorten(f);
        if (entry.IsEmpty) return latex ? "--" : "—";
        var format = Plan.Table.Format;
        var text = Center(entry).ToString(format, CultureInfo.InvariantCulture);
        if (Plan.Table.Aggregation == Aggregation.MeanStd && entry.Values.Count > 1)
            text += (latex ? " $\\pm$ " : " ± ") + StandardDeviation(entry.Values).ToString(format, CultureInfo.InvariantCulture);
        if (entry.Recorded < entry.Expected) text += $" ({entry.Recorded}/{entry.Expected})";
        return text;
    }

    /// <summary>A column header, e.g. "kind=vp, nfe=10".</summary>
    public string ColumnHeader(int column) =>
        ColumnLabels[column].Count == 0 ? Plan.Table.Value
        : string.Join(", ", Plan.Table.Columns.Select((k, i) => $"{k[(k.LastIndexOf('.') + 1)..]}={ColumnLabels[column][i]}"));

    /// <summary>The table as Markdown: the value table, the mean NFE table and the failures.</summary>
    public string ToMarkdown()
    {
        var sb = new StringBuilder();
        var t = Plan.Table;
        sb.Append("# ").Append(Plan.Name).Append("\n\n");
        if (Plan.Description.Length > 0) sb.Append(Plan.Description.Trim()).Append("\n\n");
        sb.Append($"Value: `{t.Value}`, {Describe(t.Aggregation)} over {Plan.Repeats} repeat{(Plan.Repeats == 1 ? "" : "s")} (seed {Plan.Seed}). ");
        sb.Append($"Rows: {Keys(t.Rows)}; columns: {Keys(t.Columns)}. Config hash `{Plan.ConfigHash[..16]}`.\n\n");
        foreach (var line in NoiseFloorLines()) sb.Append(line).Append(" That is what exact samples score: a cell within about this spread of it is at the floor.\n\n");
        Grid(sb, e => Text(e));
        sb.Append("\n## Mean NFE per run\n\n");
        Grid(sb, e => double.IsNaN(e.MeanNfe) ? "—" : e.MeanNfe.ToString("0.#", CultureInfo.InvariantCulture));
        var failures = new List<string>();
        for (var i = 0; i < RowLabels.Count; i++)
            for (var j = 0; j < ColumnLabels.Count; j++)
                if (this[i, j].Failure is { } f)
                    failures.Add($"- {string.Join(", ", RowLabels[i])} | {ColumnHeader(j)}: {f.ReplaceLineEndings(" ")}");
        if (failures.Count > 0)
        {
            sb.Append("\n## Failures\n\n");
            foreach (var f in failures) sb.Append(f).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>The table in long form as CSV: one line per entry with mean, std, n, expected, mean NFE and status.</summary>
    public string ToCsv()
    {
        var sb = new StringBuilder();
        var t = Plan.Table;
        sb.AppendJoin(',', t.Rows.Concat(t.Columns).Select(Csv)).Append(t.Rows.Count + t.Columns.Count > 0 ? "," : "")
          .Append("value,center,std,n,expected,mean_nfe,status\n");
        var inv = CultureInfo.InvariantCulture;
        for (var i = 0; i < RowLabels.Count; i++)
            for (var j = 0; j < ColumnLabels.Count; j++)
            {
                var e = this[i, j];
                foreach (var v in RowLabels[i].Concat(ColumnLabels[j])) sb.Append(Csv(v)).Append(',');
                sb.Append(Csv(t.Value)).Append(',');
                sb.Append(e.Values.Count == 0 ? "" : Center(e).ToString("R", inv)).Append(',');
                sb.Append(e.Values.Count == 0 ? "" : StandardDeviation(e.Values).ToString("R", inv)).Append(',');
                sb.Append(e.Values.Count.ToString(inv)).Append(',').Append(e.Expected.ToString(inv)).Append(',');
                sb.Append(double.IsNaN(e.MeanNfe) ? "" : e.MeanNfe.ToString("R", inv)).Append(',');
                sb.Append(Csv(e.Failure is { } f ? "failed: " + f : e.IsEmpty ? "not run" : e.Recorded < e.Expected ? "partial" : "ok")).Append('\n');
            }
        return sb.ToString();
    }

    /// <summary>The value table as a LaTeX tabular (booktabs).</summary>
    public string ToLatex()
    {
        var sb = new StringBuilder();
        var t = Plan.Table;
        var leading = Math.Max(1, t.Rows.Count);
        sb.Append("% ").Append(Plan.Name).Append(": ").Append(t.Value).Append(", ").Append(Describe(t.Aggregation)).Append(" over ").Append(Plan.Repeats).Append(" repeats\n");
        foreach (var line in NoiseFloorLines(latex: true)) sb.Append("% ").Append(line).Append('\n');
        sb.Append("\\begin{tabular}{").Append(new string('l', leading)).Append(new string('r', ColumnLabels.Count)).Append("}\n\\toprule\n");
        var heads = (t.Rows.Count == 0 ? ["" ] : t.Rows.Select(k => k[(k.LastIndexOf('.') + 1)..])).Concat(Enumerable.Range(0, ColumnLabels.Count).Select(ColumnHeader));
        sb.AppendJoin(" & ", heads.Select(Tex)).Append(" \\\\\n\\midrule\n");
        for (var i = 0; i < RowLabels.Count; i++)
        {
            var cells = (RowLabels[i].Count == 0 ? [""] : RowLabels[i].Select(Tex)).Concat(Enumerable.Range(0, ColumnLabels.Count).Select(j => TexValue(Text(this[i, j], latex: true))));
            sb.AppendJoin(" & ", cells).Append(" \\\\\n");
        }
        sb.Append("\\bottomrule\n\\end{tabular}\n");
        return sb.ToString();
    }

    private void Grid(StringBuilder sb, Func<TableEntry, string> text)
    {
        var t = Plan.Table;
        var heads = (t.Rows.Count == 0 ? [""] : t.Rows.Select(k => k[(k.LastIndexOf('.') + 1)..]).ToList())
            .Concat(Enumerable.Range(0, ColumnLabels.Count).Select(ColumnHeader)).ToList();
        sb.Append("| ").AppendJoin(" | ", heads.Select(Md)).Append(" |\n|");
        for (var i = 0; i < heads.Count; i++) sb.Append(i < Math.Max(1, t.Rows.Count) ? "---|" : "---:|");
        sb.Append('\n');
        for (var i = 0; i < RowLabels.Count; i++)
        {
            var cells = (RowLabels[i].Count == 0 ? [""] : RowLabels[i]).Concat(Enumerable.Range(0, ColumnLabels.Count).Select(j => text(this[i, j])));
            sb.Append("| ").AppendJoin(" | ", cells.Select(Md)).Append(" |\n");
        }
    }

    private static string Describe(Aggregation a) => a switch
    {
        Aggregation.MeanStd => "mean ± std",
        Aggregation.Mean => "mean",
        Aggregation.Median => "median",
        Aggregation.Min => "min",
        _ => "max",
    };

    private static string Keys(IReadOnlyList<string> keys) => keys.Count == 0 ? "(none)" : string.Join(", ", keys.Select(k => $"`{k}`"));

    private static string Shorten(string s)
    {
        s = s.ReplaceLineEndings(" ");
        return s.Length <= 60 ? s : s[..57] + "...";
    }

    private static string Md(string s) => s.Replace("|", "\\|", StringComparison.Ordinal);

    private static string Csv(string s) => s.IndexOfAny([',', '"', '\n']) >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;

    private static string Tex(string s)
    {
        var sb = new StringBuilder();
        foreach (var c in s)
            sb.Append(c switch
            {
                '_' or '%' or '&' or '#' or '$' or '{' or '}' => "\\" + c,
                '\\' => "\\textbackslash{}",
                '~' => "\\textasciitilde{}",
                '^' => "\\textasciicircum{}",
                _ => c.ToString(),
            });
        return sb.ToString();
    }

    private static string TexValue(string s) => s.Contains("$\\pm$", StringComparison.Ordinal) ? s : Tex(s);
}
