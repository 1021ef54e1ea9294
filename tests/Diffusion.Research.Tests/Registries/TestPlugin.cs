using Diffusion.Research.Experiments.Backend;
using Diffusion.Research.Experiments.Plugins;
using Diffusion.Research.Registries;
using Diffusion.Research.Solvers;

namespace Diffusion.Research.Tests.Registries;

/// <summary>A plugin inside the test assembly: loading this assembly as a plugin registers solver "plugin_heun".</summary>
public sealed class TestPlugin : IDiffusionPlugin
{
    /// <inheritdoc />
    public void Register(ComponentRegistries registries)
    {
        registries.Solvers.Register("plugin_heun", "Heun registered by a test plugin.",
            p => new ExplicitRungeKutta(Tableau.Heun, "plugin_heun"), ParameterSpec.Real("unused", 1.0, "a parameter to list"));
    }
}
