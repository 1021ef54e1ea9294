using System.Globalization;

namespace Diffusion.Research.Registries;

/// <summary>
/// One entry of a component's parameter schema: the key (as written in YAML), its type, its default and what it
/// controls. A scalar without a default and every vector are optional unless the factory requires them.
/// </summary>
/// <param name="Name">Key, e.g. "eta".</param>
/// <param name="Type">Real, integer or vector.</param>
/// <param name="Default">Value used when the key is absent (scalars only); null: no default.</param>
/// <param name="Description">What it controls (a few words).</param>
public sealed record ParameterSpec(string Name, ParameterType Type, double? Default, string Description)
{
    /// <summary>A real parameter with a default.</summary>
    public static ParameterSpec Real(string name, double defaultValue, string description) => new(name, ParameterType.Real, defaultValue, description);

    /// <summary>A real parameter without a default (optional, or required by the factory).</summary>
    public static ParameterSpec OptionalReal(string name, string description) => new(name, ParameterType.Real, null, description);

    /// <summary>An integer parameter with a default.</summary>
    public static ParameterSpec Integer(string name, int defaultValue, string description) => new(name, ParameterType.Integer, defaultValue, description);

    /// <summary>An integer parameter without a default.</summary>
    public static ParameterSpec OptionalInteger(string name, string description) => new(name, ParameterType.Integer, null, description);

    /// <summary>A vector parameter (no default).</summary>
    public static ParameterSpec Vector(string name, string description) => new(name, ParameterType.Vector, null, description);

    /// <summary>
    /// The name of the component's constructor argument (or property) that receives this parameter, where it differs
    /// from <see cref="Name"/> by more than case and underscores (ou's <c>s</c> is <c>noiseScale</c>): an
    /// <see cref="ArgumentException"/> the component throws under that name is reported at this parameter's key.
    /// </summary>
    public string? Argument { get; init; }

    /// <summary>This parameter with <see cref="Argument"/> set (for languages without <c>with</c> on C# records, e.g.
    /// F#: <c>ParameterSpec.Real("s", 1.0, "diffusion coefficient").WithArgument("noiseScale")</c>).</summary>
    public ParameterSpec WithArgument(string argument)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(argument);
        return this with { Argument = argument };
    }

    /// <summary>Whether <paramref name="argumentName"/> (an <see cref="ArgumentException.ParamName"/>) denotes this
    /// parameter: <see cref="Name"/> or <see cref="Argument"/>, ignoring case and underscores.</summary>
    public bool Denotes(string argumentName)
    {
        ArgumentNullException.ThrowIfNull(argumentName);
        static string Folded(string s) => s.Replace("_", "", StringComparison.Ordinal).ToUpperInvariant();
        var folded = Folded(argumentName);
        return Folded(Name) == folded || (Argument is { } a && Folded(a) == folded);
    }

    /// <summary>"name=default (description)", or "name (description)" without a default.</summary>
    public override string ToString() => Default is { } d
        ? $"{Name}={d.ToString(CultureInfo.InvariantCulture)} ({Description})"
        : $"{Name} ({Type.ToString().ToLowerInvariant()}; {Description})";
}
