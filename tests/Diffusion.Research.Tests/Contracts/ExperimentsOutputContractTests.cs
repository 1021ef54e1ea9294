using Diffusion.Research.Experiments;
using Diffusion.Research.Experiments.Output;
using Diffusion.Research.Experiments.Plans;
using Diffusion.Research.Numerics;
using Diffusion.Research.Tests.Experiments;

namespace Diffusion.Research.Tests.Contracts;

/// <summary>Small results folders written by the fake backend (no numerics).</summary>
internal static class ExperimentsResultsFixture
{
    public static ExperimentLoader Loader() => new(new FakeBackend());

    public static ExperimentPlan Plan(string yaml = TestFiles.Tiny) => Loader().Parse(yaml, "tiny.yaml", ".");

    /// <summary>Runs <paramref name="yaml"/> under a new root and returns the results folder (root/NAME).</summary>
    public static string Run(string tag, string yaml = TestFiles.Tiny)
    {
        var root = TestFiles.NewDirectory(tag);
        var plan = Loader().Load(TestFiles.Write(root, "tiny.yaml", yaml));
        new SweepRunner(new FakeBackend()).Run(plan, new RunOptions(root, false, Shard.All, 1));
        return SweepRunner.ResultsDirectory(plan, root);
    }
}

public class ExperimentsSvgPlotContractTests
{
    [Fact]
    public void AddSeries_needs_x_and_y_of_one_length()
    {
        var plot = new SvgPlot("t", "x", "y", 0.37, 2.5, 0.37, 2.5, logX: false, logY: false);
        Contract.Null(() => plot.AddSeries("s", null!, [0.5], "#000", line: true), "x");
        Contract.Null(() => plot.AddSeries("s", [0.5], null!, "#000", line: true), "y");
        Contract.Argument(() => plot.AddSeries("s", [0.5, 1.5], [0.5], "#000", line: true), "y", "x has 2 points, y has 1.");
        Contract.Argument(() => plot.AddSeries("s", [0.5], [0.5, 1.5, 2.0], "#000", line: true), "y", "x has 1 points, y has 3.");
        plot.AddSeries("s", [0.5, 1.5], [0.75, 1.25], "#123456", line: true);
        Assert.Contains("#123456", plot.ToSvg(), StringComparison.Ordinal);
    }
}

public class ExperimentsFigureRendererContractTests
{
    [Fact]
    public void Metric_figures_need_a_table()
    {
        Contract.Null(() => FigureRenderer.WriteMetricFigures(null!, TestFiles.NewDirectory("contract-fig")), "table");
    }

    [Fact]
    public void A_scatter_needs_a_path_and_two_dimensions()
    {
        var dir = TestFiles.NewDirectory("contract-scatter");
        var two = new Batch(3, 2);
        Contract.Null(() => FigureRenderer.WriteScatter(null!, "t", two, two, 3), "path");
        Contract.Argument(() => FigureRenderer.WriteScatter(Path.Combine(dir, "a.svg"), "t", new Batch(3, 1), two, 3), "samples",
            "A scatter needs at least two dimensions.");
        Assert.Equal("points", Assert.Throws<ArgumentOutOfRangeException>(() => FigureRenderer.WriteScatter(Path.Combine(dir, "c.svg"), "t", two, two, -1)).ParamName);
        FigureRenderer.WriteScatter(Path.Combine(dir, "d.svg"), "t", two, two, 0);
        FigureRenderer.WriteScatter(Path.Combine(dir, "b.svg"), "t", two, two, 3);
        Assert.True(File.Exists(Path.Combine(dir, "b.svg")));
    }
}

