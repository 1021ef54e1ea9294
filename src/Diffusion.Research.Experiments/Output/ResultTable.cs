using System.Globalization;
using System.Text;
using Diffusion.Research.Experiments.Conditional;
using Diffusion.Research.Experiments.Plans;

namespace Diffusion.Research.Experiments.Output;

/// <summary>
/// The paper-style table of an experiment, built only from its plan and the records of its run log (never from wall
/// times), and rendered to Markdown, CSV and LaTeX with the invariant culture: the same records give the same bytes.
/// Records are matched to cells by cell id; cells that share row and column values pool their repeats.
/// </summary>
public sealed class ResultTable
{
    private readonly TableEntry[,] _entries;

    private ResultTable(ExperimentPlan plan, IReadOnlyList<IReadOnlyList<string>> rows, IReadOnlyList<IReadOnlyList<string>> columns, TableEntry[,] entries,
        IReadOnlyList<NoiseFloorEntry> noiseFloors)
    {
        Plan = plan;
        NoiseFloors = noiseFloors;
        RowLabels = rows;
        ColumnLabels = columns;
        _entries = entries;
    }

    /// <summary>The plan the table belongs to.</summary>
    public ExperimentPlan Plan { get; }

    /// <summary>The values of the row keys, one list per row, in order of first appearance in the sweep.</summary>
    public IReadOnlyList<IReadOnlyList<string>> RowLabels { get; }

    /// <summary>The values of the column keys, one list per column, in order of first appearance in the sweep.</summary>
    public IReadOnlyList<IReadOnlyList<string>> ColumnLabels { get; }

    /// <summary>
    /// The two-sample noise floor of the table value, one entry per evaluation setup (data set, particles, reference) of
    /// the cells with <c>eval.noise_floor</c>, in order of first appearance; empty when none recorded one.
    /// </summary>
    public IReadOnlyList<NoiseFloorEntry> NoiseFloors { get; }

    /// <summary>The entry at a row and column.</summary>
    public TableEntry this[int row, int column] => _entries[row, column];

