using System.Globalization;

namespace Diffusion.Research.Registries;

/// <summary>
/// The parameters a factory receives: the caller's values checked against the entry's schema (unknown keys, wrong
/// types and non-finite values are rejected with a <see cref="ParameterException"/> before the factory runs), with the schema's
/// defaults filled in for absent scalars. Read scalars with the indexer, <see cref="Real"/> or <see cref="Integer"/>,
/// lists with <see cref="Vector"/>; <see cref="Contains"/> says whether the caller gave a key.
/// </summary>
public sealed class ParameterValues
{
    private readonly string _owner;
    private readonly Dictionary<string, ParameterSpec> _schema = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double[]> _given = new(StringComparer.Ordinal);

    private ParameterValues(string owner, IReadOnlyList<ParameterSpec> schema)
    {
        _owner = owner;
        Schema = schema;
        foreach (var p in schema) _schema[p.Name] = p;
    }

    /// <summary>No parameters against an empty schema.</summary>
    public static ParameterValues Empty { get; } = new("component", []);

    /// <summary>The schema the values were checked against.</summary>
    public IReadOnlyList<ParameterSpec> Schema { get; }

    /// <summary>The keys the caller gave.</summary>
    public IReadOnlyCollection<string> Given => _given.Keys;

    /// <summary>
    /// Checks <paramref name="values"/> (null: none) against <paramref name="schema"/>; <paramref name="owner"/> names the
    /// component in messages (e.g. "solver 'ggf'").
    /// </summary>
    public static ParameterValues Bind(string owner, IReadOnlyList<ParameterSpec> schema, IReadOnlyDictionary<string, double[]>? values)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(schema);
        var result = new ParameterValues(owner, schema);
        if (values is null) return result;
        foreach (var (key, value) in values)
        {
            if (!result._schema.TryGetValue(key, out var spec))
            {
                var valid = schema.Count == 0 ? "it takes no parameters" : "valid: " + string.Join(", ", schema.Select(p => p.Name));
                throw new ParameterException(key, $"{Capital(owner)} has no parameter '{key}' ({valid}).");
            }
            if (value is null) throw new ParameterException(key, $"Parameter '{key}' of {owner} is null.");
            foreach (var v in value)
                if (!double.IsFinite(v)) throw new ParameterException(key, $"Parameter '{key}' of {owner} is {v.ToString(CultureInfo.InvariantCulture)}; a finite number is needed.");
            if (spec.Type != ParameterType.Vector && value.Length != 1)
                throw new ParameterException(key, $"Parameter '{key}' of {owner} must be a single number, got {value.Length}.");
            if (spec.Type == ParameterType.Integer && (value[0] != Math.Floor(value[0]) || Math.Abs(value[0]) > int.MaxValue))
                throw new ParameterException(key, $"Parameter '{key}' of {owner} must be an integer, got {value[0].ToString(CultureInfo.InvariantCulture)}.");
            result._given[key] = value.ToArray();
        }
        return result;
    }

    /// <summary>Checks scalar <paramref name="values"/> against <paramref name="schema"/> (see the other overload).</summary>
    public static ParameterValues BindScalars(string owner, IReadOnlyList<ParameterSpec> schema, IReadOnlyDictionary<string, double>? values) =>
        Bind(owner, schema, values?.ToDictionary(p => p.Key, p => new[] { p.Value }, StringComparer.Ordinal));

    /// <summary>True when the caller gave <paramref name="name"/>.</summary>
    public bool Contains(string name) => _given.ContainsKey(name);

    /// <summary>The real parameter <paramref name="name"/> (given or default).</summary>
    public double this[string name] => Real(name);

    /// <summary>The real parameter <paramref name="name"/>: the given value, else the default; required when it has none.</summary>
    public double Real(string name)
    {
        var spec = Spec(name);
        if (_given.TryGetValue(name, out var v)) return v[0];
        return spec.Default ?? throw new ParameterException(name, $"Parameter '{name}' of {_owner} is required.");
    }

    /// <summary>The integer parameter <paramref name="name"/>: the given value, else the default; required when it has none.</summary>
    public int Integer(string name)
    {
        var value = Real(name);
        if (value != Math.Floor(value) || Math.Abs(value) > int.MaxValue)
            throw new ParameterException(name, $"Parameter '{name}' of {_owner} must be an integer, got {value.ToString(CultureInfo.InvariantCulture)}.");
        return (int)value;
    }

    /// <summary>The list parameter <paramref name="name"/> (a copy); required.</summary>
    public double[] Vector(string name)
    {
        Spec(name);
        return _given.TryGetValue(name, out var v) ? v.ToArray() : throw new ParameterException(name, $"Parameter '{name}' of {_owner} is required.");
    }

    private ParameterSpec Spec(string name) => _schema.TryGetValue(name, out var spec)
        ? spec
        : throw new InvalidOperationException($"The factory of {_owner} reads parameter '{name}', which its schema does not declare.");

    private static string Capital(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];
}
