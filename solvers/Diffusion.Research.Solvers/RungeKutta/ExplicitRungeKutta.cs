using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;

namespace Diffusion.Research.Solvers;

/// <summary>
/// Fixed-step explicit Runge–Kutta for ODEs (b = 0), defined by a <see cref="Tableau"/>: Euler, Heun and
/// RK4 are this class with <see cref="Tableau.Euler"/>, <see cref="Tableau.Heun"/>,
/// <see cref="Tableau.RungeKutta4"/>. Reads only the drift. For sampling, use it on the
/// probability-flow ODE (lambda = 0; 001 eq 86; Song et al. 2021, eq (13)).
/// </summary>
public sealed class ExplicitRungeKutta : FixedStepSolver
{
    /// <summary>A fixed-step solver for <paramref name="tableau"/>, registered as <paramref name="name"/>.</summary>
    public ExplicitRungeKutta(Tableau tableau, string? name = null, string? description = null, ZeroNoiseEnd zeroNoiseEnd = ZeroNoiseEnd.FirstOrderLastStep)
    {
        ArgumentNullException.ThrowIfNull(tableau);
        Tableau = tableau;
        ZeroNoiseEnd = zeroNoiseEnd;
        Traits = new SolverTraits(name ?? tableau.Name, tableau.Order, 0, IsStochastic: false, IsAdaptive: false,
            NfePerStep: tableau.Stages,
            description ?? $"Explicit Runge-Kutta '{tableau.Name}' (ODE, order {tableau.Order}, {tableau.Stages} drift evaluations per step).");
    }

    /// <summary>The method.</summary>
    public Tableau Tableau { get; }

    /// <summary>The rule for a sampling grid that ends at σ = 0 (multi-stage tableaus only; see <see cref="Solvers.ZeroNoiseEnd"/>).</summary>
    public ZeroNoiseEnd ZeroNoiseEnd { get; }

    /// <inheritdoc />
    public override SolverTraits Traits { get; }

    // A reverse-time diffusion problem whose grid ends where the kernel's sigma is 0.
    private static bool EndsAtZeroNoise(SamplingProblem problem, TimeGrid grid) =>
        problem.Sde?.Kernel is { } kernel && grid.IsBackward && kernel.Sigma(grid.End) == 0;

    /// <inheritdoc />
    protected override int Buffers => RungeKuttaStages.Buffers(Tableau);

    /// <inheritdoc />
    protected override void Validate(SamplingProblem problem, Batch x, TimeGrid grid)
    {
        ProblemGuard.RequireOde(Traits.Name, problem.Dynamics, grid);
        if (Tableau.Stages > 1 && ZeroNoiseEnd == ZeroNoiseEnd.Refuse && EndsAtZeroNoise(problem, grid))
            throw new ArgumentException(
                $"Solver '{Traits.Name}': the grid ends at t = {grid.End} where sigma = 0; end at t_eps > 0, or take a first-order last step (EDM Alg. 1).",
                nameof(grid));
    }

    /// <inheritdoc />
    private protected override FusedChunk? Fuse(SamplingProblem problem, TimeGrid grid, SolveOptions options) =>
        FusedRungeKutta.TryCreate(Tableau, problem, grid, eulerLastStep: Tableau.Stages > 1 && EndsAtZeroNoise(problem, grid));

    /// <inheritdoc />
    protected override void Step(SamplingProblem problem, StepInfo step, Batch x, Workspace workspace)
    {
        if (Tableau.Stages > 1 && step.Index == step.Steps - 1 && EndsAtZeroNoise(problem, step.Grid))
        {
            // Last step into sigma = 0: Euler, first order (Karras et al. 2022 Alg. 1 lines 7-8; k-diffusion sample_heun).
            var k0 = workspace.Buffer(0, x.Count);
            problem.Dynamics.Drift(step.Time, x, k0);
            System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(k0.Values, step.Dt, x.Values, x.Values);
            return;
        }
        RungeKuttaStages.Evaluate(problem.Dynamics, Tableau, step.Time, step.Dt, x, workspace, firstStageReady: false);
        // x_{n+1} = x_n + dt Σ b_j k_j (HNW I eq II.1.8), in place: the stages no longer read x.
        RungeKuttaStages.Combine(Tableau.B, step.Dt, x, workspace, x);
    }

    /// <summary>Registers euler, heun and rk4 (the registry reads name and description from the traits; <see cref="SolverRegistry.CreateDefault"/>).</summary>
    [SolverRegistration(10)]
    internal static void Register(SolverRegistry r)
    {
        r.Register(_ => new ExplicitRungeKutta(Tableau.Euler, description: "Explicit Euler on the drift (ODE; sampling: the PF-ODE, lambda = 0)."));
        r.Register(_ => new ExplicitRungeKutta(Tableau.Heun, description: "Heun / explicit trapezoid (ODE)."));
        r.Register(_ => new ExplicitRungeKutta(Tableau.RungeKutta4, description: "Classical Runge-Kutta (ODE)."));
    }
}
