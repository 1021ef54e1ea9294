namespace Diffusion.Research.Data;

/// <summary>
/// Named numeric parameters handed to a data-set factory (from YAML or code): each name maps to an array of
/// numbers (a scalar is an array of length 1, a matrix is flattened row-major). The factory reads what it knows;
/// <see cref="DataSetRegistry.Create"/> then rejects any name the factory never read, so typos do not pass silently.
/// </summary>
public sealed class DataSetParameters
{
    private readonly Dictionary<string, double[]> _values;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    /// <summary>Wraps <paramref name="values"/> (copied; names are case-sensitive).</summary>
    public DataSetParameters(IReadOnlyDictionary<string, double[]> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        _values = new Dictionary<string, double[]>(StringComparer.Ordinal);
        foreach (var (name, value) in values)
            _values[name] = (value ?? throw new ArgumentException($"Parameter '{name}' is null.", nameof(values))).ToArray();
    }

    /// <summary>No parameters.</summary>
    public static DataSetParameters Empty => new(new Dictionary<string, double[]>());

    /// <summary>The parameter names given.</summary>
    public IReadOnlyCollection<string> Names => _values.Keys;

    /// <summary>True when <paramref name="name"/> was given.</summary>
    public bool Contains(string name) => _values.ContainsKey(name);

    /// <summary>The scalar <paramref name="name"/>, or <paramref name="defaultValue"/> when absent.</summary>
    public double Scalar(string name, double defaultValue) => Contains(name) ? Scalar(name) : defaultValue;

    /// <summary>The required scalar <paramref name="name"/>.</summary>
    public double Scalar(string name)
    {
        var v = Vector(name);
        if (v.Length != 1) throw new ArgumentException($"Parameter '{name}' must be a single number, got {v.Length}.", name);
        return v[0];
    }

    /// <summary>The integer <paramref name="name"/>, or <paramref name="defaultValue"/> when absent.</summary>
    public int Integer(string name, int defaultValue)
    {
        if (!Contains(name)) return defaultValue;
        var v = Scalar(name);
        if (v != Math.Round(v) || Math.Abs(v) > int.MaxValue) throw new ArgumentException($"Parameter '{name}' must be an integer, got {v}.", name);
        return (int)v;
    }

    /// <summary>The required array <paramref name="name"/> (a copy).</summary>
    public double[] Vector(string name)
    {
        if (!_values.TryGetValue(name, out var v)) throw new ArgumentException($"Parameter '{name}' is required.", name);
        _read.Add(name);
        return v.ToArray();
    }

    /// <summary>Throws when a given parameter was never read by the factory of <paramref name="dataSet"/>.</summary>
    internal void RequireAllRead(string dataSet)
    {
        foreach (var name in _values.Keys)
            if (!_read.Contains(name))
                throw new ArgumentException($"Data set '{dataSet}' does not take a parameter '{name}'.", nameof(name));
    }
}
