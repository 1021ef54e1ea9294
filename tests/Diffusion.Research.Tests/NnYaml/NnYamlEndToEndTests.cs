using Diffusion.Research.Cli;
using Diffusion.Research.Experiments;
using Diffusion.Research.Experiments.Backend;
using Diffusion.Research.Experiments.Models;
using Diffusion.Research.Experiments.Plans;
using Diffusion.Research.Tests.Experiments;

namespace Diffusion.Research.Tests.NnYaml;

/// <summary>Neural models in experiment files: a tiny mlp sweep runs end to end through the CLI and is deterministic.</summary>
public class NnYamlEndToEndTests
{
    private const string TinyMlp = """
        name: tiny-mlp
        seed: 5
        repeats: 2
        data: {name: 8gaussians}
        sde: {kind: vp}
        model:
          kind: mlp
          width: 16
          layers: 1
          train: {loss: dsm, weighting: sigma2, t_sampling: uniform, steps: 40, batch: 32, lr: 3.0e-3, ema: 0.9}
        sampler: {solver: euler, nfe: 10}
        eval: {particles: 128, reference: 128, metrics: [sliced_w2, nll]}
        sweep:
          model.train.weighting: [sigma2, min-snr]
          sampler.solver: [euler, euler_maruyama]
        table: {rows: [model.train.weighting], columns: [sampler.solver], value: sliced_w2}
        """;

