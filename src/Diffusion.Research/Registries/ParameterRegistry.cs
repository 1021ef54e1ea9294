namespace Diffusion.Research.Registries;

/// <summary>
/// A <see cref="Registry{TContext, T}"/> whose factories read only their parameters: <see cref="Create(string, IReadOnlyDictionary{string, double})"/>
/// checks the caller's values against the entry's schema (unknown keys, wrong types and NaN throw
/// <see cref="ParameterException"/>), fills in the defaults and calls the factory.
/// </summary>
/// <typeparam name="T">The component type.</typeparam>
public class ParameterRegistry<T> : Registry<ParameterValues, T>
{
    /// <summary>An empty registry of <paramref name="kind"/>.</summary>
    public ParameterRegistry(string kind)
        : base(kind)
    {
    }

    /// <summary>Adds a component (see <see cref="Registry{TContext, T}.Add"/>).</summary>
    public ParameterRegistry<T> Register(string name, string description, Func<ParameterValues, T> factory, params ParameterSpec[] parameters)
    {
        Add(name, description, factory, parameters);
        return this;
    }

    /// <summary>Builds <paramref name="name"/>; absent parameters take their defaults (null: all defaults).</summary>
    public T Create(string name, IReadOnlyDictionary<string, double>? parameters = null)
    {
        var entry = Entry(name);
        return entry.Factory(ParameterValues.BindScalars($"{Kind} '{name}'", entry.Parameters, parameters));
    }

    /// <summary>Builds <paramref name="name"/> from list-valued parameters (a scalar is a list of one).</summary>
    public T CreateFromLists(string name, IReadOnlyDictionary<string, double[]>? parameters)
    {
        var entry = Entry(name);
        return entry.Factory(ParameterValues.Bind($"{Kind} '{name}'", entry.Parameters, parameters));
    }
}
