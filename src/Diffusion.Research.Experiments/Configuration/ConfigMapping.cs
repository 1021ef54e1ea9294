namespace Diffusion.Research.Experiments.Configuration;

/// <summary>A YAML mapping with unique scalar keys, in file order.</summary>
public sealed class ConfigMapping : ConfigNode
{
    /// <summary>Creates a mapping; keys must be unique (the reader reports duplicates before this).</summary>
    public ConfigMapping(IReadOnlyList<ConfigEntry> entries, SourceLocation location)
        : base(location)
    {
        Entries = entries ?? throw new ArgumentNullException(nameof(entries));
    }

    /// <summary>The entries in file order.</summary>
    public IReadOnlyList<ConfigEntry> Entries { get; }

    /// <summary>The entry with the given key, or null.</summary>
    public ConfigEntry? Find(string key)
    {
        foreach (var e in Entries)
            if (e.Name == key) return e;
        return null;
    }

    /// <summary>A copy with <paramref name="key"/> set to <paramref name="value"/> (replaced in place or appended).</summary>
    public ConfigMapping With(ConfigScalar key, ConfigNode value)
    {
        var list = new List<ConfigEntry>(Entries.Count + 1);
        var replaced = false;
        foreach (var e in Entries)
        {
            if (e.Name == key.Value) { list.Add(new ConfigEntry(e.Key, value)); replaced = true; }
            else list.Add(e);
        }
        if (!replaced) list.Add(new ConfigEntry(key, value));
        return new ConfigMapping(list, Location);
    }

    /// <summary>A copy without the given keys.</summary>
    public ConfigMapping Without(params string[] keys)
    {
        var list = new List<ConfigEntry>(Entries.Count);
        foreach (var e in Entries)
            if (Array.IndexOf(keys, e.Name) < 0) list.Add(e);
        return new ConfigMapping(list, Location);
    }

    /// <inheritdoc />
    public override string KindName => "a mapping";
}
