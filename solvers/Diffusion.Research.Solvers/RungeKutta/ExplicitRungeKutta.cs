using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;

namespace Diffusion.Research.Solvers;

/// <summary>
/// Fixed-step explicit Runge–Kutta for ODEs (b = 0), defined by a <see cref="Tableau"/>: Euler, Heun and
/// RK4 are this class with <see cref="Tableau.Euler"/>, <see cref="Tableau.Heun"/>,
/// <see cref="Tableau.RungeKutta4"/>. Reads only the drift. For sampling, use it on the
/// probability-flow ODE (lambda = 0; 001 eq 86).
/// </summary>
public sealed class ExplicitRungeKutta : FixedStepSolver
{
    /// <summary>A fixed-step solver for <paramref name="tableau"/>, registered as <paramref name="name"/>.</summary>
    public ExplicitRungeKutta(Tableau tableau, string? name = null, string? description = null)
    {
        ArgumentNullException.ThrowIfNull(tableau);
        Tableau = tableau;
        Traits = new SolverTraits(name ?? tableau.Name, tableau.Order, 0, IsStochastic: false, IsAdaptive: false,
            NfePerStep: tableau.Stages, RequiresDiffusionModel: false,
            description ?? $"Explicit Runge-Kutta '{tableau.Name}' (ODE, order {tableau.Order}, {tableau.Stages} drift evaluations per step).");
    }

    /// <summary>The method.</summary>
    public Tableau Tableau { get; }

    /// <inheritdoc />
    public override SolverTraits Traits { get; }

    /// <inheritdoc />
    protected override int Registers => RungeKuttaStages.Registers(Tableau);

    /// <inheritdoc />
    protected override void Validate(SamplingProblem problem, Batch x, TimeGrid grid) =>
        ProblemGuard.RequireOde(Traits.Name, problem.Dynamics, grid);

    /// <inheritdoc />
    protected override void Step(SamplingProblem problem, StepInfo step, Batch x, Workspace workspace)
    {
        RungeKuttaStages.Evaluate(problem.Dynamics, Tableau, step.Time, step.Dt, x, workspace, firstStageReady: false);
        // x_{n+1} = x_n + dt Σ b_j k_j (HNW I eq II.1.8), in place: the stages no longer read x.
        RungeKuttaStages.Combine(Tableau.B, step.Dt, x, workspace, x);
    }
}
