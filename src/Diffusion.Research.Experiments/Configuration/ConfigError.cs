namespace Diffusion.Research.Experiments.Configuration;

/// <summary>One problem found in a configuration file, with where it is.</summary>
public sealed record ConfigError(SourceLocation Location, string Message)
{
    /// <summary>Formats as <c>file:line:column: error: message</c>.</summary>
    public override string ToString() => $"{Location}: error: {Message}";
}
