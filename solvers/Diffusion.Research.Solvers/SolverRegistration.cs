namespace Diffusion.Research.Solvers;

/// <summary>One registry entry: a name, a one-line description, its parameters and a factory.</summary>
/// <param name="Name">Registry name.</param>
/// <param name="Description">One line.</param>
/// <param name="Parameters">Accepted parameters with defaults.</param>
/// <param name="Factory">Builds the solver from the complete parameter set (defaults filled in).</param>
public sealed record SolverRegistration(
    string Name,
    string Description,
    IReadOnlyList<SolverParameter> Parameters,
    Func<IReadOnlyDictionary<string, double>, Diffusion.Research.Sampling.ISolver> Factory);
