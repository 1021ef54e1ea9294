namespace Diffusion.Research.Registries;

/// <summary>
/// The one exception every registry throws for a name it does not hold. It carries the kind of component, the name
/// asked for and the names known, so a caller (the YAML layer, a plugin host) reports it without reading the text.
/// An <see cref="ArgumentException"/> whose <see cref="ArgumentException.ParamName"/> is "name".
/// </summary>
public sealed class UnknownNameException : ArgumentException
{
    /// <summary>Creates the exception for <paramref name="name"/> missing from a registry of <paramref name="kind"/>.</summary>
    public UnknownNameException(string kind, string name, IReadOnlyList<string> known)
        : base($"Unknown {kind} '{name}'. Known: {string.Join(", ", known)}.", "name")
    {
        Kind = kind;
        Name = name;
        Known = known;
    }

    /// <summary>What the registry holds, e.g. "solver".</summary>
    public string Kind { get; }

    /// <summary>The name asked for.</summary>
    public string Name { get; }

    /// <summary>The registered names, in registration order.</summary>
    public IReadOnlyList<string> Known { get; }

    /// <summary>The sentence alone (no "(Parameter 'name')" suffix).</summary>
    public override string Message => $"Unknown {Kind} '{Name}'. Known: {string.Join(", ", Known)}.";
}
