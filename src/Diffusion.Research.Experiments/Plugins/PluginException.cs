namespace Diffusion.Research.Experiments.Plugins;

/// <summary>A plugin that cannot be loaded or whose registration failed; the message names the file and what is wrong.</summary>
public sealed class PluginException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PluginException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
