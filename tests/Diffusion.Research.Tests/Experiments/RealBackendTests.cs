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

/// <summary>The sweep machinery over the real registries .</summary>
public class RealBackendTests
{
    internal static ExperimentBackend Backend() => ExperimentBackend.CreateDefault();

    private const string Yaml = """
        name: real
        seed: 3
        repeats: 2
        data: {name: 8gaussians}
        sde: {kind: vp}
        sampler: {solver: heun, nfe: 20}
        eval: {particles: 256, reference: 256, metrics: [mean_error], scatter: 100}
        sweep:
          sampler.solver: [euler, heun, euler_maruyama, dopri5]
        table: {rows: [sampler.solver], columns: [], value: mean_error}
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
        Assert.Equal(a.Select(r => r.Metrics["mean_error"]), b.Select(r => r.Metrics["mean_error"]));
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

    [Fact]
    public void Committed_experiments_validate_and_the_solver_zoo_lists_every_solver()
    {
        var root = TestFiles.RepositoryRoot();
        var loader = new ExperimentLoader(Backend());
        foreach (var file in Directory.GetFiles(Path.Combine(root, "experiments"), "*.yaml"))
            Assert.NotEmpty(loader.Load(file).Cells);
        // Every solver runs in the zoo table or in the low-NFE tables (issue 10; the committed solver-zoo table predates those samplers).
        var zoo = loader.Load(Path.Combine(root, "experiments", "solver-zoo.yaml")).Cells
            .Concat(loader.Load(Path.Combine(root, "experiments", "low-nfe.yaml")).Cells)
            .Concat(loader.Load(Path.Combine(root, "experiments", "low-nfe-adaptive.yaml")).Cells); // adaptive: no NFE budget
        Assert.Equal(SolverRegistry.CreateDefault().Names.Order(), zoo.Select(c => c.Sampler.Solver).Distinct().Order());
    }

    [Fact]
    public void Schedules_are_checked_against_the_sde_and_their_parameters()
    {
        var e = Assert.Throws<ConfigException>(() => new ExperimentLoader(Backend()).Parse(
            Yaml.Replace("sampler: {solver: heun, nfe: 20}", "sampler: {solver: heun, nfe: 20, schedule: karras, schedule_parameters: {rh: 7}}"), "r.yaml", "."));
        Assert.Contains("valid: rho", Assert.Single(e.Errors).Message);
        var plan = new ExperimentLoader(Backend()).Parse(
            Yaml.Replace("sampler: {solver: heun, nfe: 20}", "sampler: {solver: heun, nfe: 20, schedule: karras, schedule_parameters: {rho: 7}}"), "r.yaml", ".");
        Assert.Equal("karras", plan.Cells[0].Sampler.Schedule);
    }

    [Fact]
    public void Dumped_samples_can_start_another_run()
    {
        var dir = TestFiles.NewDirectory("dump");
        var yaml = Yaml.Replace("sampler: {solver: heun, nfe: 20}", "sampler: {solver: heun, nfe: 20, dump: true}").Replace("repeats: 2", "repeats: 1");
        var plan = new ExperimentLoader(Backend()).Load(TestFiles.Write(dir, "dump.yaml", yaml));
        new SweepRunner(Backend()).Run(plan, new RunOptions(Path.Combine(dir, "out"), false, Shard.All, 1));
        var csv = Path.Combine(dir, "out", "real", "samples", "cell0001-r0.csv");
        var npy = Path.Combine(dir, "out", "real", "samples", "cell0001-r0.npy");
        Assert.Equal(Diffusion.Research.Experiments.Samples.SampleFile.Read(csv).ToArray(), Diffusion.Research.Experiments.Samples.SampleFile.Read(npy).ToArray());

        // A second experiment starts from the dumped points (relative to its own file).
        var initYaml = Yaml.Replace("name: real", "name: init").Replace("repeats: 2", "repeats: 1")
            .Replace("sampler: {solver: heun, nfe: 20}", "sampler: {solver: heun, nfe: 20, init: out/real/samples/cell0001-r0.npy}");
        var initPlan = new ExperimentLoader(Backend()).Load(TestFiles.Write(dir, "init.yaml", initYaml));
        Assert.Equal("out/real/samples/cell0001-r0.npy", initPlan.Cells[0].Sampler.Init);
        Assert.Contains("\"init\":\"out/real/samples/cell0001-r0.npy\"", initPlan.Cells[0].ResolvedJson, StringComparison.Ordinal);
        Assert.Contains("\"init\":null", plan.Cells[0].ResolvedJson, StringComparison.Ordinal);
        new SweepRunner(Backend()).Run(initPlan, new RunOptions(Path.Combine(dir, "out"), false, Shard.All, 1));
        var records = new RunLog(Path.Combine(dir, "out", "init", "runs.jsonl")).Read();
        Assert.All(records, r => Assert.True(r.IsSuccess, r.Message));

        var tooMany = initYaml.Replace("particles: 256", "particles: 257");
        var e = Assert.Throws<ConfigException>(() => new ExperimentLoader(Backend()).Load(TestFiles.Write(dir, "init2.yaml", tooMany)));
        Assert.Contains("sampler.init has 256 points but eval.particles is 257", Assert.Single(e.Errors).Message);
    }

    [Fact]
    public void Committed_solver_zoo_table_rerenders_byte_identical_from_its_run_log()
    {
        var committed = Path.Combine(TestFiles.RepositoryRoot(), "results", "solver-zoo");
        Assert.True(File.Exists(Path.Combine(committed, "runs.jsonl")), "results/solver-zoo is committed");
        var copy = Path.Combine(TestFiles.NewDirectory("zoo"), "solver-zoo");
        Directory.CreateDirectory(copy);
        foreach (var f in new[] { "runs.jsonl", "experiment.yaml", "manifest.json" }) File.Copy(Path.Combine(committed, f), Path.Combine(copy, f));
        new Diffusion.Research.Experiments.Output.ResultsFolder(new ExperimentLoader(Backend())).Render(copy);
        foreach (var f in new[] { "table.md", "table.csv", "table.tex" })
            Assert.Equal(File.ReadAllText(Path.Combine(committed, f)), File.ReadAllText(Path.Combine(copy, f)));
    }

    public static TheoryData<string> CommittedResults() =>
        new(Directory.GetDirectories(Path.Combine(TestFiles.RepositoryRoot(), "results")).Select(Path.GetFileName).Order(StringComparer.Ordinal)!);

    /// <summary>
    /// Every committed results folder re-renders from its run log byte-identical: every table (value and per-metric,
    /// .md/.csv/.tex), timing.csv and every figure the renderer draws from the log (the NFE plots; the sample scatters are
    /// drawn at run time from the samples and are not re-rendered).
    /// </summary>
    [Theory]
    [MemberData(nameof(CommittedResults))]
    public void Committed_results_rerender_byte_identical(string name)
    {
        var committed = Path.Combine(TestFiles.RepositoryRoot(), "results", name);
        var copy = Path.Combine(TestFiles.NewDirectory("rerender"), name);
        Directory.CreateDirectory(copy);
        string[] inputs = ["runs.jsonl", "experiment.yaml", "manifest.json"];
        foreach (var f in inputs) File.Copy(Path.Combine(committed, f), Path.Combine(copy, f));
        new Diffusion.Research.Experiments.Output.ResultsFolder(new ExperimentLoader(Backend())).Render(copy);
        var rendered = Directory.GetFiles(copy, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(copy, f))
            .Where(f => !inputs.Contains(f) && f != ".diffusion.lock").Order(StringComparer.Ordinal).ToList();
        Assert.Contains("table.md", rendered);
        Assert.Contains("table.tex", rendered);
        // The render keeps the source folder the manifest recorded.
        string? SourceDirectory(string dir) => System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "manifest.json"))).RootElement.GetProperty("source_directory").GetString();
        Assert.Equal(SourceDirectory(committed), SourceDirectory(copy));
        Assert.NotNull(SourceDirectory(copy));
        foreach (var f in rendered)
        {
            var original = Path.Combine(committed, f);
            Assert.True(File.Exists(original), $"{name}: {f} is rendered but not committed");
            Assert.True(File.ReadAllText(original) == File.ReadAllText(Path.Combine(copy, f)), $"{name}: {f} differs from the committed file");
        }
    }
}
