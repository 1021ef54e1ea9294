namespace Diffusion.Research.Nn.Training;

/// <summary>Named factories of one kind of training component (an instance, not a global).</summary>
public sealed class TrainingRegistry<T>
    where T : class
{
    private readonly List<RegistryEntry> _entries = [];
    private readonly Dictionary<string, Func<TrainingContext, T>> _factories = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>An empty registry of <paramref name="what"/> (used in error messages).</summary>
    public TrainingRegistry(string what)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(what);
        What = what;
    }

    /// <summary>What the registry holds, e.g. "loss".</summary>
    public string What { get; }

    /// <summary>The entries in registration order.</summary>
    public IReadOnlyList<RegistryEntry> Entries => _entries;

    /// <summary>Adds a component.</summary>
    public TrainingRegistry<T> Register(string name, string description, Func<TrainingContext, T> factory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(description);
        ArgumentNullException.ThrowIfNull(factory);
        if (!_factories.TryAdd(name, factory)) throw new ArgumentException($"A {What} named '{name}' is already registered.", nameof(name));
        _entries.Add(new RegistryEntry(name, description));
        return this;
    }

    /// <summary>True when <paramref name="name"/> is registered (case-insensitive).</summary>
    public bool Contains(string name) => name is not null && _factories.ContainsKey(name);

    /// <summary>Builds the component <paramref name="name"/>; an unknown name throws, listing the known ones.</summary>
    public T Create(string name, TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (name is null || !_factories.TryGetValue(name, out var factory))
            throw new ArgumentException($"Unknown {What} '{name}'. Known: {string.Join(", ", _entries.Select(e => e.Name))}.", nameof(name));
        return factory(context);
    }
}
