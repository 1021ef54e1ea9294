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
    public void NamesAndDescriptionsComeFromTheTraitsInTheListedOrder()
    {
        // Registration order (Names, the known names of an unknown-name error) is kept; each class registers itself, the registry
        // reads name and description from the traits of the default-parameter solver (written once, in the traits).
        var registry = SolverRegistry.CreateDefault();
        Assert.Equal(
            "euler heun rk4 dopri5 euler_maruyama stochastic_heun ggf pc pc_em ald ddpm ddim dpm_solver_2 edm dpm_solver_multistep " +
            "dpm_solver_singlestep dpmpp_2s dpmpp_3s dpmpp_2m dpmpp_3m dpmpp_2m_sde dpmpp_3m_sde unipc_bh1 unipc_bh2 deis ipndm restart pndm " +
            "dpm_solver_adaptive lms euler_ancestral dpm_2_ancestral dpmpp_2s_ancestral",
            string.Join(' ', registry.Names));
        foreach (var name in registry.Names)
        {
            var traits = registry.Create(name).Traits;
            Assert.Equal(name, traits.Name);
            Assert.StartsWith(traits.Description + " [", registry.DescriptionOf(name));
            // Every description says what the solver is (one line for `diffusion list solvers`), not an empty string.
            Assert.True(traits.Description.Length >= 20, $"{name}: description '{traits.Description}'");
        }
    }

    [Fact]
    public void AnAdaptivePairIsATableauAndOneRegistrationLine()
    {
        var r = new SolverRegistry();
        r.Register(_ => new EmbeddedRungeKutta(Tableau.BogackiShampine32));
        Assert.Equal(["bosh3"], r.Names);
        Assert.EndsWith("[adaptive, order 3, 3 NFE/step]", r.DescriptionOf("bosh3"));
        Assert.True(r.Create("bosh3").Traits.IsAdaptive);
        Assert.Throws<ArgumentException>(() => r.Register(_ => new EmbeddedRungeKutta(Tableau.BogackiShampine32))); // one name, once
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
        var solver = (AdaptiveStochasticHeun)SolverRegistry.CreateDefault().Create("ggf", new Dictionary<string, double> { ["exponent"] = 0.5 });
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
