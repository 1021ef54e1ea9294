namespace Diffusion.Research.Experiments.Configuration;

/// <summary>Thrown when a configuration file is invalid; carries every located error found.</summary>
public sealed class ConfigException : Exception
{
    /// <summary>Creates the exception from at least one error.</summary>
    public ConfigException(IReadOnlyList<ConfigError> errors)
        : base(Format(errors))
    {
        Errors = errors;
    }

    /// <summary>The errors, in file order.</summary>
    public IReadOnlyList<ConfigError> Errors { get; }

    private static string Format(IReadOnlyList<ConfigError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (errors.Count == 0) throw new ArgumentException("At least one error is needed.", nameof(errors));
        return string.Join(Environment.NewLine, errors);
    }
}
