using System.Globalization;
using Diffusion.Research.Experiments;
using Diffusion.Research.Experiments.Configuration;
using Diffusion.Research.Experiments.Output;
using Diffusion.Research.Experiments.Plans;

namespace Diffusion.Research.Tests.Experiments;

/// <summary><c>eval.noise_floor</c>: each run also scores exact data samples against its reference; the table states the floor.</summary>
public class NoiseFloorTests
{
    private const string Yaml = """
        name: floor
        seed: 5
        repeats: 3
        data: {name: 8gaussians}
        sde: {kind: vp}
        sampler: {solver: heun, nfe: 10}
        eval: {particles: 300, reference: 200, metrics: [sliced_w2, mean_error], noise_floor: true}
        sweep:
          sampler.solver: [euler, heun]
        table: {rows: [sampler.solver], columns: [], value: sliced_w2}
        """;

    [Fact]
    public void The_option_is_read_strictly_and_only_a_set_option_enters_the_cell_identity()
    {
        var fake = new ExperimentLoader(new FakeBackend());
        var on = fake.Parse(TestFiles.Tiny.Replace("particles: 64", "particles: 64\n  noise_floor: true"), "x.yaml", ".");
        var off = fake.Parse(TestFiles.Tiny.Replace("particles: 64", "particles: 64\n  noise_floor: false"), "x.yaml", ".");
        var plain = fake.Parse(TestFiles.Tiny, "x.yaml", ".");
        Assert.All(on.Cells, c => Assert.True(c.Eval.NoiseFloor));
        Assert.All(on.Cells, c => Assert.Contains("\"noise_floor\":true", c.ResolvedJson, StringComparison.Ordinal));
        Assert.Equal(plain.Cells.Select(c => c.Id), off.Cells.Select(c => c.Id));
        Assert.NotEqual(plain.Cells.Select(c => c.Id), on.Cells.Select(c => c.Id));
        var e = Assert.Throws<ConfigException>(() => fake.Parse(TestFiles.Tiny.Replace("particles: 64", "particles: 64\n  noise_floor: yes"), "x.yaml", "."));
        Assert.Contains("eval.noise_floor must be true or false", Assert.Single(e.Errors).Message);
    }

    [Fact]
    public void Records_keep_the_floor_and_logs_without_one_are_unchanged()
    {
        var metrics = new SortedDictionary<string, double?>(StringComparer.Ordinal) { ["sliced_w2"] = 0.25 };
        var plain = new ResultRecord("abc", 0, 1, "success", null, metrics, 10, 10, 0, 0.5, "{\"a\":1}");
        Assert.DoesNotContain("floor", plain.ToJsonLine(), StringComparison.Ordinal);
        Assert.Equal(plain.ToJsonLine(), ResultRecord.Parse(plain.ToJsonLine()).ToJsonLine());
        Assert.Empty(ResultRecord.Parse(plain.ToJsonLine()).Floor);

        var withFloor = plain with { Floor = new SortedDictionary<string, double?>(StringComparer.Ordinal) { ["sliced_w2"] = 0.125 } };
        var line = withFloor.ToJsonLine();
        Assert.Contains("\"metrics\":{\"sliced_w2\":0.25},\"floor\":{\"sliced_w2\":0.125},\"nfe\"", line, StringComparison.Ordinal);
        Assert.Equal(0.125, ResultRecord.Parse(line).Floor["sliced_w2"]);
        Assert.Equal(line, ResultRecord.Parse(line).ToJsonLine());
    }

    [Fact]
    public void Every_cell_of_a_repeat_reports_the_same_floor_and_the_table_states_its_mean_and_std()
    {
        var dir = TestFiles.NewDirectory("floor");
        var plan = new ExperimentLoader(RealBackendTests.Backend()).Load(TestFiles.Write(dir, "floor.yaml", Yaml));
        new SweepRunner(RealBackendTests.Backend()).Run(plan, new RunOptions(Path.Combine(dir, "a"), false, Shard.All, 1));
        new SweepRunner(RealBackendTests.Backend()).Run(plan, new RunOptions(Path.Combine(dir, "b"), true, Shard.All, 2));
        var records = new RunLog(Path.Combine(dir, "a", "floor", "runs.jsonl")).Read();
        Assert.Equal(6, records.Count);
        var perRepeat = new double[plan.Repeats];
        for (var r = 0; r < plan.Repeats; r++)
        {
            var floors = records.Where(x => x.Repeat == r).Select(x => x.Floor["sliced_w2"]!.Value).ToList();
            Assert.Single(floors.Distinct());
            perRepeat[r] = floors[0];
            Assert.True(perRepeat[r] > 0 && perRepeat[r] < 1, $"floor {perRepeat[r]}");
            Assert.All(records.Where(x => x.Repeat == r), x => Assert.NotEqual(x.Metrics["sliced_w2"], x.Floor["sliced_w2"]));
            Assert.All(records, x => Assert.True(x.Floor.ContainsKey("mean_error")));
        }
        Assert.Equal(plan.Repeats, perRepeat.Distinct().Count());

        // The table line is the mean ± sample std of the per-repeat floors, and reruns (other thread count, --force) give the same bytes.
        var mean = perRepeat.Average();
        var std = Math.Sqrt(perRepeat.Sum(v => (v - mean) * (v - mean)) / (perRepeat.Length - 1));
        var table = File.ReadAllText(Path.Combine(dir, "a", "floor", "table.md"));
        var inv = CultureInfo.InvariantCulture;
        Assert.Contains($"Two-sample noise floor of `sliced_w2` (300 exact samples of 8gaussians against the 200 reference samples of each repeat): " +
            $"{mean.ToString("0.0000", inv)} ± {std.ToString("0.0000", inv)} over 3 repeats.", table, StringComparison.Ordinal);
        Assert.Equal(table, File.ReadAllText(Path.Combine(dir, "b", "floor", "table.md")));
        Assert.Contains("% Two-sample noise floor of sliced_w2", File.ReadAllText(Path.Combine(dir, "a", "floor", "table.tex")), StringComparison.Ordinal);
        Assert.Contains("noise floor", File.ReadAllText(Path.Combine(dir, "a", "floor", "figures", "sliced_w2-vs-nfe.svg")), StringComparison.Ordinal);
    }

