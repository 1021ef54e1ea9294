namespace Diffusion.Research.Experiments.Configuration;

/// <summary>One key/value pair of a mapping; the key keeps its own location.</summary>
public sealed record ConfigEntry(ConfigScalar Key, ConfigNode Value)
{
    /// <summary>The key text.</summary>
    public string Name => Key.Value;
}
