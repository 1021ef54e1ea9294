namespace Diffusion.Research.Experiments.Configuration;

/// <summary>A YAML sequence.</summary>
public sealed class ConfigSequence : ConfigNode
{
    /// <summary>Creates a sequence.</summary>
    public ConfigSequence(IReadOnlyList<ConfigNode> items, SourceLocation location)
        : base(location)
    {
        Items = items ?? throw new ArgumentNullException(nameof(items));
    }

    /// <summary>The items in order.</summary>
    public IReadOnlyList<ConfigNode> Items { get; }

    /// <inheritdoc />
    public override string KindName => "a list";
}
