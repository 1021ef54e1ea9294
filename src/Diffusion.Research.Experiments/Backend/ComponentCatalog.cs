using Diffusion.Research.Registries;

namespace Diffusion.Research.Experiments.Backend;

/// <summary>
/// The names an experiment file may use, by category ("solvers", "sdes", "datasets", ...). Adding a category
/// (e.g. the losses of the neural-model work) is one Register call. An instance, not a global.
/// </summary>
public sealed class ComponentCatalog
{
    private readonly List<(string Category, string Description, Func<IReadOnlyList<ComponentInfo>> Entries)> _categories = [];

    /// <summary>Registers a category; <paramref name="entries"/> is read when the category is listed or checked.</summary>
    public ComponentCatalog Register(string category, string description, Func<IReadOnlyList<ComponentInfo>> entries)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(category);
        ArgumentNullException.ThrowIfNull(description);
        ArgumentNullException.ThrowIfNull(entries);
        if (_categories.Exists(c => c.Category == category))
            throw new ArgumentException($"Category '{category}' is already registered.", nameof(category));
        _categories.Add((category, description, entries));
        return this;
    }

    /// <summary>
    /// Registers a category listing the entries of <paramref name="registries"/> (read when listed, so later
    /// registrations, e.g. by plugins, show): each entry's description followed by its parameters and defaults.
    /// </summary>
    public ComponentCatalog Register(string category, string description, params IRegistry[] registries)
    {
        ArgumentNullException.ThrowIfNull(registries);
        return Register(category, description, () => registries.SelectMany(r => r.Names.Select(n => Info(r, n))).ToList());
    }

    private static ComponentInfo Info(IRegistry registry, string name)
    {
        var parameters = registry.ParametersOf(name);
        var description = registry.DescriptionOf(name);
        return new ComponentInfo(name, parameters.Count == 0 ? description : $"{description.TrimEnd('.')}. Parameters: {string.Join(", ", parameters)}");
    }

    /// <summary>The registered categories in registration order.</summary>
    public IReadOnlyList<string> Categories => _categories.ConvertAll(c => c.Category);

    /// <summary>The one-line description of a category.</summary>
    public string DescribeCategory(string category) => Find(category).Description;

    /// <summary>Whether a category is registered.</summary>
    public bool HasCategory(string category) => _categories.Exists(c => c.Category == category);

    /// <summary>The entries of a category, sorted by name.</summary>
    public IReadOnlyList<ComponentInfo> List(string category)
    {
        var list = new List<ComponentInfo>(Find(category).Entries());
        list.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return list;
    }

    /// <summary>Whether <paramref name="name"/> is a registered entry of <paramref name="category"/>.</summary>
    public bool Contains(string category, string name)
    {
        if (!HasCategory(category)) return false;
        foreach (var e in Find(category).Entries())
            if (e.Name == name) return true;
        return false;
    }

    private (string Category, string Description, Func<IReadOnlyList<ComponentInfo>> Entries) Find(string category)
    {
        foreach (var c in _categories)
            if (c.Category == category) return c;
        throw new ArgumentException(
            $"Unknown category '{category}'. Known: {string.Join(", ", _categories.ConvertAll(c => c.Category))}.", nameof(category));
    }
}
