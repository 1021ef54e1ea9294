using Diffusion.Research.Experiments;
using Diffusion.Research.Experiments.Output;
using Diffusion.Research.Experiments.Plans;

namespace Diffusion.Research.Tests.Experiments;

public class SweepRunnerTests
{
    private static ExperimentPlan Plan(string dir, string yaml = TestFiles.Tiny) =>
        new ExperimentLoader(new FakeBackend()).Load(TestFiles.Write(dir, "tiny.yaml", yaml));

    private static string RunInto(string root, ExperimentPlan plan, Shard? shard = null, bool force = false, FakeBackend? backend = null)
    {
        new SweepRunner(backend ?? new FakeBackend()).Run(plan, new RunOptions(root, force, shard ?? Shard.All, 2));
        return Path.Combine(root, plan.Name);
    }

    [Fact]
    public void Run_writes_every_output_and_failed_cells_show_their_reason()
    {
        var dir = TestFiles.NewDirectory("run");
        var results = RunInto(Path.Combine(dir, "out"), Plan(dir));
        foreach (var f in new[] { "runs.jsonl", "table.md", "table.csv", "table.tex", "timing.csv", "manifest.json", "experiment.yaml", "figures/sliced_w2-vs-nfe.svg" })
            Assert.True(File.Exists(Path.Combine(results, f)), f);
        Assert.Equal(18, File.ReadAllLines(Path.Combine(results, "runs.jsonl")).Length);
        var md = File.ReadAllText(Path.Combine(results, "table.md"));
        Assert.Contains("| euler | failed: NonFinite: state became NaN at t=0.5 |", md);
        Assert.Contains("## Failures", md);
        Assert.Contains(" ± ", md);
        Assert.DoesNotContain("wall", md);
        Assert.True(File.Exists(Path.Combine(results, "figures", "samples-cell0001-r0.svg")) == false); // scatter is off by default
    }

    [Fact]
    public void Rerun_skips_logged_cells_and_force_recomputes()
    {
        var dir = TestFiles.NewDirectory("resume");
        var plan = Plan(dir);
        var root = Path.Combine(dir, "out");
        var first = RunInto(root, plan);
        var table = File.ReadAllText(Path.Combine(first, "table.md"));
        var backend = new FakeBackend();
        RunInto(root, plan, backend: backend);
        Assert.Equal(0, backend.Runs);
        RunInto(root, plan, force: true, backend: backend);
        Assert.Equal(18, backend.Runs);
        Assert.Equal(18, File.ReadAllLines(Path.Combine(first, "runs.jsonl")).Length);
        Assert.Equal(table, File.ReadAllText(Path.Combine(first, "table.md")));
    }

    [Fact]
    public void A_torn_last_line_is_ignored_and_the_unit_rerun()
    {
        var dir = TestFiles.NewDirectory("torn");
        var plan = Plan(dir);
        var root = Path.Combine(dir, "out");
        var results = RunInto(root, plan);
        var expected = File.ReadAllText(Path.Combine(results, "table.md"));
        var log = Path.Combine(results, "runs.jsonl");
        var lines = File.ReadAllLines(log);
        // Keep 10 whole lines and half of the 11th, as a kill in the middle of a write would.
        File.WriteAllText(log, string.Join("\n", lines.Take(10)) + "\n" + lines[10][..(lines[10].Length / 2)]);
        var backend = new FakeBackend();
        RunInto(root, plan, backend: backend);
        Assert.Equal(8, backend.Runs);
        Assert.Equal(18, File.ReadAllLines(log).Length);
        Assert.Equal(expected, File.ReadAllText(Path.Combine(results, "table.md")));
    }

    [Fact]
    public void Four_shards_merged_give_the_single_run_table()
    {
        var dir = TestFiles.NewDirectory("shards");
        var plan = Plan(dir);
        var single = RunInto(Path.Combine(dir, "single"), plan);
        var shardDirs = new List<string>();
        var counts = new List<int>();
        for (var i = 1; i <= 4; i++)
        {
            var d = RunInto(Path.Combine(dir, $"shard{i}"), plan, new Shard(i, 4));
            shardDirs.Add(d);
            counts.Add(File.ReadAllLines(Path.Combine(d, "runs.jsonl")).Length);
        }
        Assert.Equal([5, 5, 4, 4], counts);
        var merged = new ResultsFolder(new ExperimentLoader(new FakeBackend())).Merge(shardDirs, Path.Combine(dir, "merged")).Directory;
        foreach (var f in new[] { "table.md", "table.csv", "table.tex", "figures/sliced_w2-vs-nfe.svg" })
            Assert.Equal(File.ReadAllText(Path.Combine(single, f)), File.ReadAllText(Path.Combine(merged, f)));
        // The merged log lists the records in sweep order (cell index, then repeat), whatever the shards' order.
        var order = new RunLog(Path.Combine(merged, "runs.jsonl")).Read().Select(r => (r.Index, r.Repeat)).ToList();
        Assert.Equal(order.OrderBy(o => o.Index).ThenBy(o => o.Repeat), order);
        Assert.Equal(18, order.Count);
    }

    [Fact]
    public void Table_command_rerenders_the_same_bytes()
    {
        var dir = TestFiles.NewDirectory("table");
        var results = RunInto(Path.Combine(dir, "out"), Plan(dir));
        var md = File.ReadAllText(Path.Combine(results, "table.md"));
        var csv = File.ReadAllText(Path.Combine(results, "table.csv"));
        File.Delete(Path.Combine(results, "table.md"));
        new ResultsFolder(new ExperimentLoader(new FakeBackend())).Render(results);
        Assert.Equal(md, File.ReadAllText(Path.Combine(results, "table.md")));
        Assert.Equal(csv, File.ReadAllText(Path.Combine(results, "table.csv")));
    }

    [Fact]
    public void An_exception_in_a_cell_is_recorded_and_the_sweep_goes_on()
    {
        var dir = TestFiles.NewDirectory("boom");
        var plan = Plan(dir, TestFiles.Tiny.Replace("[euler, heun]", "[boom, heun]"));
        var results = RunInto(Path.Combine(dir, "out"), plan);
        var records = new RunLog(Path.Combine(results, "runs.jsonl")).Read();
        Assert.Equal(18, records.Count);
        Assert.Equal(9, records.Count(r => r.Status == "exception"));
        Assert.Contains("failed: exception: InvalidOperationException: boom", File.ReadAllText(Path.Combine(results, "table.md")));
    }

    [Fact]
    public void Mean_and_sample_std_are_computed_over_repeats()
    {
        Assert.Equal(Math.Sqrt(1.0), ResultTable.StandardDeviation([1.0, 2.0, 3.0]), 15);
        Assert.Equal(0.0, ResultTable.StandardDeviation([5.0]));
    }
}
