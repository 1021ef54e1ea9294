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
    [InlineData("-1", "(0,")]
    [InlineData("0", "(0,")]
    [InlineData("\"auto\"", "'auto'")]
    public void BadValuesAreLocatedErrors(string value, string expected)
    {
        var e = Assert.Throws<ConfigException>(() => Load(", initial_step: " + value));
        var error = Assert.Single(e.Errors);
        Assert.Contains("sampler.initial_step", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Equal(5, error.Location.Line);
    }
}
