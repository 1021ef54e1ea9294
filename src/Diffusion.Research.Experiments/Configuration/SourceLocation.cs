namespace Diffusion.Research.Experiments.Configuration;

/// <summary>A position in a configuration file (1-based line and column).</summary>
public sealed record SourceLocation(string File, int Line, int Column)
{
    /// <summary>Formats as <c>file:line:column</c>.</summary>
    public override string ToString() => $"{File}:{Line}:{Column}";
}
