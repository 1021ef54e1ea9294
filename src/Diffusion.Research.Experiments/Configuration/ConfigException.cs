namespace Diffusion.Research.Experiments.Configuration;

/// <summary>Thrown when a configuration file is invalid; carries every located error found.</summary>
public sealed class ConfigException : Exception
{
    /// <summary>Creates the exception from at least one error.</summary>
    public ConfigException(IReadOnlyList<ConfigError> errors)
        : this(errors, 0)
    {
    }

    /// <summary>Creates the exception from the errors shown and the number of further errors found but not kept.</summary>
    public ConfigException(IReadOnlyList<ConfigError> errors, int omitted)
        : base(Format(errors))
    {
        ArgumentOutOfRangeException.ThrowIfNegative(omitted);
        Errors = errors;
        Omitted = omitted;
    }

    /// <summary>The errors, in file order.</summary>
    public IReadOnlyList<ConfigError> Errors { get; }

    /// <summary>How many more errors were found than <see cref="Errors"/> holds.</summary>
    public int Omitted { get; }

    private static string Format(IReadOnlyList<ConfigError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (errors.Count == 0) throw new ArgumentException("At least one error is needed.", nameof(errors));
        return string.Join(Environment.NewLine, errors);
    }
}