    private static (int Code, string Output, string Error) Cli(params string[] args)
    {
        var monitor = new TrainingMonitor();
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = new DiffusionCli(ExperimentBackend.CreateDefault(monitor), stdout, stderr, interactive: false, monitor).Invoke(args);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void Tiny_mlp_experiment_trains_samples_measures_and_reruns_bit_identically()
    {
        var dir = TestFiles.NewDirectory("nnyaml");
        var file = TestFiles.Write(dir, "tiny.yaml", TinyMlp);
        var a = Path.Combine(dir, "a");
        var first = Cli("run", file, "--out", a, "--threads", "1");
        Assert.True(first.Code == ExitCodes.Success, first.Error + first.Output);
        Assert.Contains("training step 40/40, loss", first.Output, StringComparison.Ordinal);

        var folder = Path.Combine(a, "tiny-mlp");
        var records = new RunLog(Path.Combine(folder, RunLog.FileName)).Read();
        Assert.Equal(8, records.Count);
        Assert.All(records, r => Assert.True(r.IsSuccess, r.Message));
        Assert.All(records, r => Assert.True(r.Metrics["nll"] is { } v && double.IsFinite(v)));
        Assert.All(records, r => Assert.True(r.Metrics["sliced_w2"] is { } v && double.IsFinite(v) && v > 0));
        // The nll depends on the trained network only: both solver cells of a (weighting, repeat) share it.
        foreach (var g in records.GroupBy(r => (r.ConfigValue("model.train.weighting"), r.Repeat)))
            Assert.Single(g.Select(r => r.Metrics["nll"]).Distinct());
        // The two repeats train different networks (seed = experiment seed and repeat).
        Assert.Equal(2, records.Where(r => r.ConfigValue("sampler.solver") == "euler" && r.ConfigValue("model.train.weighting") == "sigma2")
            .Select(r => r.Metrics["sliced_w2"]).Distinct().Count());
        var tables = new[] { "table.md", "table.csv", "table-nll.md", "table-nll.csv" }.Select(f => File.ReadAllText(Path.Combine(folder, f))).ToList();
        Assert.Contains("| sigma2 |", tables[2], StringComparison.Ordinal);

        // --force reruns with 2 and 1 threads give the same bytes. The first run is compared at the 4 digits of table.md
        // only: this test host keeps .NET tiered compilation on, and a cold process can differ from a warm one in the
        // last bits (the diffusion CLI turns tiering off for that reason; docs/experiments.md "Determinism").
        var again = Cli("run", file, "--out", a, "--force", "--threads", "2");
        Assert.Equal(ExitCodes.Success, again.Code);
        Assert.Equal(tables[0], File.ReadAllText(Path.Combine(folder, "table.md")));
        var two = Snapshot(folder);
        var third = Cli("run", file, "--out", a, "--force", "--threads", "1");
        Assert.Equal(ExitCodes.Success, third.Code);
        Assert.Equal(two, Snapshot(folder));
    }

    private static List<string> Snapshot(string folder)
    {
        var files = new[] { "table.md", "table.csv", "table-nll.md", "table-nll.csv" }.Select(f => File.ReadAllText(Path.Combine(folder, f))).ToList();
        files.AddRange(new RunLog(Path.Combine(folder, RunLog.FileName)).Read()
            .Select(r => $"{r.Cell} {r.Repeat} {r.Metrics["sliced_w2"]:R} {r.Metrics["nll"]:R}"));
        return files;
    }

    [Fact]
    public void Ebm_cell_trains_and_reports_a_finite_nll()
    {
        var yaml = """
            name: tiny-ebm
            seed: 2
            data: {name: moons}
            sde: {kind: vp}
            model: {kind: ebm, width: 16, layers: 1, train: {loss: ssm, steps: 20, batch: 32}}
            sampler: {solver: heun, nfe: 10}
            eval: {particles: 64, metrics: [sliced_w2, nll]}
            """;
        var dir = TestFiles.NewDirectory("nnyaml-ebm");
        var plan = new ExperimentLoader(ExperimentBackend.CreateDefault()).Load(TestFiles.Write(dir, "ebm.yaml", yaml));
        var result = ExperimentBackend.CreateDefault().Run(plan.Cells[0], new CellRun(0, plan.Seed, 1));
        Assert.True(result.IsSuccess, result.Message);
        Assert.True(double.IsFinite(result.Metrics["nll"]));
    }

    [Fact]
    public void Nll_of_the_exact_score_matches_the_entropy_of_8gaussians()
    {
        // 8 Gaussians with std s = 0.5/sqrt 2 on a circle of radius 4/sqrt 2: adjacent centres are 2 r sin(pi/8) = 2.16 = 6 s
        // apart, so the overlap is negligible and the cross-entropy of p with itself is H = ln 8 + (D/2) ln(2 pi e s^2)
        // = 2.8379 nats, i.e. H / (D ln 2) = 2.0471 bits/dim. Per sample, -log p - ln 8 is (D/2) ln(2 pi s^2) + chi^2_2 / 2,
        // whose std is 1 nat = 0.721 bits/dim, so the mean of 500 held-out samples has SE 0.032 bits/dim; t_eps = 1e-3 and
        // the RK4 / prior errors are far smaller. Bound: 4 SE = 0.13 bits/dim (false-failure rate ~6e-5).
        var yaml = """
            name: exact-nll
            seed: 9
            data: {name: 8gaussians}
            sde: {kind: vp}
            model: {kind: exact}
            sampler: {solver: heun, nfe: 10}
            eval: {particles: 16, metrics: [nll]}
            """;
        var dir = TestFiles.NewDirectory("nnyaml-exact");
        var backend = ExperimentBackend.CreateDefault();
        var plan = new ExperimentLoader(backend).Load(TestFiles.Write(dir, "exact.yaml", yaml));
        var result = backend.Run(plan.Cells[0], new CellRun(0, plan.Seed, 1));
        Assert.True(result.IsSuccess, result.Message);
        var entropyBits = (Math.Log(8) + Math.Log(2 * Math.PI * Math.E * 0.125)) / (2 * Math.Log(2));
        Assert.InRange(result.Metrics["nll"], entropyBits - 0.13, entropyBits + 0.13);
    }

    [Theory]
    [InlineData("losses", "ism")]
    [InlineData("weightings", "min-snr")]
    [InlineData("t-samplings", "lognormal")]
    [InlineData("model-keys", "train.weighting")]
    [InlineData("models", "mlp")]
    [InlineData("metrics", "nll")]
    public void List_shows_the_nn_registries(string category, string name)
    {
        var (code, output, _) = Cli("list", category);
        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains(output.Split('\n'), line => line.StartsWith(name + " ", StringComparison.Ordinal));
    }
}
