using Diffusion.Research.Experiments.Configuration;
using Diffusion.Research.Experiments.Plans;
using Diffusion.Research.Sampling;

namespace Diffusion.Research.Tests.Experiments;

/// <summary><c>sampler.initial_step</c>: auto, grid or dt0; unset leaves the cell's identity as it was.</summary>
public class InitialStepKeyTests
{
    private const string Yaml = """
        name: first
        seed: 1
        data: {name: gauss2d}
        sde: {kind: vp}
        sampler: {solver: dopri5, nfe: 10INITIAL}
        eval: {particles: 64, metrics: [sliced_w2]}
        """;

    private static ExperimentPlan Load(string initial) =>
        new ExperimentLoader(new FakeBackend()).Parse(Yaml.Replace("INITIAL", initial), "x.yaml", ".");

    [Fact]
    public void TheKeyTakesAutoGridOrAPositiveNumberAndIsWrittenOnlyWhenSet()
    {
        var unset = Assert.Single(Load("").Cells);
        Assert.Null(unset.Sampler.InitialStep);
        Assert.DoesNotContain("initial_step", unset.ResolvedJson, StringComparison.Ordinal);
        var auto = Assert.Single(Load(", initial_step: auto").Cells);
        Assert.Equal(InitialStep.Automatic, auto.Sampler.InitialStep);
        Assert.Equal(InitialStep.FromGrid, Assert.Single(Load(", initial_step: grid").Cells).Sampler.InitialStep);
        var given = Assert.Single(Load(", initial_step: 2.5e-3").Cells);
        Assert.Equal(InitialStepRule.Given, given.Sampler.InitialStep!.Rule);
        Assert.Equal(2.5e-3, given.Sampler.InitialStep.Value);
        Assert.Contains("\"initial_step\":0.0025", given.ResolvedJson, StringComparison.Ordinal);
        Assert.Contains("\"initial_step\":\"auto\"", auto.ResolvedJson, StringComparison.Ordinal);
        Assert.Equal(4, new[] { unset.Id, auto.Id, given.Id, Assert.Single(Load(", initial_step: grid").Cells).Id }.Distinct().Count());
    }

    [Theory]
    [InlineData("fast", "'fast'")]
    [InlineData("-1", "sampler.initial_step must be > 0, got -1")]
    [InlineData("0", "sampler.initial_step must be > 0, got 0")]
    [InlineData("\"auto\"", "'auto'")]
    public void BadValuesAreLocatedErrors(string value, string expected)
    {
        var e = Assert.Throws<ConfigException>(() => Load(", initial_step: " + value));
        var error = Assert.Single(e.Errors);
        Assert.Contains("sampler.initial_step", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Equal(5, error.Location.Line);
    }

    /// <summary>The key reaches the solver: on the real backend, dopri5 from the automatic first step (HNW I §II.4) and from
    /// the grid's whole interval take different step sequences, so different NFE and rejection counts.</summary>
    [Fact]
    public void The_key_reaches_the_adaptive_solver()
    {
        var dir = TestFiles.NewDirectory("initial-step");
        var counts = new Dictionary<string, (long Nfe, long Rejected)>();
        foreach (var initial in new[] { "auto", "grid" })
        {
            var yaml = Yaml.Replace("name: first", "name: " + initial).Replace("nfe: 10INITIAL", "nfe: 10, rtol: 1e-3, initial_step: " + initial)
                .Replace("particles: 64", "particles: 32").Replace("gauss2d", "8gaussians");
            var backend = Diffusion.Research.Experiments.Backend.ExperimentBackend.CreateDefault();
            var plan = new ExperimentLoader(backend).Load(TestFiles.Write(dir, initial + ".yaml", yaml));
            new Diffusion.Research.Experiments.SweepRunner(backend).Run(plan, new Diffusion.Research.Experiments.RunOptions(Path.Combine(dir, "out"), false, Diffusion.Research.Experiments.Shard.All, 1));
            var record = Assert.Single(new Diffusion.Research.Experiments.RunLog(Path.Combine(dir, "out", initial, "runs.jsonl")).Read());
            Assert.True(record.IsSuccess, record.Message);
            counts[initial] = (record.Nfe, record.Rejected);
        }
        Assert.NotEqual(counts["auto"], counts["grid"]);
    }
}