public class ExperimentsResultTableContractTests
{
    [Fact]
    public void Build_and_entry_reads_refuse_nulls()
    {
        var plan = ExperimentsResultsFixture.Plan();
        Contract.Null(() => ResultTable.Build(null!, []), "plan");
        Contract.Null(() => ResultTable.Build(plan, null!), "records");
        var table = ResultTable.Build(plan, []);
        Contract.Null(() => table.Center(null!), "entry");
        Contract.Null(() => table.Text(null!), "entry");
        Contract.Null(() => ResultTable.StandardDeviation(null!), "values");
        Assert.Equal(0.0, ResultTable.StandardDeviation([0.37]));
        Assert.True(double.IsNaN(table.Center(new TableEntry([], 0, 1, 0, null))));
    }

    [Fact]
    public void Writers_refuse_nulls()
    {
        var plan = ExperimentsResultsFixture.Plan();
        var dir = TestFiles.NewDirectory("contract-writers");
        Contract.Null(() => ResultsWriter.Write(dir, null!, [], "all", TimeSpan.Zero, null), "plan");
        Contract.Null(() => ResultsWriter.Write(dir, plan, null!, "all", TimeSpan.Zero, null), "records");
        Contract.Null(() => Manifest.Write(Path.Combine(dir, Manifest.FileName), null!, [], "all", TimeSpan.Zero, null), "plan");
        Contract.Null(() => Manifest.Write(Path.Combine(dir, Manifest.FileName), plan, null!, "all", TimeSpan.Zero, null), "records");
        Manifest.Write(Path.Combine(dir, Manifest.FileName), plan, [], "all", TimeSpan.Zero, null);
        Assert.True(File.Exists(Path.Combine(dir, Manifest.FileName)));
    }
}

public class ExperimentsManifestContractTests
{
    /// <summary>Every field of manifest.json: the plan's identity, the shard, the records' counts and times, and the devices.</summary>
    [Fact]
    public void The_manifest_records_the_plan_the_shard_and_the_records()
    {
        var plan = ExperimentsResultsFixture.Plan();
        var dir = TestFiles.NewDirectory("contract-manifest");
        var metrics = new Dictionary<string, double?> { ["mean_error"] = 0.37 };
        ResultRecord Record(int index, string status, double wall, string? device) =>
            new(plan.Cells[index].Id, index, 0, status, null, metrics, 10, 10, 0, wall, plan.Cells[index].ResolvedJson) { Device = device };
        var records = new[]
        {
            Record(0, "success", 0.25, "gpu-emulated (ILGPU CPU accelerator)"),
            Record(1, "NonFinite", 1.5, null),
            Record(2, "success", 0.0004, "gpu-emulated (ILGPU CPU accelerator)"),
        };
        var path = Path.Combine(dir, Manifest.FileName);
        Manifest.Write(path, plan, records, "2/3", TimeSpan.FromSeconds(12.34567), "/experiments");
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(path));
        var m = json.RootElement;
        Assert.Equal(plan.Name, m.GetProperty("name").GetString());
        Assert.Equal(plan.ConfigHash, m.GetProperty("config_hash").GetString());
        Assert.Matches("^[0-9a-f]{16,}$", plan.ConfigHash);
        Assert.Equal(plan.SourceFile, m.GetProperty("source").GetString());
        Assert.Equal("/experiments", m.GetProperty("source_directory").GetString());
        Assert.Equal(["gpu-emulated (ILGPU CPU accelerator)"], m.GetProperty("devices").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal(plan.Seed, m.GetProperty("seed").GetUInt64());
        Assert.Equal(plan.Repeats, m.GetProperty("repeats").GetInt32());
        Assert.Equal(plan.Cells.Count, m.GetProperty("cells").GetInt32());
        Assert.Equal("2/3", m.GetProperty("last_shard").GetString());
        Assert.Equal(3, m.GetProperty("records").GetInt32());
        Assert.Equal(1, m.GetProperty("failed").GetInt32());
        Assert.Equal(12.346, m.GetProperty("elapsed_seconds").GetDouble());
        Assert.Equal(1.75, m.GetProperty("cell_seconds_total").GetDouble());
        Assert.Equal(["name", "config_hash", "source", "source_directory", "git_commit", "framework_version", "dotnet", "machine", "devices",
            "seed", "repeats", "cells", "last_shard", "records", "failed", "elapsed_seconds", "cell_seconds_total", "written_utc"],
            m.EnumerateObject().Select(p => p.Name));

        Manifest.Write(path, plan, records.Where(r => r.Device is null).ToArray(), "all", TimeSpan.Zero, null);
        using var cpu = System.Text.Json.JsonDocument.Parse(File.ReadAllText(path));
        Assert.False(cpu.RootElement.TryGetProperty("devices", out _));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, cpu.RootElement.GetProperty("source_directory").ValueKind);
    }
}

