using Diffusion.Research.Experiments;
using Diffusion.Research.Experiments.Backend;
using Diffusion.Research.Experiments.Configuration;
using Diffusion.Research.Experiments.Plans;

namespace Diffusion.Research.Tests.Experiments;

/// <summary>
/// Metric and schedule parameters from YAML (<c>eval.metric_parameters</c>, <c>sampler.schedule_parameters</c>): typed by
/// the component's <see cref="Registries.ParameterSpec"/>s, errors located at the user's key, defaults from the schema,
/// and written into a cell's identity only when set.
/// </summary>
public class ComponentParameterTests
{
    private const string Yaml = """
        name: params
        seed: 3
        data: {name: 8gaussians}
        sde: {kind: vp}
        sampler:
          solver: euler
          steps: 8
        eval:
          particles: 200
          metrics: [sliced_w2, mmd]
        table: {rows: [sampler.solver], columns: [], value: sliced_w2}
        """;

    private static ExperimentPlan Load(string yaml) => new ExperimentLoader(RealBackendTests.Backend()).Parse(yaml, "p.yaml", ".");

    private static ConfigError Error(string yaml) => Assert.Single(Assert.Throws<ConfigException>(() => Load(yaml)).Errors);

    private static string WithMetricParameters(string block) => Yaml.Replace("  metrics: [sliced_w2, mmd]", "  metrics: [sliced_w2, mmd]\n  metric_parameters:\n" + block);

    [Fact]
    public void Metric_parameters_reach_the_metric_and_only_a_set_block_enters_the_identity()
    {
        var plain = Assert.Single(Load(Yaml).Cells);
        Assert.DoesNotContain("metric_parameters", plain.ResolvedJson, StringComparison.Ordinal);
        var set = Assert.Single(Load(WithMetricParameters("    sliced_w2: {projections: 7, seed: 11}\n    mmd: {bandwidths: [0.3, 1.5]}\n")).Cells);
        Assert.Contains("\"metric_parameters\":{\"mmd\":{\"bandwidths\":[0.3,1.5]},\"sliced_w2\":{\"projections\":7,\"seed\":11}}", set.ResolvedJson, StringComparison.Ordinal);
        Assert.NotEqual(plain.Id, set.Id);
        // Giving every default explicitly is a different configuration text but the same metric: equal values.
        var defaults = Assert.Single(Load(WithMetricParameters("    sliced_w2: {projections: 128, seed: 0}\n")).Cells);

        var backend = RealBackendTests.Backend();
        var run = new CellRun(0, 3, 1);
        var a = backend.Run(plain, run).Metrics;
        var b = backend.Run(set, run).Metrics;
        var c = backend.Run(defaults, run).Metrics;
        Assert.NotEqual(a["sliced_w2"], b["sliced_w2"]);
        Assert.NotEqual(a["mmd"], b["mmd"]);
        Assert.Equal(a["sliced_w2"], c["sliced_w2"]);
        Assert.Equal(a["mmd"], c["mmd"]);
    }

    [Fact]
    public void Metric_parameters_are_sweepable_and_shown_in_tables()
    {
        var yaml = Yaml.Replace("table: {rows: [sampler.solver], columns: [], value: sliced_w2}",
            "sweep:\n  eval.metric_parameters.sliced_w2.projections: [16, 64]\ntable: {rows: [eval.metric_parameters.sliced_w2.projections], columns: [], value: sliced_w2}");
        var plan = Load(yaml);
        Assert.Equal([16.0, 64.0], plan.Cells.Select(c => c.Eval.ParametersOf("sliced_w2")["projections"][0]));
        Assert.Equal(["16", "64"], plan.Cells.Select(c => c.ConfigValue("eval.metric_parameters.sliced_w2.projections")));
        Assert.Empty(plan.Cells[0].Eval.ParametersOf("mmd"));
    }

    [Fact]
    public void Bad_metric_parameters_are_located_at_the_users_key()
    {
        var unknown = Error(WithMetricParameters("    sliced_w2: {projection: 7}\n"));
        Assert.Equal(12, unknown.Location.Line);
        Assert.StartsWith("eval.metric_parameters.sliced_w2.projection: ", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("projections", unknown.Message, StringComparison.Ordinal); // the valid keys

        var fraction = Error(WithMetricParameters("    sliced_w2:\n      projections: 7.5\n"));
        Assert.Equal(13, fraction.Location.Line);
        Assert.StartsWith("eval.metric_parameters.sliced_w2.projections: ", fraction.Message, StringComparison.Ordinal);
        Assert.Contains("integer", fraction.Message, StringComparison.Ordinal);

        var unlisted = Error(WithMetricParameters("    energy: {max_samples: 10}\n"));
        Assert.Equal(12, unlisted.Location.Line);
        Assert.Contains("not listed in eval.metrics", unlisted.Message, StringComparison.Ordinal);

        var text = Error(WithMetricParameters("    mmd: {bandwidths: [0.3, wide]}\n"));
        Assert.Contains("eval.metric_parameters.mmd.bandwidths must be a finite number", text.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Schedule_parameters_are_typed_and_located()
    {
        var karras = Yaml.Replace("  steps: 8", "  steps: 8\n  schedule: karras\n  schedule_parameters: {rho: 3}");
        var cell = Assert.Single(Load(karras).Cells);
        Assert.Contains("\"schedule_parameters\":{\"rho\":3}", cell.ResolvedJson, StringComparison.Ordinal);
        var unknown = Error(karras.Replace("{rho: 3}", "{rhoo: 3}"));
        Assert.Equal(9, unknown.Location.Line);
        Assert.StartsWith("sampler.schedule_parameters.rhoo: ", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("rho", unknown.Message, StringComparison.Ordinal);
        var none = Error(Yaml.Replace("  steps: 8", "  steps: 8\n  schedule_parameters: {rho: 3}"));
        Assert.StartsWith("sampler.schedule_parameters.rho: ", none.Message, StringComparison.Ordinal);
        Assert.Contains("no parameters", none.Message, StringComparison.Ordinal);
    }
}
