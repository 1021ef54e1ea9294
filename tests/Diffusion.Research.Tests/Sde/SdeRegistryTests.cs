using Diffusion.Research.Registries;
using Diffusion.Research.Sde;

namespace Diffusion.Research.Tests.Sde;

public class SdeRegistryTests
{
    [Fact]
    public void DefaultRegistryBuildsEveryName()
    {
        var registry = SdeRegistry.CreateDefault();
        Assert.Equal(new[] { "ve", "vp", "vp-cosine", "vp-discrete-linear", "vp-discrete-scaled-linear", "vp-discrete-cosine", "subvp", "flow-matching", "ou" }, registry.Names);
        foreach (var name in registry.Names)
        {
            Assert.False(string.IsNullOrWhiteSpace(registry.Describe(name)));
            var sde = registry.Create(name);
            Assert.NotNull(sde.Kernel);
            Assert.IsAssignableFrom<ILinearSde>(sde);
        }
    }

    [Fact]
    public void ParametersOverrideDefaults()
    {
        var registry = SdeRegistry.CreateDefault();
        var ve = (VeSde)registry.Create("ve", new Dictionary<string, double> { ["sigma_max"] = 50 });
        Assert.Equal(50, ve.SigmaMax);
        Assert.Equal(0.01, ve.SigmaMin);
        var vp = (VpSde)registry.Create("vp", new Dictionary<string, double> { ["beta_max"] = 10 });
        Assert.Equal(10, ((LinearBetaSchedule)vp.Schedule).BetaMax);
        Assert.Equal(0.99, registry.Create("flow-matching", new Dictionary<string, double> { ["T"] = 0.99 }).T);
    }

    [Fact]
    public void UnknownNamesAndParametersThrowListingValidOnes()
    {
        var registry = SdeRegistry.CreateDefault();
        var e1 = Assert.Throws<UnknownNameException>(() => registry.Create("vpp"));
        Assert.Contains("vp-cosine", e1.Message);
        var e2 = Assert.Throws<ParameterException>(() => registry.Create("ve", new Dictionary<string, double> { ["sigma"] = 1 }));
        Assert.Contains("sigma_min", e2.Message);
        Assert.Throws<ArgumentException>(() => registry.Register("ve", "dup", _ => new VeSde()));
        Assert.Throws<ParameterException>(() => registry.Create("ou", new Dictionary<string, double> { ["theta"] = double.NaN }));
        Assert.Throws<ArgumentOutOfRangeException>(() => registry.Create("ou", new Dictionary<string, double> { ["theta"] = -1 }));
    }
}
