using System.Text.Json;
using Diffusion.Research.Experiments.Configuration;

namespace Diffusion.Research.Experiments.Plans;

/// <summary>
/// The keys of one YAML block as a declarative table of <see cref="KeyRow{TSpec}"/>: binding reads the rows present over
/// a default spec (a missing required row is a located error), writing emits the rows in table order, each
/// <see cref="KeyIdentity.Always"/> row always and each <see cref="KeyIdentity.WhenSet"/> row only when set.
/// </summary>
/// <typeparam name="TSpec">The block's spec record.</typeparam>
public sealed class KeyTable<TSpec>
    where TSpec : class
{
    /// <summary>A table for block <paramref name="section"/> (e.g. "eval").</summary>
    public KeyTable(string section, IReadOnlyList<KeyRow<TSpec>> rows)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(section);
        ArgumentNullException.ThrowIfNull(rows);
        foreach (var row in rows)
        {
            ArgumentNullException.ThrowIfNull(row, nameof(rows));
            if ((row.Identity == KeyIdentity.WhenSet) != (row.IsSet is not null))
                throw new ArgumentException(row.Identity == KeyIdentity.WhenSet
                    ? $"row '{section}.{row.Key}' is written when set and needs IsSet."
                    : $"row '{section}.{row.Key}' is always written; IsSet would never be called.", nameof(rows));
        }
        Section = section;
        Rows = rows;
    }

    /// <summary>The block's name.</summary>
    public string Section { get; }

    /// <summary>The rows, in canonical-JSON order.</summary>
    public IReadOnlyList<KeyRow<TSpec>> Rows { get; }

    /// <summary>The keys of the rows.</summary>
    public IReadOnlyList<string> Keys => Rows.Select(r => r.Key).ToArray();

    /// <summary>Each row as its dotted key (e.g. <c>eval.particles</c>) and description, for <c>diffusion list block-keys</c>.</summary>
    public IReadOnlyList<Backend.ComponentInfo> Describe() => Rows.Select(r => new Backend.ComponentInfo(Section + "." + r.Key, r.Description)).ToArray();

    /// <summary>Binds the rows present in <paramref name="block"/> over <paramref name="defaults"/>; null when any was bad (errors reported).</summary>
    public TSpec? Bind(ConfigBinder b, ConfigMapping block, TSpec defaults, string baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(block);
        var spec = defaults;
        var ok = true;
        foreach (var row in Rows)
        {
            var path = Section + "." + row.Key;
            if (b.Get(block, row.Key, path, row.Required) is not { } node)
            {
                ok &= !row.Required;
                continue;
            }
            if (row.Bind(new KeyContext(b, path, baseDirectory, block), node, spec) is { } next) spec = next;
            else ok = false;
        }
        return ok ? spec : null;
    }

    /// <summary>Writes the rows of <paramref name="spec"/> that must be written.</summary>
    public void WriteRows(Utf8JsonWriter w, TSpec spec)
    {
        ArgumentNullException.ThrowIfNull(w);
        foreach (var row in Rows)
            if (row.IsSet is null || row.IsSet(spec)) row.Write(w, spec);
    }
}
