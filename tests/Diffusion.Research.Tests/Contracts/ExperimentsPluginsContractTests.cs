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

    /// <summary>
    /// A plugin whose public class derives from a class of an assembly that is neither beside it nor in the host: the
    /// loader names the plugin and the missing reference. Both assemblies are emitted here (PersistedAssemblyBuilder);
    /// only the plugin is saved.
    /// </summary>
    [Fact]
    public void A_plugin_with_a_missing_reference_is_refused_with_its_name()
    {
        var dir = TestFiles.NewDirectory("contract-plugin-missing");
        var tag = Guid.NewGuid().ToString("N")[..8];
        var core = typeof(object).Assembly;
        var dependency = new System.Reflection.Emit.PersistedAssemblyBuilder(new System.Reflection.AssemblyName($"MissingDependency{tag}"), core);
        var baseType = dependency.DefineDynamicModule("m").DefineType("Missing.Base", System.Reflection.TypeAttributes.Public | System.Reflection.TypeAttributes.Class);
        baseType.CreateType();
        var plugin = new System.Reflection.Emit.PersistedAssemblyBuilder(new System.Reflection.AssemblyName($"BrokenPlugin{tag}"), core);
        plugin.DefineDynamicModule("m").DefineType("Broken.Plugin", System.Reflection.TypeAttributes.Public | System.Reflection.TypeAttributes.Class, baseType).CreateType();
        var path = Path.Combine(dir, $"BrokenPlugin{tag}.dll");
        plugin.Save(path);
        var loader = new PluginLoader(ComponentRegistries.CreateDefault());
        var e = Assert.Throws<PluginException>(() => loader.Load(path));
        Assert.StartsWith($"plugin '{path}' references an assembly that cannot be found or loaded: ", e.Message, StringComparison.Ordinal);
        Assert.Contains($"MissingDependency{tag}", e.Message, StringComparison.Ordinal);
        Assert.Empty(loader.Loaded);
    }
}
