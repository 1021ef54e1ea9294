namespace Diffusion.Research.Experiments.Configuration;

/// <summary>
/// An argument error that carries the dotted configuration key at fault (e.g. "sampler.parameters.eta") as data, so
/// the loader places it at that key's line and column without reading any text. <see cref="Exception.Message"/> is
/// the sentence alone. The ArgumentException's ParamName is the same path, for callers that only know that type.
/// </summary>
public sealed class ConfigPathException : ArgumentException
{
    private readonly string _message;

    /// <summary>Creates the exception for key <paramref name="path"/>.</summary>
    public ConfigPathException(string path, string message, Exception? inner = null)
        : base(message, path, inner)
    {
        ArgumentNullException.ThrowIfNull(path);
        Path = path;
        _message = message;
    }

    /// <summary>The dotted key at fault.</summary>
    public string Path { get; }

    /// <inheritdoc />
    public override string Message => _message;

    /// <summary>
    /// The sentence of an argument error without the "(Parameter 'NAME')" that .NET appends when ParamName is set
    /// (exceptions of this framework's own types carry the sentence alone already).
    /// </summary>
    public static string MessageOf(ArgumentException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var message = e.Message;
        if (e.ParamName is null) return message;
        var i = message.IndexOf(ParameterTail(e.ParamName), StringComparison.Ordinal);
        return i >= 0 ? message[..i] : message; // also drops the "Actual value was" line of ArgumentOutOfRangeException
    }

    /// <summary>What .NET appends to the message of an <see cref="ArgumentException"/> whose ParamName is <paramref name="paramName"/>.</summary>
    public static string ParameterTail(string paramName) => $" (Parameter '{paramName}')";
}