    /// <summary>Builds the table from a plan and run records (records of other configurations are ignored).</summary>
    public static ResultTable Build(ExperimentPlan plan, IReadOnlyList<ResultRecord> records)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(records);
        var byCell = new Dictionary<string, SortedDictionary<int, ResultRecord>>();
        foreach (var r in records)
        {
            if (!byCell.TryGetValue(r.Cell, out var reps)) byCell[r.Cell] = reps = [];
            reps.TryAdd(r.Repeat, r);
        }
        var rows = new List<IReadOnlyList<string>>();
        var columns = new List<IReadOnlyList<string>>();
        var placement = new List<(int Row, int Column, CellSpec Cell)>();
        foreach (var cell in plan.Cells)
        {
            var probe = new ResultRecord(cell.Id, cell.Index, 0, "", null, new Dictionary<string, double?>(), 0, 0, 0, 0, cell.ResolvedJson);
            var rowKey = plan.Table.Rows.Select(probe.ConfigValue).ToList();
            var colKey = plan.Table.Columns.Select(probe.ConfigValue).ToList();
            placement.Add((IndexOf(rows, rowKey), IndexOf(columns, colKey), cell));
        }
        var values = new List<double>[rows.Count, columns.Count];
        var nfe = new List<double>[rows.Count, columns.Count];
        var expected = new int[rows.Count, columns.Count];
        var recorded = new int[rows.Count, columns.Count];
        var failure = new string?[rows.Count, columns.Count];
        foreach (var (row, column, cell) in placement)
        {
            values[row, column] ??= [];
            nfe[row, column] ??= [];
            expected[row, column] += plan.Repeats;
            if (!byCell.TryGetValue(cell.Id, out var reps)) continue;
            foreach (var (repeat, r) in reps)
            {
                if (repeat >= plan.Repeats) continue;
                recorded[row, column]++;
                if (!r.IsSuccess)
                {
                    failure[row, column] ??= r.Message is null ? r.Status : $"{r.Status}: {r.Message}";
                    continue;
                }
                nfe[row, column].Add(r.Nfe);
                var v = plan.Table.Value switch
                {
                    "nfe" => r.Nfe,
                    "accepted" => r.Accepted,
                    "rejected" => r.Rejected,
                    var m => r.Metrics.TryGetValue(m, out var x) && x is { } y ? y : double.NaN,
                };
                if (double.IsFinite(v)) values[row, column].Add(v);
                else failure[row, column] ??= $"NonFinite: {plan.Table.Value} is not finite";
            }
        }
        var entries = new TableEntry[rows.Count, columns.Count];
        for (var i = 0; i < rows.Count; i++)
            for (var j = 0; j < columns.Count; j++)
            {
                var n = nfe[i, j] ?? [];
                entries[i, j] = new TableEntry(values[i, j] ?? [], n.Count == 0 ? double.NaN : n.Average(), expected[i, j], recorded[i, j], failure[i, j]);
            }
        return new ResultTable(plan, rows, columns, entries, Floors(plan, byCell));
    }

    /// <summary>Per evaluation setup and repeat, the first recorded floor of the table value in sweep order (every cell of a
    /// repeat with the same setup records the same value).</summary>
    private static List<NoiseFloorEntry> Floors(ExperimentPlan plan, Dictionary<string, SortedDictionary<int, ResultRecord>> byCell)
    {
        var floors = new List<NoiseFloorEntry>();
        var setups = new List<(CellSpec First, double?[] Values)>();
        foreach (var cell in plan.Cells)
        {
            if (!cell.Eval.NoiseFloor) continue;
            var slot = setups.FindIndex(s => SameSetup(s.First, cell));
            if (slot < 0)
            {
                setups.Add((cell, new double?[plan.Repeats]));
                slot = setups.Count - 1;
            }
            if (!byCell.TryGetValue(cell.Id, out var reps)) continue;
            var values = setups[slot].Values;
            foreach (var (repeat, r) in reps)
                if (repeat < plan.Repeats && values[repeat] is null && r.Floor.TryGetValue(plan.Table.Value, out var v) && v is { } x && double.IsFinite(x))
                    values[repeat] = x;
        }
        foreach (var (first, values) in setups)
        {
            var recorded = values.Where(v => v is not null).Select(v => v!.Value).ToList();
            if (recorded.Count > 0) floors.Add(new NoiseFloorEntry(ConditionalCell.TargetName(first), first.Eval.Particles, first.Eval.Reference, recorded));
        }
        return floors;
    }

    private static bool SameSetup(CellSpec a, CellSpec b)
    {
        if (a.Eval.Particles != b.Eval.Particles || a.Eval.Reference != b.Eval.Reference || a.Data.Name != b.Data.Name) return false;
        if (ConditionalCell.TargetName(a) != ConditionalCell.TargetName(b)) return false; // guidance/measurement cells: per exact target
        if (a.Data.Parameters.Count != b.Data.Parameters.Count) return false;
        foreach (var (key, values) in a.Data.Parameters)
            if (!b.Data.Parameters.TryGetValue(key, out var other) || !values.SequenceEqual(other)) return false;
        return true;
    }

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

    /// <summary>The aggregated value of an entry (mean for mean ± std), NaN when it has no values.</summary>
    public double Center(TableEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.Values.Count == 0) return double.NaN;
        var sorted = entry.Values.Order().ToList();
        return Plan.Table.Aggregation switch
        {
            Aggregation.Median => sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : 0.5 * (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]),
            Aggregation.Min => sorted[0],
            Aggregation.Max => sorted[^1],
            _ => Mean(entry.Values),
        };
    }

    /// <summary>The sample standard deviation (n − 1) of an entry's values; 0 for a single value.</summary>
    public static double StandardDeviation(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count < 2) return 0;
        var mean = Mean(values);
        var sum = 0.0;
        foreach (var v in values) sum += (v - mean) * (v - mean);
        return Math.Sqrt(sum / (values.Count - 1));
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

    private static double Mean(IReadOnlyList<double> values)
    {
        var sum = 0.0;
        foreach (var v in values) sum += v;
        return sum / values.Count;
    }

    private static int IndexOf(List<IReadOnlyList<string>> list, List<string> key)
    {
        for (var i = 0; i < list.Count; i++)
            if (list[i].SequenceEqual(key)) return i;
        list.Add(key);
        return list.Count - 1;
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
