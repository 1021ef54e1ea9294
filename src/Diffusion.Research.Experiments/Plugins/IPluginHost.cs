namespace Diffusion.Research.Experiments.Plugins;

/// <summary>A backend that can load plugins into its registries (the <c>plugins:</c> key and <c>--plugin</c>).</summary>
public interface IPluginHost
{
    /// <summary>
    /// Loads the plugin assembly at <paramref name="path"/> and runs every <see cref="IDiffusionPlugin"/> in it; loading
    /// the same file again does nothing. Throws <see cref="PluginException"/> saying what is wrong.
    /// </summary>
    void LoadPlugin(string path);
}
