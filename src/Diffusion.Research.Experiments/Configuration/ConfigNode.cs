namespace Diffusion.Research.Experiments.Configuration;

/// <summary>A node of a parsed configuration file; every node remembers where it starts.</summary>
public abstract class ConfigNode
{
    /// <summary>Creates a node at a location.</summary>
    protected ConfigNode(SourceLocation location)
    {
        Location = location ?? throw new ArgumentNullException(nameof(location));
    }

    /// <summary>Where the node starts in its file.</summary>
    public SourceLocation Location { get; }

    /// <summary>A short name of the node kind for error messages ("a number", "a list", ...).</summary>
    public abstract string KindName { get; }
}
