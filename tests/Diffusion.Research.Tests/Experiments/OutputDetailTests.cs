using System.Globalization;
using System.Xml.Linq;
using Diffusion.Research.Experiments;
using Diffusion.Research.Experiments.Output;
using Diffusion.Research.Experiments.Plans;

namespace Diffusion.Research.Tests.Experiments;

/// <summary>
/// What a reader of results/ sees, checked directly (issue 14, the experiments survivors): the figure's axes hold every
/// point, the legend and title are laid out, long failures are shortened in table cells, a table without row keys has an
/// empty first cell, repeats beyond the plan are not pooled, null metrics survive the run log, and a cell's locations
/// name only dotted keys.
/// </summary>
public class OutputDetailTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static double A(XElement e, string name) => double.Parse((string)e.Attribute(name)!, CultureInfo.InvariantCulture);

    // The plot area: the rect drawn with a black stroke.
    private static (double X0, double Y0, double X1, double Y1) Frame(XDocument svg)
    {
        var r = svg.Descendants(Svg + "rect").Single(e => (string?)e.Attribute("stroke") == "black");
        return (A(r, "x"), A(r, "y"), A(r, "x") + A(r, "width"), A(r, "y") + A(r, "height"));
    }

    private static void AllPointsInside(XDocument svg)
    {
        var (x0, y0, x1, y1) = Frame(svg);
        var circles = svg.Root!.Elements(Svg + "circle").Where(c => A(c, "cx") < x1 + 1).ToList(); // not the legend markers
        Assert.NotEmpty(circles);
        Assert.All(circles, c =>
        {
            Assert.InRange(A(c, "cx"), x0, x1);
            Assert.InRange(A(c, "cy"), y0, y1);
        });
    }

    // The grid lines of the ticks: vertical ones (x ticks) and horizontal ones (y ticks), all within the frame.
    private static void GridInside(XDocument svg)
    {
        var (x0, y0, x1, y1) = Frame(svg);
        var grid = svg.Root!.Elements(Svg + "line").Where(l => (string?)l.Attribute("stroke") == "#e0e0e0").ToList();
        Assert.Contains(grid, l => A(l, "x1") == A(l, "x2"));
        Assert.Contains(grid, l => A(l, "y1") == A(l, "y2"));
        Assert.All(grid, l =>
        {
            foreach (var x in new[] { A(l, "x1"), A(l, "x2") }) Assert.InRange(x, x0 - 1e-9, x1 + 1e-9);
            foreach (var y in new[] { A(l, "y1"), A(l, "y2") }) Assert.InRange(y, y0 - 1e-9, y1 + 1e-9);
        });
    }

    [Fact]
    public void A_log_plot_holds_every_point_of_a_range_below_one()
    {
        var plot = new SvgPlot("t", "x", "y", 1e-3, 0.2, 1e-4, 0.05, logX: true, logY: true);
        plot.AddSeries("a", [1e-3, 0.01, 0.2], [1e-4, 0.003, 0.05], SvgPlot.Palette[0], line: true);
        AllPointsInside(XDocument.Parse(plot.ToSvg()));
        GridInside(XDocument.Parse(plot.ToSvg()));
        var linear = new SvgPlot("t", "x", "y", -3, 12, 0.5, 0.7, logX: false, logY: false);
        linear.AddSeries("a", [-3, 12], [0.5, 0.7], SvgPlot.Palette[0], line: false);
        AllPointsInside(XDocument.Parse(linear.ToSvg()));
        GridInside(XDocument.Parse(linear.ToSvg()));
    }

    // Tick labels: x ticks under the frame (text-anchor middle), y ticks left of it (text-anchor end).
    private static List<string> TickLabels(XDocument svg, string anchor) =>
        svg.Root!.Elements(Svg + "text").Where(t => (string?)t.Attribute("text-anchor") == anchor && t.Attribute("font-size") is null
            && t.Attribute("transform") is null).Select(t => t.Value).ToList();

    /// <summary>Ticks: decades on a log axis spanning many of them; 1-2-5 ticks on one spanning less than two; a linear axis
    /// with steps of 1, 2 or 5 times a power of ten and at most 10 intervals.</summary>
    [Fact]
    public void Axes_get_readable_ticks()
    {
        var wide = XDocument.Parse(new SvgPlot("t", "x", "y", 1e-3, 1e3, 0.0, 1.0, logX: true, logY: false).ToSvg());
        Assert.Equal(7, TickLabels(wide, "middle").Count - 1); // and the x-axis title
        Assert.Equal(["0", "0.2", "0.4", "0.6", "0.8", "1"], TickLabels(wide, "end"));
        var narrow = XDocument.Parse(new SvgPlot("t", "x", "y", 1.0, 30.0, 0.0, 1.0, logX: true, logY: false).ToSvg());
        Assert.Equal(5, TickLabels(narrow, "middle").Count - 1);
        var steps = XDocument.Parse(new SvgPlot("t", "x", "y", 0, 1, 0.0, 37.0, logX: false, logY: false).ToSvg());
        Assert.Equal(["0", "5", "10", "15", "20", "25", "30", "35"], TickLabels(steps, "end"));
    }

    /// <summary>Each y tick label sits 4 px below its grid line (its baseline; 12 px text so centred on the line), each x
    /// tick label 16 px below the frame.</summary>
    [Fact]
    public void Tick_labels_sit_at_their_grid_lines()
    {
        var svg = XDocument.Parse(new SvgPlot("t", "x", "y", 0, 1, 0.0, 37.0, logX: false, logY: false).ToSvg());
        var gridY = svg.Root!.Elements(Svg + "line").Where(l => (string?)l.Attribute("stroke") == "#e0e0e0" && A(l, "y1") == A(l, "y2")).Select(l => A(l, "y1")).ToList();
        var labelY = svg.Root!.Elements(Svg + "text").Where(t => (string?)t.Attribute("text-anchor") == "end" && t.Attribute("transform") is null).Select(t => A(t, "y")).ToList();
        Assert.Equal(8, gridY.Count);
        Assert.Equal(gridY.Select(y => y + 4), labelY, (a, b) => Math.Abs(a - b) < 1e-9);
    }

    [Fact]
    public void Every_marker_has_a_radius_and_its_series_colour()
    {
        var plot = new SvgPlot("t", "x", "y", 0, 1, 0, 1, logX: false, logY: false);
        plot.AddSeries("a", [0.2, 0.8], [0.3, 0.6], SvgPlot.Palette[2], line: false, radius: 2.5, opacity: 0.5);
        var circles = XDocument.Parse(plot.ToSvg()).Root!.Elements(Svg + "circle").ToList();
        Assert.Equal(3, circles.Count); // two points and the legend marker
        Assert.All(circles, c => Assert.Equal(SvgPlot.Palette[2], (string?)c.Attribute("fill")));
        Assert.Equal([2.5, 2.5, 3.5], circles.Select(c => A(c, "r")));
        Assert.Equal(0.5, A(circles[0], "fill-opacity"));
    }

    [Fact]
    public void The_title_is_centred_over_the_plot_area_and_legend_labels_follow_their_markers()
    {
        var plot = new SvgPlot("title", "x", "y", 0, 1, 0, 1, logX: false, logY: false);
        plot.AddSeries("first", [0.2, 0.8], [0.3, 0.6], SvgPlot.Palette[0], line: true);
        plot.AddSeries("second", [0.5], [0.5], SvgPlot.Palette[1], line: false);
        var svg = XDocument.Parse(plot.ToSvg());
        var (x0, _, x1, _) = Frame(svg);
        var title = svg.Root!.Elements(Svg + "text").Single(e => e.Value == "title");
        Assert.Equal((x0 + x1) / 2, A(title, "x"), 9);
        Assert.Equal("middle", (string?)title.Attribute("text-anchor"));
        foreach (var label in new[] { "first", "second" })
        {
            var text = svg.Root.Elements(Svg + "text").Single(e => e.Value == label);
            var marker = svg.Root.Elements(Svg + "circle").Single(c => A(c, "cx") > x1 && Math.Abs(A(c, "cy") - (A(text, "y") - 4)) < 1e-9);
            Assert.True(A(text, "x") > A(marker, "cx") + A(marker, "r"), $"label '{label}' at x = {A(text, "x")} overlaps its marker at {A(marker, "cx")}");
            Assert.True(A(text, "x") < 720, "the label starts inside the picture");
        }
    }

    private static ExperimentPlan Tiny(string yaml = TestFiles.Tiny) => new ExperimentLoader(new FakeBackend()).Parse(yaml, "x.yaml", ".");

    private static ResultRecord Record(CellSpec cell, int repeat, double value, long nfe, string status = "success", string? message = null) =>
        new(cell.Id, cell.Index, repeat, status, message,
            new SortedDictionary<string, double?>(StringComparer.Ordinal) { ["sliced_w2"] = value, ["mean_error"] = value }, nfe, nfe, 0, 0, cell.ResolvedJson);

    [Fact]
    public void The_metric_figure_spans_the_largest_and_smallest_values()
    {
        var plan = Tiny();
        var records = new List<ResultRecord>();
        foreach (var cell in plan.Cells)
            for (var r = 0; r < plan.Repeats; r++)
                records.Add(Record(cell, r, cell.Sampler.Nfe == 2 ? 5.0 : cell.Sampler.Nfe == 10 ? 0.3 : 1e-3, cell.Sampler.Nfe ?? 1));
        var dir = TestFiles.NewDirectory("figure");
        var path = Assert.Single(FigureRenderer.WriteMetricFigures(ResultTable.Build(plan, records), dir));
        AllPointsInside(XDocument.Load(path));
    }

    [Fact]
    public void A_long_failure_is_shortened_in_its_cell_and_repeats_beyond_the_plan_are_not_counted()
    {
        var plan = Tiny();
        var failing = plan.Cells[0];
        var message = new string('x', 40) + "\n" + new string('y', 40); // 81 characters, a line break inside
        var records = new List<ResultRecord> { Record(failing, 0, 1, 2, "Diverged", message) };
        var complete = plan.Cells[1];
        for (var r = 0; r < plan.Repeats; r++) records.Add(Record(complete, r, 0.25, 10));
        records.Add(Record(complete, plan.Repeats, double.NaN, 10, "Crashed", "a repeat of an earlier plan with more repeats"));
        var table = ResultTable.Build(plan, records);

        var failed = table[0, 0];
        Assert.Equal("Diverged: " + message, failed.Failure);
        Assert.Equal("failed: " + ("Diverged: " + new string('x', 40) + " " + new string('y', 40))[..57] + "...", table.Text(failed));

        var (row, column) = (0, 1); // euler at nfe 10
        Assert.Equal(plan.Repeats, table[row, column].Expected);
        Assert.Equal(plan.Repeats, table[row, column].Recorded);
        Assert.Null(table[row, column].Failure);
        Assert.Equal("0.250 ± 0.000", table.Text(table[row, column]));
    }

    [Fact]
    public void A_table_without_row_keys_starts_each_row_with_an_empty_cell()
    {
        var plan = Tiny(TestFiles.Tiny.Replace("rows: [sampler.solver]", "rows: []"));
        var records = plan.Cells.SelectMany(c => Enumerable.Range(0, plan.Repeats).Select(r => Record(c, r, 0.5, 10))).ToList();
        var lines = ResultTable.Build(plan, records).ToMarkdown().Split('\n');
        var header = Array.FindIndex(lines, l => l.StartsWith("|  | nfe=2 |", StringComparison.Ordinal));
        Assert.True(header >= 0, string.Join("\n", lines));
        Assert.StartsWith("|  | 0.500 ± 0.000 |", lines[header + 2], StringComparison.Ordinal);
    }

    /// <summary>A cell with no recorded value has empty value and std fields in the CSV (not "NaN"), and 0 values.</summary>
    [Fact]
    public void Unrun_cells_are_empty_in_the_csv()
    {
        var plan = Tiny();
        var records = Enumerable.Range(0, plan.Repeats).Select(r => Record(plan.Cells[1], r, 0.5, 10)).ToList();
        var csv = ResultTable.Build(plan, records).ToCsv().Split('\n');
        Assert.DoesNotContain(csv, l => l.Contains("NaN", StringComparison.Ordinal));
        Assert.Contains(csv, l => l.StartsWith("euler,2,sliced_w2,,,0,3,", StringComparison.Ordinal));
        Assert.Contains(csv, l => l.StartsWith("euler,10,sliced_w2,0.5,0,3,3,", StringComparison.Ordinal));
    }

    [Fact]
    public void The_last_progress_report_says_done()
    {
        var dir = TestFiles.NewDirectory("progress");
        var reports = new List<SweepProgress>();
        new SweepRunner(new FakeBackend()).Run(Tiny(), new RunOptions(dir, false, Shard.All, 1), reports.Add);
        Assert.Equal("done", reports[^1].Current);
        Assert.Equal((18, 18), (reports[^1].Done, reports[^1].Total));
        Assert.All(reports.SkipLast(1), r => Assert.NotEqual("done", r.Current));
        // The first report, before any run, names the first cell to run.
        Assert.Equal((0, Tiny().Cells[0].Label), (reports[0].Done, reports[0].Current));
    }

    [Fact]
    public void A_null_metric_survives_the_run_log()
    {
        var cell = Tiny().Cells[0];
        var record = new ResultRecord(cell.Id, cell.Index, 0, "success", null,
            new SortedDictionary<string, double?>(StringComparer.Ordinal) { ["sliced_w2"] = double.PositiveInfinity, ["mean_error"] = 0.5 }, 10, 10, 0, 0, cell.ResolvedJson);
        var line = record.ToJsonLine();
        Assert.Contains("\"sliced_w2\":null", line, StringComparison.Ordinal);
        var read = ResultRecord.Parse(line);
        Assert.Null(read.Metrics["sliced_w2"]);
        Assert.Equal(0.5, read.Metrics["mean_error"]);
        Assert.Equal(line, read.ToJsonLine());
    }

    [Fact]
    public void A_cell_locates_exactly_its_dotted_keys()
    {
        var cell = Tiny().Cells[0];
        Assert.DoesNotContain("", cell.Locations.Keys);
        Assert.All(cell.Locations.Keys, k => Assert.DoesNotContain("", k.Split('.')));
        Assert.Equal(6, cell.Locations["data.name"].Line);
        Assert.Equal(6, cell.Locate("data")!.Line); // a block mapping starts at its first key
        Assert.Equal(9, cell.Locate("sde.parameters.beta_min")!.Line);
        Assert.Equal(9, cell.Locate("sde.parameters.beta_min.nonsense")!.Line); // the closest written parent
        Assert.Null(cell.Locate("nonsense"));
    }

    /// <summary>The writer creates the results folder it is given (nested, not there yet) and renders into it; a missing plan
    /// or record list is refused before anything is written.</summary>
    [Fact]
    public void The_writer_creates_its_folder()
    {
        var plan = new ExperimentLoader(new FakeBackend()).Parse(TestFiles.Tiny, "x.yaml", ".");
        var dir = Path.Combine(TestFiles.NewDirectory("writer"), "not", "yet");
        ResultsWriter.Write(dir, plan, [], "all", TimeSpan.FromSeconds(1), null);
        Assert.True(File.Exists(Path.Combine(dir, "table.md")));
        Assert.True(File.Exists(Path.Combine(dir, "manifest.json")));
        var nothing = Path.Combine(TestFiles.NewDirectory("writer"), "none");
        Assert.Throws<ArgumentNullException>("records", () => ResultsWriter.Write(nothing, plan, null!, "all", TimeSpan.Zero, null));
        Assert.Throws<ArgumentNullException>("plan", () => ResultsWriter.Write(nothing, null!, [], "all", TimeSpan.Zero, null));
        Assert.Throws<ArgumentNullException>("directory", () => ResultsWriter.Write(null!, plan, [], "all", TimeSpan.Zero, null));
        Assert.False(Directory.Exists(nothing)); // refused before anything is written
    }

    /// <summary>A cell with a failed repeat is left out of the NFE figures (its table entry shows the failure), even when
    /// other repeats of it succeeded: the figure then has exactly one marker fewer.</summary>
    [Fact]
    public void Figures_leave_out_cells_with_a_failed_repeat()
    {
        var plan = Tiny();
        ResultRecord Success(CellSpec c, int repeat) => new(c.Id, c.Index, repeat, "success", null,
            new SortedDictionary<string, double?>(StringComparer.Ordinal) { ["sliced_w2"] = 0.1 + c.Index, ["mean_error"] = 0.5 }, 10 + c.Index, 10, 0, 0, c.ResolvedJson);
        var all = plan.Cells.Select(c => Success(c, 0)).ToList();
        var failed = all.Append(new ResultRecord(plan.Cells[0].Id, 0, 1, "failed", "diverged", new SortedDictionary<string, double?>(StringComparer.Ordinal), 0, 0, 0, 0,
            plan.Cells[0].ResolvedJson)).ToList();
        int Markers(List<ResultRecord> records)
        {
            var dir = TestFiles.NewDirectory("figures");
            return FigureRenderer.WriteMetricFigures(ResultTable.Build(plan, records), dir)
                .Sum(f => XDocument.Load(Path.Combine(dir, Path.GetFileName(f))).Root!.Elements(Svg + "circle").Count());
        }
        Assert.Equal(Markers(all) - 1, Markers(failed));
    }

    /// <summary>The manifest records the source folder under its own key, null for a render without one.</summary>
    [Fact]
    public void The_manifest_records_the_source_folder()
    {
        var path = Path.Combine(TestFiles.NewDirectory("manifest"), "manifest.json");
        Manifest.Write(path, Tiny(), [], "all", TimeSpan.FromSeconds(2), null);
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(path));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, json.RootElement.GetProperty("source_directory").ValueKind);
        Assert.False(json.RootElement.TryGetProperty("", out _));
        Manifest.Write(path, Tiny(), [], "all", TimeSpan.FromSeconds(2), "/data/experiments");
        using var given = System.Text.Json.JsonDocument.Parse(File.ReadAllText(path));
        Assert.Equal("/data/experiments", given.RootElement.GetProperty("source_directory").GetString());
    }

    /// <summary>A cell not run yet is an em dash in the Markdown table and "--" in the LaTeX one.</summary>
    [Fact]
    public void An_unrun_cell_is_a_dash_in_every_table()
    {
        var plan = Tiny();
        var table = ResultTable.Build(plan, []);
        Assert.Equal("—", table.Text(table[0, 0]));
        Assert.Equal("--", table.Text(table[0, 0], latex: true));
        Assert.Contains(" -- ", table.ToLatex(), StringComparison.Ordinal);
    }
}
