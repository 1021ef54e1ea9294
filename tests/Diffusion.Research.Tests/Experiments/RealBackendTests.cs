using Diffusion.Research.Data;
using Diffusion.Research.Experiments;
using Diffusion.Research.Experiments.Backend;
using Diffusion.Research.Experiments.Configuration;
using Diffusion.Research.Experiments.Models;
using Diffusion.Research.Experiments.Plans;
using Diffusion.Research.Numerics;
using Diffusion.Research.Sde;
using Diffusion.Research.Solvers;

namespace Diffusion.Research.Tests.Experiments;

/// <summary>The sweep machinery over the real registries (with a test metric: distance between sample means).</summary>
public class RealBackendTests
{
    internal static ExperimentBackend Backend() => new(DataSetRegistry.CreateDefault(), SdeRegistry.CreateDefault(), SolverRegistry.CreateDefault(),
        ModelRegistry.CreateDefault(), [.. ExperimentBackend.DefaultMetrics().Where(m => m.Name != "test_mean_gap"), new MetricFunction("test_mean_gap", "distance between sample means", MeanGap)],
        ExperimentBackend.DefaultSchedules());

    private static double MeanGap(Batch a, Batch b)
    {
        var sum = 0.0;
        for (var d = 0; d < a.Dimension; d++)
        {
            double ma = 0, mb = 0;
            for (var i = 0; i < a.Count; i++) ma += a[i, d];
            for (var i = 0; i < b.Count; i++) mb += b[i, d];
            sum += Math.Pow(ma / a.Count - mb / b.Count, 2);
        }
        return Math.Sqrt(sum);
    }

    private const string Yaml = """
        name: real
        seed: 3
        repeats: 2
        data: {name: 8gaussians}
        sde: {kind: vp}
        sampler: {solver: heun, nfe: 20}
        eval: {particles: 256, reference: 256, metrics: [test_mean_gap], scatter: 100}
        sweep:
          sampler.solver: [euler, heun, euler_maruyama, dopri5]
        table: {rows: [sampler.solver], columns: [], value: test_mean_gap}
        """;

    [Fact]
    public void Real_cells_run_and_are_bit_identical_across_thread_counts()
    {
        var dir = TestFiles.NewDirectory("real");
        var plan = new ExperimentLoader(Backend()).Load(TestFiles.Write(dir, "real.yaml", Yaml));
        new SweepRunner(Backend()).Run(plan, new RunOptions(Path.Combine(dir, "a"), false, Shard.All, 1));
        new SweepRunner(Backend()).Run(plan, new RunOptions(Path.Combine(dir, "b"), false, Shard.All, 2));
        var a = new RunLog(Path.Combine(dir, "a", "real", "runs.jsonl")).Read();
        var b = new RunLog(Path.Combine(dir, "b", "real", "runs.jsonl")).Read();
        Assert.Equal(8, a.Count);
        Assert.All(a, r => Assert.True(r.IsSuccess, r.Message));
        Assert.Equal(a.Select(r => r.Metrics["test_mean_gap"]), b.Select(r => r.Metrics["test_mean_gap"]));
        Assert.Equal(File.ReadAllText(Path.Combine(dir, "a", "real", "table.md")), File.ReadAllText(Path.Combine(dir, "b", "real", "table.md")));
        Assert.True(File.Exists(Path.Combine(dir, "a", "real", "figures", "samples-cell0000-r0.svg")));
        // NFE budget 20: euler 20 steps x 1, heun 10 steps x 2.
        Assert.Equal(20, a.First(r => r.Index == 0).Nfe);
        Assert.Equal(20, a.First(r => r.Index == 1).Nfe);
    }

    [Fact]
    public void Registry_errors_are_located_at_the_parameter()
    {
        var e = Assert.Throws<ConfigException>(() => new ExperimentLoader(Backend()).Parse(Yaml.Replace("sde: {kind: vp}", "sde: {kind: vp, parameters: {beta_mx: 3}}"), "r.yaml", "."));
        var error = Assert.Single(e.Errors);
        Assert.Equal(5, error.Location.Line);
        Assert.Contains("beta_mx", error.Message);
        e = Assert.Throws<ConfigException>(() => new ExperimentLoader(Backend()).Parse(Yaml.Replace("{name: 8gaussians}", "{name: moons}"), "r.yaml", "."));
        Assert.Contains("model kind 'exact' needs Gaussian", Assert.Single(e.Errors).Message);
    }
}