public class ExperimentsResultsFolderContractTests
{
    [Fact]
    public void Constructor_and_load_check_their_arguments()
    {
        Contract.Null(() => _ = new ResultsFolder(null!), "loader");
        var empty = TestFiles.NewDirectory("contract-empty");
        var e = Assert.Throws<FileNotFoundException>(() => new ResultsFolder(ExperimentsResultsFixture.Loader()).LoadPlan(empty));
        Assert.Equal($"'{empty}' is not a results folder: it has no {ResultsWriter.ConfigFileName}.", e.Message);
        Assert.Equal(Path.Combine(empty, ResultsWriter.ConfigFileName), e.FileName);
    }

    [Fact]
    public void Merge_needs_folders_of_one_configuration_and_another_target()
    {
        var folder = new ResultsFolder(ExperimentsResultsFixture.Loader());
        var output = TestFiles.NewDirectory("contract-merge");
        Contract.Null(() => folder.Merge(null!, output), "directories");
        Contract.Argument(() => folder.Merge([], output), "directories", "Give at least one results folder to merge.");
        var a = ExperimentsResultsFixture.Run("contract-a");
        var other = ExperimentsResultsFixture.Run("contract-b", TestFiles.Tiny.Replace("seed: 7", "seed: 8", StringComparison.Ordinal));
        var hashA = folder.LoadPlan(a).ConfigHash;
        var hashOther = folder.LoadPlan(other).ConfigHash;
        Contract.Argument(() => folder.Merge([a, other], output), "directories",
            $"'{other}' holds a different experiment configuration (hash {hashOther[..16]}) than '{a}' ({hashA[..16]}).");
        var target = Path.Combine(Path.GetDirectoryName(a)!, "tiny");
        Assert.Equal(Path.GetFullPath(a), Path.GetFullPath(target));
        Contract.Argument(() => folder.Merge([a], Path.GetDirectoryName(a)!), "outputRoot",
            $"The merge target '{target}' is one of the inputs; choose another --out.");
        var merged = folder.Merge([a], output);
        Assert.Equal(Path.Combine(output, "tiny"), merged.Directory);
    }

    [Fact]
    public void Merge_refuses_shards_that_disagree()
    {
        var folder = new ResultsFolder(ExperimentsResultsFixture.Loader());
        var a = ExperimentsResultsFixture.Run("contract-c");
        var b = Path.Combine(TestFiles.NewDirectory("contract-d"), "tiny");
        Directory.CreateDirectory(b);
        File.Copy(Path.Combine(a, ResultsWriter.ConfigFileName), Path.Combine(b, ResultsWriter.ConfigFileName));
        var records = new RunLog(Path.Combine(a, RunLog.FileName)).Read();
        var log = new RunLog(Path.Combine(b, RunLog.FileName));
        log.Append(records[0]);
        folder.Merge([a, b], TestFiles.NewDirectory("contract-e")); // the same result twice is kept once
        File.Delete(log.Path);
        log.Append(records[0] with { Message = "another result" });
        var e = Assert.Throws<InvalidDataException>(() => folder.Merge([a, b], TestFiles.NewDirectory("contract-f")));
        Assert.Equal($"'{b}' records cell #{records[0].Index} repeat {records[0].Repeat} with a different result than an earlier folder; the shards disagree, rerun that cell with --force in one of them.", e.Message);
    }
}
