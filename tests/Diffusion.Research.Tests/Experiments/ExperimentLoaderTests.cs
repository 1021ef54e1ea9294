using Diffusion.Research.Experiments;
using Diffusion.Research.Experiments.Configuration;
using Diffusion.Research.Experiments.Plans;

namespace Diffusion.Research.Tests.Experiments;

public class ExperimentLoaderTests
{
    private static ExperimentPlan Load(string yaml) => new ExperimentLoader(new FakeBackend()).Parse(yaml, "x.yaml", ".");

    private static ConfigError Single(string yaml)
    {
        var e = Assert.Throws<ConfigException>(() => Load(yaml));
        return Assert.Single(e.Errors);
    }

    [Fact]
    public void Sweep_is_cartesian_product_of_axes_with_zipped_groups_first_axis_slowest()
    {
        var plan = Load(TestFiles.Tiny);
        Assert.Equal(6, plan.Cells.Count);
        Assert.Equal(["euler", "euler", "euler", "heun", "heun", "heun"], plan.Cells.Select(c => c.Sampler.Solver));
        Assert.Equal([2, 10, 40, 2, 10, 40], plan.Cells.Select(c => c.Sampler.Nfe ?? 0));
        Assert.Equal([0.1, 0.01, 0.001], plan.Cells.Take(3).Select(c => c.Sampler.RelativeTolerance));
        Assert.Equal(6, plan.Cells.Select(c => c.Id).Distinct().Count());
        Assert.Equal(3, plan.Repeats);
        Assert.Equal(7UL, plan.Seed);
    }

    [Fact]
    public void Defaults_are_filled_in_and_part_of_the_resolved_config()
    {
        var cell = Load(TestFiles.Tiny).Cells[0];
        Assert.Equal("uniform", cell.Sampler.Schedule);
        Assert.Null(cell.Sampler.Lambda);
        Assert.Equal(1e-3, cell.Sde.TEps);
        Assert.Equal("exact", cell.Model.Kind);
        Assert.Equal(64, cell.Eval.Reference);
        Assert.Contains("\"t_eps\":0.001", cell.ResolvedJson);
        Assert.Contains("\"model\":{\"kind\":\"exact\"}", cell.ResolvedJson);
    }

    [Fact]
    public void Same_config_gives_same_cell_ids_and_hash_whatever_the_comments()
    {
        var a = Load(TestFiles.Tiny);
        var b = Load("# a comment\n" + TestFiles.Tiny.Replace("solver: heun\n", "solver: heun   # inline\n"));
        Assert.Equal(a.ConfigHash, b.ConfigHash);
        Assert.Equal(a.Cells.Select(c => c.Id), b.Cells.Select(c => c.Id));
    }

    [Fact]
    public void A_bad_swept_value_is_reported_at_the_sweep_entry()
    {
        var yaml = TestFiles.Tiny.Replace("sampler.nfe: [2, 10, 40]", "sampler.nfe: [2, ten, 40]");
        var error = Single(yaml);
        var line = yaml.Split('\n').ToList().FindIndex(l => l.Contains("ten")) + 1;
        Assert.Equal(line, error.Location.Line);
        Assert.Equal(yaml.Split('\n')[line - 1].IndexOf("ten", StringComparison.Ordinal) + 1, error.Location.Column);
        Assert.Contains("sampler.nfe must be an integer", error.Message);
    }

    [Fact]
    public void An_unknown_swept_solver_lists_the_valid_ones()
    {
        var error = Single(TestFiles.Tiny.Replace("[euler, heun]", "[euler, hune]"));
        Assert.Contains("unknown solver 'hune'", error.Message);
        Assert.Contains("did you mean 'heun'", error.Message);
        Assert.Contains("boom, dopri5, euler, heun", error.Message);
    }

