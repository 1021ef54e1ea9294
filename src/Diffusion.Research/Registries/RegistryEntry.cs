namespace Diffusion.Research.Registries;

/// <summary>One registration: a name, a one-line description, the parameter schema and the factory.</summary>
/// <typeparam name="TContext">What the factory builds from (<see cref="ParameterValues"/> for most registries).</typeparam>
/// <typeparam name="T">The component type.</typeparam>
/// <param name="Name">Registry name (ordinal, case-sensitive).</param>
/// <param name="Description">One line, written once here.</param>
/// <param name="Parameters">The parameters the component takes, with types and defaults.</param>
/// <param name="Factory">Builds the component.</param>
public sealed record RegistryEntry<TContext, T>(string Name, string Description, IReadOnlyList<ParameterSpec> Parameters, Func<TContext, T> Factory)
{
    /// <summary>"name: description" and, when it takes any, "Parameters: p=default (meaning), ...".</summary>
    public string Describe() => Parameters.Count == 0
        ? $"{Name}: {Description}"
        : $"{Name}: {Description} Parameters: {string.Join(", ", Parameters)}.";
}
