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
public sealed partial class ResultTable
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
            var rowKey = plan.Table.Rows.Select(cell.ConfigValue).ToList();
            var colKey = plan.Table.Columns.Select(cell.ConfigValue).ToList();
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
}