    [Fact]
    public void An_unknown_key_suggests_the_closest()
    {
        var error = Single(TestFiles.Tiny.Replace("  nfe: 10\n", "  nfe: 10\n  stesp: 3\n"));
        Assert.Contains("unknown key 'stesp' in sampler; did you mean 'steps'?", error.Message);
        Assert.Equal(13, error.Location.Line);
        Assert.Equal(3, error.Location.Column);
    }

    [Fact]
    public void A_backend_check_failure_points_at_the_parameter()
    {
        var error = Single(TestFiles.Tiny.Replace("beta_max: 20", "beta_max: -1"));
        Assert.Equal(9, error.Location.Line);
        Assert.Contains("sde.parameters.beta_max", error.Message);
    }

    [Fact]
    public void Table_keys_must_exist_and_value_must_be_a_metric()
    {
        var e = Assert.Throws<ConfigException>(() => Load(TestFiles.Tiny.Replace("rows: [sampler.solver]", "rows: [sampler.solvr]").Replace("value: sliced_w2", "value: mmd")));
        Assert.Equal(2, e.Errors.Count);
        Assert.Contains("'sampler.solvr' is not a key", e.Errors[0].Message);
        Assert.Contains("table.value 'mmd'", e.Errors[1].Message);
        Assert.Equal("table.value 'mmd' is neither a metric of eval.metrics (cell #0 has sliced_w2, mean_error) nor one of "
            + string.Join(", ", Diffusion.Research.Experiments.Plans.TableBlock.StatisticValues), e.Errors[1].Message);
    }

    [Fact]
    public void Duplicate_keys_are_rejected_with_both_locations()
    {
        var error = Single(TestFiles.Tiny.Replace("seed: 7\n", "seed: 7\nseed: 8\n"));
        Assert.Equal(4, error.Location.Line);
        Assert.Contains("duplicate key 'seed' (first given at line 3", error.Message);
    }

    [Theory]
    [InlineData("mean_std", Aggregation.MeanStd)]
    [InlineData("mean", Aggregation.Mean)]
    [InlineData("median", Aggregation.Median)]
    [InlineData("min", Aggregation.Min)]
    [InlineData("max", Aggregation.Max)]
    public void Each_table_aggregation_name_selects_its_aggregation(string name, Aggregation expected)
    {
        var plan = Load(TestFiles.Tiny.Replace("  value: sliced_w2\n", $"  value: sliced_w2\n  aggregation: {name}\n"));
        Assert.Equal(expected, plan.Table.Aggregation);
    }

    /// <summary>table.value defaults to the first metric of eval.metrics; an empty metric list is allowed (the table then
    /// shows NFE); RunOptions.Default writes under results/, resumes, runs the whole sweep on every processor.</summary>
    [Fact]
    public void Defaults_of_the_table_value_the_metric_list_and_the_run_options()
    {
        var plan = Load(TestFiles.Tiny.Replace("  value: sliced_w2\n", "").Replace("[sliced_w2, mean_error]", "[mean_error, sliced_w2]"));
        Assert.Equal("mean_error", plan.Table.Value);
        var none = Load(TestFiles.Tiny.Replace("  value: sliced_w2\n", "").Replace("[sliced_w2, mean_error]", "[]"));
        Assert.Empty(none.Cells[0].Eval.Metrics);
        Assert.Equal("nfe", none.Table.Value);
        Assert.Equal(new RunOptions("results", false, Shard.All, Environment.ProcessorCount), RunOptions.Default);
        // Without table.rows and table.columns: the swept keys but the last are the rows, the last is the column.
        var swept = Load(TestFiles.Tiny.Replace("  rows: [sampler.solver]\n  columns: [sampler.nfe]\n", ""));
        Assert.Equal(["sampler.solver", "sampler.nfe"], swept.Table.Rows);
        Assert.Equal(["sampler.rtol"], swept.Table.Columns);
        Assert.Equal("w", Assert.Throws<ArgumentNullException>(() => DataBlock.Write(null!, plan.Cells[0].Data)).ParamName);
    }
}
