namespace Diffusion.Research.Registries;

/// <summary>
/// The one registry shape of the framework: components of type <typeparamref name="T"/> by name, each with a
/// one-line description, a typed parameter schema and a factory from <typeparamref name="TContext"/>. Names are
/// ordinal and case-sensitive; an unknown name throws <see cref="UnknownNameException"/>; a name registered twice
/// or a parameter listed twice throws <see cref="ArgumentException"/>. Solvers, SDEs, data sets, metrics, time
/// schedules, losses, weightings, t-samplings, optimisers and model kinds are all registries of this class
/// (registries whose factories read <see cref="ParameterValues"/> derive from <see cref="ParameterRegistry{T}"/>).
/// An instance, not a global: a composition root fills one set of them and hands it to everything that resolves names.
/// </summary>
/// <typeparam name="TContext">What a factory builds from.</typeparam>
/// <typeparam name="T">The component type.</typeparam>
public class Registry<TContext, T> : IRegistry
{
    private readonly Dictionary<string, RegistryEntry<TContext, T>> _entries = new(StringComparer.Ordinal);
    private readonly List<string> _names = [];

    /// <summary>An empty registry of <paramref name="kind"/> (singular, used in messages).</summary>
    public Registry(string kind)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        Kind = kind;
    }

    /// <inheritdoc />
    public string Kind { get; }

    /// <inheritdoc />
    public IReadOnlyList<string> Names => _names;

    /// <summary>The entries in registration order.</summary>
    public IReadOnlyList<RegistryEntry<TContext, T>> Entries => _names.ConvertAll(n => _entries[n]);

    /// <summary>Adds a component; returns this registry so registrations chain.</summary>
    public Registry<TContext, T> Add(string name, string description, Func<TContext, T> factory, params ParameterSpec[] parameters)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(description);
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(parameters);
        if (_entries.ContainsKey(name)) throw new ArgumentException($"A {Kind} named '{name}' is already registered.", nameof(name));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in parameters)
        {
            ArgumentNullException.ThrowIfNull(p, nameof(parameters));
            if (!seen.Add(p.Name)) throw new ArgumentException($"The {Kind} '{name}' lists parameter '{p.Name}' twice.", nameof(parameters));
        }
        _entries[name] = new RegistryEntry<TContext, T>(name, description, parameters.ToArray(), factory);
        _names.Add(name);
        return this;
    }

    /// <inheritdoc />
    public bool Contains(string name) => name is not null && _entries.ContainsKey(name);

    /// <summary>The entry of <paramref name="name"/>; throws <see cref="UnknownNameException"/> listing the known names.</summary>
    public RegistryEntry<TContext, T> Entry(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _entries.TryGetValue(name, out var entry) ? entry : throw new UnknownNameException(Kind, name, _names.ToArray());
    }

    /// <inheritdoc />
    public string DescriptionOf(string name) => Entry(name).Description;

    /// <inheritdoc />
    public IReadOnlyList<ParameterSpec> ParametersOf(string name) => Entry(name).Parameters;

    /// <summary>One line: "name: description" and the parameters with their defaults.</summary>
    public string Describe(string name) => Entry(name).Describe();

    /// <summary>Builds <paramref name="name"/> from <paramref name="context"/>.</summary>
    public T Build(string name, TContext context) => Entry(name).Factory(context);
}
