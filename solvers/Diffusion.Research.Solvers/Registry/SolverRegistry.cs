using System.Reflection;
using Diffusion.Research.Registries;
using Diffusion.Research.Sampling;

namespace Diffusion.Research.Solvers;

/// <summary>
/// Solvers by name: a <see cref="ParameterRegistry{T}"/> (the framework's one registry shape) filled by
/// <see cref="CreateDefault"/> with the whole zoo. Each solver class registers itself from a static member in its own
/// file; <see cref="Register(Func{ParameterValues, ISolver}, ParameterSpec[])"/> takes the name and description from
/// the traits of the solver built with default parameters, so both are written once, in the traits.
/// </summary>
public sealed class SolverRegistry : ParameterRegistry<ISolver>
{
    /// <summary>An empty registry.</summary>
    public SolverRegistry()
        : base("solver")
    {
    }

    /// <summary>
    /// Adds the solver that <paramref name="factory"/> builds, under the name of its <see cref="SolverTraits"/> (built once
    /// with the defaults of <paramref name="parameters"/>); the description is the traits' one followed by the declared
    /// order and NFE per step read from the same traits, e.g. "[stochastic, weak order 2, 1 NFE/step]".
    /// </summary>
    public SolverRegistry Register(Func<ParameterValues, ISolver> factory, params ParameterSpec[] parameters)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(parameters);
        var traits = factory(ParameterValues.Bind(Kind, parameters, null)).Traits;
        Add(traits.Name, $"{traits.Description} [{Tag(traits)}]", factory, parameters);
        return this;
    }

    /// <summary>
    /// A registry holding every solver of this assembly, in registration order (<see cref="Registry{TContext, T}.Names"/>):
    /// every static method marked <see cref="SolverRegistrationAttribute"/> is called, in increasing order, so a new
    /// solver is its own file (its class, its <c>Register</c> member and the order it takes in the list) and nothing else.
    /// </summary>
    public static SolverRegistry CreateDefault()
    {
        var r = new SolverRegistry();
        foreach (var register in Registrations.Value) register(r);
        return r;
    }

    // The marked registration methods of this assembly, sorted by their order (found once; a repeated order is a bug).
    private static readonly Lazy<Action<SolverRegistry>[]> Registrations = new(() =>
    {
        var marked = typeof(SolverRegistry).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Select(m => (Method: m, Attribute: m.GetCustomAttribute<SolverRegistrationAttribute>()))
            .Where(p => p.Attribute is not null)
            .OrderBy(p => p.Attribute!.Order)
            .ToArray();
        RequireDistinctOrders(marked.Select(p => ($"{p.Method.DeclaringType!.Name}.{p.Method.Name}", p.Attribute!.Order)).ToArray());
        return marked.Select(p => p.Method.CreateDelegate<Action<SolverRegistry>>()).ToArray();
    });

    /// <summary>Throws when two registrations, sorted by order, share one (the list's order would then be arbitrary).</summary>
    internal static void RequireDistinctOrders(IReadOnlyList<(string Method, int Order)> sorted)
    {
        for (var i = 1; i < sorted.Count; i++)
            if (sorted[i].Order == sorted[i - 1].Order)
                throw new InvalidOperationException($"Solver registrations {sorted[i - 1].Method} and {sorted[i].Method} share order {sorted[i].Order}.");
    }

    private static string Tag(SolverTraits traits) =>
        $"{(traits.IsStochastic ? "stochastic, " : "")}{(traits.IsAdaptive ? "adaptive, " : "")}{(traits.IsStochastic ? "weak " : "")}order {traits.Order}, {traits.NfePerStep} NFE/step";
}
