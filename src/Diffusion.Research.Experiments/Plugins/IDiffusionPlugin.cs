using Diffusion.Research.Experiments.Backend;

namespace Diffusion.Research.Experiments.Plugins;

/// <summary>
/// The entry point of a plugin: a public class with a public parameterless constructor, in a .NET assembly (C# or F#),
/// that adds its components to the registries an experiment resolves names in. Load it with
/// <c>diffusion run --plugin PATH.dll</c> or a <c>plugins:</c> list in the experiment file; its solvers, SDEs, data
/// sets, metrics, schedules, losses, weightings, optimisers and model kinds are then used in YAML like built-in ones
/// and listed by <c>diffusion list</c>. See docs/plugins.md.
/// </summary>
public interface IDiffusionPlugin
{
    /// <summary>Registers the plugin's components (names must not clash with registered ones).</summary>
    void Register(ComponentRegistries registries);
}
