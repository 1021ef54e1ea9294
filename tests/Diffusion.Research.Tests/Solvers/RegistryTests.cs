using Diffusion.Research.Registries;
using Diffusion.Research.Solvers;

namespace Diffusion.Research.Tests.Solvers;

public class RegistryTests
{
    [Fact]
    public void EveryEntryCreatesASolverNamedAfterIt()
    {
        var registry = SolverRegistry.CreateDefault();
        Assert.NotEmpty(registry.Names);
        foreach (var name in registry.Names)
        {
            var solver = registry.Create(name);
            Assert.Equal(name, solver.Traits.Name);
            Assert.True(solver.Traits.Order >= 1);
            Assert.True(solver.Traits.NfePerStep >= 1);
            var line = registry.Describe(name);
            Assert.StartsWith(name + ": ", line);
            Assert.DoesNotContain('\n', line);
        }
    }

    [Fact]
    public void UnknownNameListsTheKnownOnes()
    {
        var e = Assert.Throws<UnknownNameException>(() => SolverRegistry.CreateDefault().Create("rk45"));
        Assert.Contains("dopri5", e.Message);
    }

    [Fact]
    public void UnknownParameterListsTheValidOnes()
    {
        var e = Assert.Throws<ParameterException>(() => SolverRegistry.CreateDefault().Create("ggf", new Dictionary<string, double> { ["eta"] = 1 }));
        Assert.Contains("safety", e.Message);
        Assert.Contains("exponent", e.Message);
        var none = Assert.Throws<ParameterException>(() => SolverRegistry.CreateDefault().Create("rk4", new Dictionary<string, double> { ["eta"] = 1 }));
        Assert.Contains("no parameters", none.Message);
    }

    [Fact]
    public void ParametersReachTheSolver()
    {
        var solver = (GottaGoFast)SolverRegistry.CreateDefault().Create("ggf", new Dictionary<string, double> { ["exponent"] = 0.5 });
        Assert.Equal(0.5, solver.Controller.Alpha);
        Assert.Equal(0.9, solver.Controller.Safety);
    }

    [Fact]
    public void DuplicateRegistrationThrows()
    {
        var registry = SolverRegistry.CreateDefault();
        Assert.Throws<ArgumentException>(() => registry.Register("rk4", "again", _ => new EulerMaruyama()));
    }
}
