using Diffusion.Research.Registries;
using Diffusion.Research.Solvers;

using static Diffusion.Research.Tests.Contracts.Contract;

namespace Diffusion.Research.Tests.Contracts;

/// <summary>Every argument check of solvers/Diffusion.Research.Solvers/Registry: the parameter names.</summary>
public class SolversRegistryContractTests
{
    [Fact]
    public void SolverRegistry_Register_checks_its_references()
    {
        var registry = new SolverRegistry();
        Assert.Equal("factory", Assert.Throws<ArgumentNullException>(() => registry.Register(null!)).ParamName);
        Assert.Equal("parameters", Assert.Throws<ArgumentNullException>(() => registry.Register(_ => new Ddim(0.37), null!)).ParamName);
        registry.Register(_ => new Ddim(0.37));
        Assert.Contains("ddim", registry.Names);
        new SolverRegistry().Register(p => new Ddim(p["eta"]), ParameterSpec.Real("eta", 0.37, "eta"));
    }
}
