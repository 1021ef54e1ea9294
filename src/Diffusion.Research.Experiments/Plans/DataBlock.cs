using System.Text.Json;
using Diffusion.Research.Experiments.Configuration;

namespace Diffusion.Research.Experiments.Plans;

/// <summary>
/// The keys of the <c>data:</c> block as a declarative table (see <see cref="KeyTable{TSpec}"/>): <c>name</c> (required,
/// a data set of the registry) and <c>parameters</c> (each a number or a list; checked against the data set's schema by
/// the backend). Both are first-schema keys (<see cref="KeyIdentity.Always"/>).
/// </summary>
public static class DataBlock
{
    /// <summary>The table.</summary>
    public static KeyTable<DataSpec> Table { get; } = new("data",
    [
        new("name", "data set (diffusion list datasets; required)", KeyIdentity.Always,
            (c, n, s) => c.Binder.Name(n, c.Path, "datasets", "data set") is { } v ? s with { Name = v } : null,
            (w, s) => w.WriteString("name", s.Name), Required: true),
        new("parameters", "parameters of the data set, each a number or a list (diffusion list datasets: the defaults)", KeyIdentity.Always,
            (c, n, s) => c.Binder.NumberListMap(n, c.Path) is { } v ? s with { Parameters = v } : null,
            (w, s) => WriteLists(w, "parameters", s.Parameters)),
    ]);

    /// <summary>Every key of the block.</summary>
    public static IReadOnlyList<string> Keys => Table.Keys;

    /// <summary>Binds the block; null when any key was bad (errors reported).</summary>
    public static DataSpec? Bind(ConfigBinder b, ConfigMapping block, string baseDirectory) =>
        Table.Bind(b, block, new DataSpec("", NoParameters), baseDirectory);

    /// <summary>Writes the block.</summary>
    public static void Write(Utf8JsonWriter w, DataSpec spec)
    {
        ArgumentNullException.ThrowIfNull(w);
        w.WriteStartObject("data");
        Table.WriteRows(w, spec);
        w.WriteEndObject();
    }

    /// <summary>A mapping of keys to numbers or lists, sorted by key; a list of one is written as a number.</summary>
    internal static void WriteLists(Utf8JsonWriter w, string name, IReadOnlyDictionary<string, IReadOnlyList<double>> values)
    {
        w.WriteStartObject(name);
        foreach (var key in values.Keys.OrderBy(k => k, StringComparer.Ordinal))
        {
            var list = values[key];
            if (list.Count == 1) { w.WriteNumber(key, list[0]); continue; }
            w.WriteStartArray(key);
            foreach (var v in list) w.WriteNumberValue(v);
            w.WriteEndArray();
        }
        w.WriteEndObject();
    }

    private static readonly IReadOnlyDictionary<string, IReadOnlyList<double>> NoParameters = new SortedDictionary<string, IReadOnlyList<double>>(StringComparer.Ordinal);
}
