using Diffusion.Research.Cli;
using Diffusion.Research.Experiments.Backend;
using Diffusion.Research.Experiments.Plugins;
using Diffusion.Research.Tests.Experiments;

namespace Diffusion.Research.Tests.Registries;

public class PluginTests
{
    private static readonly string ThisAssembly = typeof(TestPlugin).Assembly.Location;

    private static (int Code, string Out, string Err) Cli(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = new DiffusionCli(ExperimentBackend.CreateDefault(), stdout, stderr, interactive: false).Invoke(args);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void APluginRegistersIntoTheRootOnceAndShowsInList()
    {
        var registries = ComponentRegistries.CreateDefault();
        var loader = new PluginLoader(registries);
        Assert.Equal([typeof(TestPlugin).FullName!], loader.Load(ThisAssembly));
        Assert.True(registries.Solvers.Contains("plugin_heun"));
        Assert.Empty(loader.Load(ThisAssembly)); // the same file twice: nothing more
        var (code, output, _) = Cli("list", "solvers", "--plugin", ThisAssembly);
        Assert.Equal(0, code);
        Assert.Contains("plugin_heun", output);
        Assert.Contains("unused=1 (a parameter to list)", output);
    }

    [Fact]
    public void BadPluginsAreConfigErrorsNamingTheFile()
    {
        var dir = TestFiles.NewDirectory("plugins");
        var garbage = TestFiles.Write(dir, "garbage.dll", "not an assembly");
        var registries = ComponentRegistries.CreateDefault();
        var loader = new PluginLoader(registries);
        Assert.Contains("does not exist", Assert.Throws<PluginException>(() => loader.Load(Path.Combine(dir, "missing.dll"))).Message);
        Assert.Contains("is a folder", Assert.Throws<PluginException>(() => loader.Load(dir)).Message);
        Assert.Contains("is not a .NET assembly", Assert.Throws<PluginException>(() => loader.Load(garbage)).Message);
        Assert.Contains("has no public class implementing", Assert.Throws<PluginException>(() => loader.Load(typeof(Diffusion.Research.Registries.ParameterSpec).Assembly.Location)).Message);
        // A registration that clashes with a registered name.
        registries.Solvers.Register("plugin_heun", "taken", _ => new Diffusion.Research.Solvers.EulerMaruyama());
        var clash = Assert.Throws<PluginException>(() => loader.Load(ThisAssembly));
        Assert.Contains("TestPlugin.Register failed", clash.Message);
        Assert.Contains("already registered", clash.Message);
        var (code, _, err) = Cli("run", "x.yaml", "--plugin", garbage);
        Assert.Equal(2, code);
        Assert.Contains("garbage.dll' is not a .NET assembly", err);
    }

    [Fact]
    public void ThePluginsKeyLoadsBeforeNamesAreCheckedAndBadEntriesAreLocated()
    {
        var dir = TestFiles.NewDirectory("plugins");
        var yaml = $"""
            name: with-plugin
            plugins: ["{ThisAssembly.Replace("\\", "/")}"]
            data: {"{"}name: 8gaussians{"}"}
            sde: {"{"}kind: vp{"}"}
            sampler: {"{"}solver: plugin_heun, steps: 5{"}"}
            eval: {"{"}particles: 50, metrics: [mean_error]{"}"}
            """;
        var file = TestFiles.Write(dir, "p.yaml", yaml);
        var (code, output, err) = Cli("run", file, "--out", dir);
        Assert.True(code == 0, err);
        Assert.Contains("1 run, 0 skipped, 0 failed", output);
        var bad = TestFiles.Write(dir, "bad.yaml", yaml.Replace(ThisAssembly.Replace("\\", "/"), "missing/plugin.dll").Replace("with-plugin", "bad"));
        (code, _, err) = Cli("validate", bad);
        Assert.Equal(2, code);
        Assert.Contains("bad.yaml:2:", err);
        Assert.Contains("missing/plugin.dll' does not exist", err.Replace(Path.DirectorySeparatorChar, '/'));
    }
}
