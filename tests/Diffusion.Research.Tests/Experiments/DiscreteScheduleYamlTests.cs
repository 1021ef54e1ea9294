using Diffusion.Research.Experiments;
using Diffusion.Research.Experiments.Backend;
using Diffusion.Research.Experiments.Plans;

namespace Diffusion.Research.Tests.Experiments;

/// <summary>The discrete schedules' VP SDEs from an experiment file: swept beside the continuous ones under
/// <c>sde.kind</c>, with their parameters in <c>sde.parameters</c>, each cell sampled with the exact score.</summary>
public class DiscreteScheduleYamlTests
{
    private const string Yaml = """
        name: discrete
        seed: 4
        data: {name: 8gaussians}
        sde: {kind: vp, t_eps: 1.0e-3}
        sampler: {solver: ddim, nfe: 25}
        eval: {particles: 256, reference: 256, metrics: [mean_error, sliced_w2]}
        sweep:
          sde.kind: [vp, vp-discrete-linear, vp-discrete-scaled-linear, vp-discrete-cosine]
        table: {rows: [sde.kind], columns: [], value: sliced_w2, format: "0.0000"}
        """;

    [Fact]
    public void Every_discrete_kind_runs_from_a_file_and_enters_the_table()
    {
        var dir = TestFiles.NewDirectory("discrete");
        var backend = ExperimentBackend.CreateDefault();
        var plan = new ExperimentLoader(backend).Load(TestFiles.Write(dir, "discrete.yaml", Yaml));
        Assert.Equal(4, plan.Cells.Count);
        new SweepRunner(backend).Run(plan, new RunOptions(dir, false, Shard.All, 2));
        var records = new RunLog(Path.Combine(dir, "discrete", "runs.jsonl")).Read();
        Assert.Equal(4, records.Count);
        Assert.All(records, r => Assert.True(r.IsSuccess, r.Message));
        var table = File.ReadAllText(Path.Combine(dir, "discrete", "table.md"));
        foreach (var kind in new[] { "vp-discrete-linear", "vp-discrete-scaled-linear", "vp-discrete-cosine" })
            Assert.Contains(kind, table, StringComparison.Ordinal);
    }
}