    [Fact]
    public void The_table_shows_one_floor_per_evaluation_setup_and_none_without_the_option()
    {
        var plan = new ExperimentLoader(new FakeBackend()).Parse(TestFiles.Tiny.Replace("particles: 64", "particles: 64\n  noise_floor: true")
            .Replace("sampler.solver: [euler, heun]", "sampler.solver: [euler, heun]\n  eval.particles: [64, 128]"), "x.yaml", ".");
        var records = new List<ResultRecord>();
        foreach (var cell in plan.Cells)
            for (var r = 0; r < plan.Repeats; r++)
            {
                var floor = cell.Eval.Particles / 1000.0 + r; // a function of the setup and the repeat only, as the backend's
                records.Add(new ResultRecord(cell.Id, cell.Index, r, "success", null,
                    new SortedDictionary<string, double?>(StringComparer.Ordinal) { ["sliced_w2"] = 1.0, ["mean_error"] = 1.0 }, 10, 10, 0, 0, cell.ResolvedJson)
                {
                    Floor = new SortedDictionary<string, double?>(StringComparer.Ordinal) { ["sliced_w2"] = floor, ["mean_error"] = -1 },
                });
            }
        var table = ResultTable.Build(plan, records);
        Assert.Equal(2, table.NoiseFloors.Count);
        Assert.Equal([64, 128], table.NoiseFloors.Select(f => f.Particles));
        Assert.Equal([0.064, 1.064, 2.064], table.NoiseFloors[0].Values);
        Assert.Contains("(64 exact samples of gauss2d against the 64 reference samples of each repeat): 1.064 ± 1.000 over 3 repeats.", table.ToMarkdown(), StringComparison.Ordinal);

        var without = new ExperimentLoader(new FakeBackend()).Parse(TestFiles.Tiny, "x.yaml", ".");
        Assert.Empty(ResultTable.Build(without, records).NoiseFloors);
        Assert.DoesNotContain("noise floor", ResultTable.Build(without, records).ToMarkdown(), StringComparison.Ordinal);
    }

    /// <summary>A setup with the option but no recorded floor yet (no run, or every run failed) states none: no empty entry.</summary>
    [Fact]
    public void A_setup_without_a_recorded_floor_has_no_entry()
    {
        var plan = new ExperimentLoader(new FakeBackend()).Parse(TestFiles.Tiny.Replace("particles: 64", "particles: 64\n  noise_floor: true"), "x.yaml", ".");
        var table = ResultTable.Build(plan, []);
        Assert.Empty(table.NoiseFloors);
        Assert.DoesNotContain("noise floor", table.ToMarkdown(), StringComparison.Ordinal);
    }

    /// <summary>Two cells whose data differ only in a parameter's value are two evaluation setups: each has its floor.</summary>
    [Fact]
    public void Data_parameters_that_differ_in_value_are_separate_setups()
    {
        var plan = new ExperimentLoader(new FakeBackend()).Parse(TestFiles.Tiny.Replace("particles: 64", "particles: 64\n  noise_floor: true")
            .Replace("  name: gauss2d\n", "  name: gauss2d\n  parameters: {scale: 1}\n")
            .Replace("sampler.solver: [euler, heun]", "sampler.solver: [euler, heun]\n  data.parameters.scale: [1, 2]"), "x.yaml", ".");
        var records = new List<ResultRecord>();
        foreach (var cell in plan.Cells)
            for (var r = 0; r < plan.Repeats; r++)
                records.Add(new ResultRecord(cell.Id, cell.Index, r, "success", null,
                    new SortedDictionary<string, double?>(StringComparer.Ordinal) { ["sliced_w2"] = 1.0, ["mean_error"] = 1.0 }, 10, 10, 0, 0, cell.ResolvedJson)
                {
                    Floor = new SortedDictionary<string, double?>(StringComparer.Ordinal) { ["sliced_w2"] = cell.Data.Parameters["scale"][0] + r },
                });
        var floors = ResultTable.Build(plan, records).NoiseFloors;
        Assert.Equal(2, floors.Count);
        Assert.Equal([[1.0, 2.0, 3.0], [2.0, 3.0, 4.0]], floors.Select(f => f.Values.ToArray()).ToArray());
    }
}
