namespace Diffusion.Research.Registries;

/// <summary>
/// A bad parameter of a registered component (unknown key, wrong type, missing required value, NaN). It carries the
/// parameter's key, which the YAML layer prefixes with the block it came from (e.g. "sampler.parameters.eta").
/// </summary>
public sealed class ParameterException : ArgumentException
{
    private readonly string _message;

    /// <summary>Creates the exception for parameter <paramref name="key"/>.</summary>
    public ParameterException(string key, string message)
        : base(message, key)
    {
        Key = key;
        _message = message;
    }

    /// <summary>The parameter key at fault.</summary>
    public string Key { get; }

    /// <summary>The sentence alone (no "(Parameter ...)" suffix).</summary>
    public override string Message => _message;
}
