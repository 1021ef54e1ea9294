namespace Diffusion.Research.Registries;

/// <summary>
/// What every registry answers without knowing its component type: its kind, its names in registration order, and
/// for each name the one-line description and the parameter schema. Names are matched exactly (ordinal,
/// case-sensitive) in every registry; an unknown name throws <see cref="UnknownNameException"/>.
/// </summary>
public interface IRegistry
{
    /// <summary>What the registry holds, in the singular ("solver", "SDE", "data set", ...).</summary>
    string Kind { get; }

    /// <summary>Registered names in registration order.</summary>
    IReadOnlyList<string> Names { get; }

    /// <summary>True when <paramref name="name"/> is registered (ordinal, case-sensitive).</summary>
    bool Contains(string name);

    /// <summary>The one-line description of <paramref name="name"/>.</summary>
    string DescriptionOf(string name);

    /// <summary>The parameter schema of <paramref name="name"/>.</summary>
    IReadOnlyList<ParameterSpec> ParametersOf(string name);
}
