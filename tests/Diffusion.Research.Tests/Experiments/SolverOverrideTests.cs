using Diffusion.Research.Experiments.Configuration;
using Diffusion.Research.Experiments.Plans;

namespace Diffusion.Research.Tests.Experiments;

/// <summary><c>sampler.by_solver</c>: per-solver sampler settings, applied only to cells running that solver.</summary>
public class SolverOverrideTests
{
    private const string Yaml = """
        name: ov
        seed: 1
        data: {name: gauss2d}
        sde: {kind: vp}
        sampler:
          solver: heun
          nfe: 10
          by_solver:
            dopri5: {rtol: 0.05, atol: 0.02}
            euler: {steps: 7, parameters: {x: 1}}
        eval: {particles: 64, metrics: [sliced_w2]}
        sweep:
          sampler.solver: [euler, heun, dopri5]
        """;

    private static ExperimentPlan Load(string yaml) => new ExperimentLoader(new FakeBackend()).Parse(yaml, "x.yaml", ".");

    private static ConfigError Single(string yaml) => Assert.Single(Assert.Throws<ConfigException>(() => Load(yaml)).Errors);

    [Fact]
    public void Overrides_apply_only_to_their_solver_and_leave_no_trace_in_the_resolved_config()
    {
        var plan = Load(Yaml);
        var euler = plan.Cells.Single(c => c.Sampler.Solver == "euler");
        var heun = plan.Cells.Single(c => c.Sampler.Solver == "heun");
        var dopri5 = plan.Cells.Single(c => c.Sampler.Solver == "dopri5");
        // An override giving steps replaces the base nfe (steps and nfe are one setting).
        Assert.Equal(7, euler.Sampler.Steps);
        Assert.Null(euler.Sampler.Nfe);
        Assert.Equal(1.0, euler.Sampler.Parameters["x"]);
        Assert.Equal(1e-3, euler.Sampler.RelativeTolerance);
        Assert.Equal(10, heun.Sampler.Nfe);
        Assert.Empty(heun.Sampler.Parameters);
        Assert.Equal(1e-3, heun.Sampler.RelativeTolerance);
        Assert.Equal(0.05, dopri5.Sampler.RelativeTolerance);
        Assert.Equal(0.02, dopri5.Sampler.AbsoluteTolerance);
        Assert.Equal(10, dopri5.Sampler.Nfe);
        Assert.All(plan.Cells, c => Assert.DoesNotContain("by_solver", c.ResolvedJson, StringComparison.Ordinal));

        // A cell without an override has the identity it has without by_solver.
        var plain = Load(Yaml.Replace("""
              by_solver:
                dopri5: {rtol: 0.05, atol: 0.02}
                euler: {steps: 7, parameters: {x: 1}}

            """, ""));
        Assert.Equal(plain.Cells.Single(c => c.Sampler.Solver == "heun").Id, heun.Id);
        Assert.NotEqual(plain.Cells.Single(c => c.Sampler.Solver == "dopri5").Id, dopri5.Id);
    }

    [Fact]
    public void Overrides_can_be_swept_and_zipped_with_the_budget()
    {
        var yaml = Yaml.Replace("    euler: {steps: 7, parameters: {x: 1}}\n", "").Replace("""
            sweep:
              sampler.solver: [euler, heun, dopri5]
            """, """
            sweep:
              sampler.solver: [heun, dopri5]
              zip:
                - sampler.nfe: [10, 100]
                  sampler.by_solver.dopri5.rtol: [0.1, 0.001]
            """);
        var plan = Load(yaml);
        Assert.Equal([1e-3, 1e-3, 0.1, 0.001], plan.Cells.Select(c => c.Sampler.RelativeTolerance));
        Assert.Equal([0.02, 0.02], plan.Cells.Where(c => c.Sampler.Solver == "dopri5").Select(c => c.Sampler.AbsoluteTolerance));
        Assert.Equal([10, 100, 10, 100], plan.Cells.Select(c => c.Sampler.Nfe ?? 0));

        // A bad swept override is validated like the key it replaces and reported at the sweep entry.
        var bad = yaml.Replace("[0.1, 0.001]", "[0.1, -1]");
        var error = Single(bad);
        Assert.Equal(bad.Split('\n').ToList().FindIndex(l => l.Contains("-1]", StringComparison.Ordinal)) + 1, error.Location.Line);
        Assert.Contains("sampler.rtol must be", error.Message);
    }

    [Fact]
    public void Unknown_solvers_keys_and_unused_entries_are_errors()
    {
        var e = Single(Yaml.Replace("dopri5: {rtol", "dopri6: {rtol"));
        Assert.Contains("unknown solver 'dopri6'", e.Message);
        Assert.Contains("did you mean 'dopri5'", e.Message);
        e = Single(Yaml.Replace("{rtol: 0.05", "{rtols: 0.05"));
        Assert.Contains("unknown key 'rtols' in sampler.by_solver.dopri5; did you mean 'rtol'?", e.Message);
        e = Single(Yaml.Replace("{rtol: 0.05", "{solver: heun, rtol: 0.05"));
        Assert.Contains("unknown key 'solver' in sampler.by_solver.dopri5", e.Message);
        e = Single(Yaml.Replace("dopri5: {rtol: 0.05, atol: 0.02}", "dopri5: 3"));
        Assert.Contains("sampler.by_solver.dopri5 must be a mapping", e.Message);
        e = Single(Yaml.Replace("[euler, heun, dopri5]", "[euler, heun]"));
        Assert.Contains("sampler.by_solver.dopri5 is never used: no cell runs solver 'dopri5'", e.Message);
        Assert.Equal(9, e.Location.Line);
    }
}
