using Diffusion.Research.Experiments.Configuration;
using Diffusion.Research.Experiments.Plugins;

namespace Diffusion.Research.Experiments.Plans;

/// <summary>The <c>plugins:</c> key: assemblies loaded into the backend before any name is checked.</summary>
public sealed partial class ExperimentLoader
{
    /// <summary>
    /// Loads the assemblies of <c>plugins:</c> (paths relative to the experiment file's folder) into the backend before
    /// any name is checked, so their components are used like built-in ones. They are not part of any cell's identity.
    /// </summary>
    private bool LoadPlugins(ConfigBinder b, ConfigMapping root, string baseDirectory)
    {
        if (b.Get(root, "plugins") is not { } node) return true;
        if (b.StringList(node, "plugins", allowEmpty: true) is not { } paths) return false;
        var items = ((ConfigSequence)node).Items;
        if (_backend is not IPluginHost host)
        {
            b.Error(node.Location, "plugins: this backend cannot load plugins");
            return false;
        }
        var ok = true;
        for (var i = 0; i < paths.Count; i++)
        {
            try
            {
                host.LoadPlugin(Path.Combine(baseDirectory, paths[i]));
            }
            catch (PluginException e)
            {
                b.Error(items[i].Location, $"plugins: {e.Message} (relative paths start at the experiment file's folder)");
                ok = false;
            }
        }
        return ok;
    }
}
