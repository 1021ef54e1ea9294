namespace Diffusion.Research.Sampling;

/// <summary>
/// Declared properties of a solver, read back by the tests (fitted order) and by the tables. Whether a solver needs the
/// diffusion model (SDE, kernel, score) is its type: <see cref="IDiffusionSampler"/>.
/// </summary>
/// <param name="Name">Registry name, e.g. "heun".</param>
/// <param name="Order">Deterministic (ODE) order of convergence; for SDE solvers, the weak order.</param>
/// <param name="StrongOrder">Strong order for SDEs (0 when not applicable).</param>
/// <param name="IsStochastic">Injects noise.</param>
/// <param name="IsAdaptive">Chooses its own steps; the grid only gives the end points (and a first step).</param>
/// <param name="NfePerStep">Score or drift evaluations per accepted step.</param>
/// <param name="Description">One line for `diffusion list solvers`.</param>
public sealed record SolverTraits(
    string Name,
    int Order,
    double StrongOrder,
    bool IsStochastic,
    bool IsAdaptive,
    int NfePerStep,
    string Description);
