using Diffusion.Research.Experiments.Backend;
using Diffusion.Research.Experiments.Plugins;
using Diffusion.Research.Numerics;
using Diffusion.Research.Tests.Experiments;

namespace Diffusion.Research.Tests.Contracts;

public class ExperimentsPluginLoaderContractTests
{
    [Fact]
    public void Constructor_and_load_check_their_arguments()
    {
        Contract.Null(() => _ = new PluginLoader(null!), "registries");
        var loader = new PluginLoader(ComponentRegistries.CreateDefault());
        Contract.Null(() => loader.Load(null!), "path");
        var dir = TestFiles.NewDirectory("contract-plugin");
        var e = Assert.Throws<PluginException>(() => loader.Load(dir));
        Assert.Equal($"plugin '{dir}' is a folder; give the plugin's .dll file", e.Message);
        var missing = Path.Combine(dir, "missing.dll");
        e = Assert.Throws<PluginException>(() => loader.Load(missing));
        Assert.Equal($"plugin '{missing}' does not exist", e.Message);
        var text = TestFiles.Write(dir, "text.dll", "not an assembly");
        e = Assert.Throws<PluginException>(() => loader.Load(text));
        Assert.Equal($"plugin '{text}' is not a .NET assembly", e.Message);
        var framework = typeof(Batch).Assembly.Location;
        e = Assert.Throws<PluginException>(() => loader.Load(framework));
        Assert.Equal($"plugin '{framework}' has no public class implementing {typeof(IDiffusionPlugin).FullName}", e.Message);
        Assert.Empty(loader.Loaded);
    }
}
