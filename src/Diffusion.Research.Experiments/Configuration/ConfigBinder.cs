using System.Globalization;
using System.Text.RegularExpressions;
using Diffusion.Research.Experiments.Backend;

namespace Diffusion.Research.Experiments.Configuration;

/// <summary>
/// Typed reads of configuration nodes that record located errors instead of throwing, so one validation pass
/// reports every problem of a file. Used by the experiment loader and by model builders for their own keys.
/// </summary>
public sealed partial class ConfigBinder
{
    /// <summary>The most errors kept and shown; further ones are only counted (a file of a million typos must not print a million lines).</summary>
    public const int MaxErrorsShown = 50;

    private readonly List<ConfigError> _errors = [];
    private readonly HashSet<ConfigError> _shown = [];
    private readonly HashSet<(int Line, int Column, int Message)> _more = [];

    /// <summary>Creates a binder that checks names against <paramref name="catalog"/>.</summary>
    public ConfigBinder(ComponentCatalog catalog)
    {
        Catalog = catalog ?? throw new ArgumentNullException(nameof(catalog));
    }

    /// <summary>The names the binder accepts.</summary>
    public ComponentCatalog Catalog { get; }

    /// <summary>The errors recorded so far, at most <see cref="MaxErrorsShown"/> distinct ones (see <see cref="ErrorCount"/>).</summary>
    public IReadOnlyList<ConfigError> Errors => _errors;

    /// <summary>How many times an error was recorded (repeats included): grows with every <see cref="Error"/> call.</summary>
    public int ErrorCount { get; private set; }

    /// <summary>How many distinct errors were recorded beyond the <see cref="MaxErrorsShown"/> kept.</summary>
    public int Omitted => _more.Count;

    /// <summary>Records an error (a repeat of one already recorded, e.g. from another cell of a sweep, is ignored).</summary>
    public void Error(SourceLocation location, string message)
    {
        ErrorCount++;
        var error = new ConfigError(location, message);
        if (_shown.Contains(error)) return;
        if (_errors.Count < MaxErrorsShown)
        {
            _shown.Add(error);
            _errors.Add(error);
        }
        else
        {
            _more.Add((location.Line, location.Column, StringComparer.Ordinal.GetHashCode(message)));
        }
    }

    /// <summary>The node as a mapping, or null after recording an error (a null scalar gives an empty mapping).</summary>
    public ConfigMapping? Mapping(ConfigNode node, string key)
    {
        if (node is ConfigMapping m) return m;
        if (node is ConfigScalar { IsNull: true }) return new ConfigMapping([], node.Location);
        Error(node.Location, $"{key} must be a mapping (key: value lines), got {node.KindName}");
        return null;
    }

    /// <summary>Records an error for every key of <paramref name="mapping"/> not in <paramref name="allowed"/>.</summary>
    public void CheckKeys(ConfigMapping mapping, string section, IReadOnlyList<string> allowed)
    {
        foreach (var e in mapping.Entries)
        {
            if (allowed.Contains(e.Name)) continue;
            var hint = Closest(e.Name, allowed);
            Error(e.Key.Location, $"unknown key '{e.Name}' in {section}{(hint is null ? "." : $"; did you mean '{hint}'?")} Valid keys: {string.Join(", ", allowed)}");
        }
    }

    /// <summary>The value node of an optional key, or null when it is absent.</summary>
    public ConfigNode? Get(ConfigMapping mapping, string key)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        return mapping.Find(key)?.Value;
    }

    /// <summary>The value node of a key, or null; records an error naming <paramref name="path"/> (the dotted key) if the
    /// key is required and missing.</summary>
    public ConfigNode? Get(ConfigMapping mapping, string key, string path, bool required)
    {
        var entry = mapping.Find(key);
        if (entry is not null) return entry.Value;
        if (required) Error(mapping.Location, $"missing required key '{path}'");
        return null;
    }

    /// <summary>A string scalar (plain or quoted, not null).</summary>
    public string? String(ConfigNode node, string key)
    {
        if (node is ConfigScalar s && !s.IsNull) return s.Value;
        Error(node.Location, $"{key} must be a string, got {node.KindName}");
        return null;
    }

    /// <summary>A name registered in <paramref name="category"/> of the catalog; the error lists the valid names.</summary>
    public string? Name(ConfigNode node, string key, string category, string singular, params string[] extra)
    {
        var name = String(node, key);
        if (name is null) return null;
        if (Array.IndexOf(extra, name) >= 0 || Catalog.Contains(category, name)) return name;
        var valid = new List<string>(extra);
        if (Catalog.HasCategory(category)) valid.AddRange(Catalog.List(category).Select(c => c.Name));
        var hint = Closest(name, valid);
        Error(node.Location, $"unknown {singular} '{name}' for {key}{(hint is null ? "." : $"; did you mean '{hint}'?")} Valid {category}: {(valid.Count == 0 ? "(none registered)" : string.Join(", ", valid))}");
        return null;
    }

    /// <summary>An integer in [min, max].</summary>
    public long? Integer(ConfigNode node, string key, long min, long max)
    {
        if (node is ConfigScalar { IsQuoted: false } s && long.TryParse(s.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v))
        {
            if (v >= min && v <= max) return v;
            Error(node.Location, $"{key} must be in [{min}, {max}], got {v}");
            return null;
        }
        Error(node.Location, $"{key} must be an integer, got {node.KindName}");
        return null;
    }

    /// <summary>A finite number in the given range (bounds inclusive unless stated).</summary>
    public double? Number(ConfigNode node, string key, double min, double max, bool minExclusive = false, bool maxExclusive = false)
    {
        if (node is ConfigScalar { IsQuoted: false } s
            && double.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v))
        {
            var low = minExclusive ? v > min : v >= min;
            var high = maxExclusive ? v < max : v <= max;
            if (low && high) return v;
            // A range without an upper end (max = double.MaxValue) reads as a bound: "must be > 0", not "in (0, 1.79769E+308]".
            Error(node.Location, max == double.MaxValue
                ? $"{key} must be {(minExclusive ? ">" : ">=")} {Format(min)}, got {Format(v)}"
                : $"{key} must be in {(minExclusive ? "(" : "[")}{Format(min)}, {Format(max)}{(maxExclusive ? ")" : "]")}, got {Format(v)}");
            return null;
        }
        Error(node.Location, $"{key} must be a finite number, got {node.KindName}");
        return null;
    }

    /// <summary>A boolean (true or false).</summary>
    public bool? Boolean(ConfigNode node, string key)
    {
        if (node is ConfigScalar { IsQuoted: false } s)
        {
            if (s.Value is "true" or "True" or "TRUE") return true;
            if (s.Value is "false" or "False" or "FALSE") return false;
        }
        Error(node.Location, $"{key} must be true or false, got {node.KindName}");
        return null;
    }

    /// <summary>A mapping of parameter names (identifiers) to finite numbers, sorted by name.</summary>
    public IReadOnlyDictionary<string, double>? NumberMap(ConfigNode node, string key) =>
        ParameterMap(node, key, (value, path) => Number(value, path, double.MinValue, double.MaxValue) is { } v ? new Bound<double>(true, v) : default);

    /// <summary>A mapping of parameter names to a number or a non-empty list of numbers (a number is a list of one).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<double>>? NumberListMap(ConfigNode node, string key) =>
        ParameterMap<IReadOnlyList<double>>(node, key, (value, path) =>
        {
            var items = value is ConfigSequence seq ? seq.Items : [value];
            if (items.Count == 0) { Error(value.Location, $"{path} must not be an empty list"); return default; }
            var values = new List<double>();
            var ok = true;
            foreach (var item in items)
            {
                var v = Number(item, path, double.MinValue, double.MaxValue);
                if (v is null) ok = false;
                else values.Add(v.Value);
            }
            return new Bound<IReadOnlyList<double>>(ok, values);
        });

    /// <summary>
    /// A mapping of parameter names (identifiers) to values bound by <paramref name="bind"/> (given the value node and
    /// its path key.name), sorted by name; null after reporting every bad name and value.
    /// </summary>
    private SortedDictionary<string, T>? ParameterMap<T>(ConfigNode node, string key, Func<ConfigNode, string, Bound<T>> bind)
    {
        var m = Mapping(node, key);
        if (m is null) return null;
        var result = new SortedDictionary<string, T>(StringComparer.Ordinal);
        var ok = true;
        foreach (var e in m.Entries)
        {
            if (!Identifier().IsMatch(e.Name))
            {
                Error(e.Key.Location, $"parameter name '{e.Name}' in {key} must be an identifier (letters, digits, _)");
                ok = false;
                continue;
            }
            var bound = bind(e.Value, $"{key}.{e.Name}");
            if (bound.Ok) result[e.Name] = bound.Value;
            else ok = false;
        }
        return ok ? result : null;
    }

    /// <summary>A bound value, or Ok = false when binding reported an error.</summary>
    private readonly record struct Bound<T>(bool Ok, T Value);

    /// <summary>A non-empty list of strings (a single scalar is not accepted: write [a]).</summary>
    public IReadOnlyList<string>? StringList(ConfigNode node, string key, bool allowEmpty = false)
    {
        if (node is not ConfigSequence seq)
        {
            Error(node.Location, $"{key} must be a list, e.g. [a, b], got {node.KindName}");
            return null;
        }
        if (seq.Items.Count == 0 && !allowEmpty)
        {
            Error(node.Location, $"{key} must not be empty");
            return null;
        }
        var list = new List<string>();
        foreach (var item in seq.Items)
        {
            var s = String(item, $"{key} item");
            if (s is null) return null;
            list.Add(s);
        }
        return list;
    }

    /// <summary>The valid name closest to <paramref name="name"/> (edit distance at most 2 or a prefix), or null.</summary>
    public static string? Closest(string name, IEnumerable<string> valid)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var v in valid)
        {
            var d = Distance(name.ToLowerInvariant(), v.ToLowerInvariant());
            if (d < bestDistance) { best = v; bestDistance = d; }
        }
        return bestDistance <= Math.Max(2, name.Length / 3) ? best : null;
    }

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }

    private static string Format(double v) => v.ToString("G6", CultureInfo.InvariantCulture);

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex Identifier();
}
