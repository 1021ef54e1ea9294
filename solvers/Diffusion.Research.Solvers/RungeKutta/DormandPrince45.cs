using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;

namespace Diffusion.Research.Solvers;

/// <summary>
/// Adaptive Dormand–Prince 5(4) for ODEs (Hairer–Nørsett–Wanner I §II.4–5): the <see cref="Tableau.DormandPrince45"/>
/// tableau run by the shared Runge–Kutta stages, FSAL (6 drift evaluations per step after the first),
/// error norm of HNW I eq II.4.11 per particle, sqrt(mean_d (e_d / (atol + rtol max(|x_d|, |x̃_d|)))²),
/// maximised over the batch, and the shared <see cref="PiController"/>.
/// </summary>
public sealed class DormandPrince45 : AdaptiveSolver
{
    private static readonly Tableau Method = Tableau.DormandPrince45;

    /// <summary>Dormand–Prince with <paramref name="controller"/> (default: <see cref="PiController.DormandPrince"/>).</summary>
    public DormandPrince45(PiController? controller = null)
        : base(controller ?? PiController.DormandPrince)
    {
    }

    /// <inheritdoc />
    public override SolverTraits Traits { get; } = new("dopri5", 5, 0, IsStochastic: false, IsAdaptive: true,
        NfePerStep: 6, RequiresDiffusionModel: false,
        "Adaptive Dormand-Prince 5(4) (ODE, order 5, FSAL, PI step control on rtol/atol).");

    // Registers: k_0..k_6, stage input (= candidate, FSAL), error estimate; Workspace.Primed: k_0 = a(x, t) is known.
    /// <inheritdoc />
    protected override int Registers => RungeKuttaStages.Registers(Method) + 1;

    private int ErrorRegister => Method.Stages + 1;

    /// <inheritdoc />
    protected override void Validate(SamplingProblem problem, Batch x, TimeGrid grid) =>
        ProblemGuard.RequireOde(Traits.Name, problem.Dynamics, grid);

    /// <inheritdoc />
    protected override void Begin(SamplingProblem problem, Batch x, Workspace workspace) =>
        workspace.Primed = false;

    /// <inheritdoc />
    protected override AttemptResult Attempt(SamplingProblem problem, double t, double dt, int attempt, SolveOptions options, long firstParticle, Batch x, Workspace workspace)
    {
        var rows = x.Count;
        var evaluations = RungeKuttaStages.Evaluate(problem.Dynamics, Method, t, dt, x, workspace, firstStageReady: workspace.Primed);
        workspace.Primed = true; // k_0 = a(x, t) stays valid after a rejection (same x and t)
        var candidate = workspace.Register(Method.Stages, rows); // FSAL: the last stage input is x + dt Σ b_j k_j
        var error = workspace.Register(ErrorRegister, rows);
        RungeKuttaStages.Combine(Method.E, dt, null, workspace, error);
        // HNW I eqs II.4.10–11: sc = atol + rtol max(|x|, |x̃|), per particle, then the maximum over particles.
        var norm = ErrorNorm.MaxOverParticles(error, x, candidate, candidate, options.RelativeTolerance, options.AbsoluteTolerance, ToleranceScale.Sum);
        return new AttemptResult(norm, evaluations);
    }

    /// <inheritdoc />
    protected override void Commit(Batch x, Workspace workspace)
    {
        var rows = x.Count;
        workspace.Register(Method.Stages, rows).CopyTo(x);
        workspace.Register(Method.Stages - 1, rows).CopyTo(workspace.Register(0, rows)); // FSAL: k_0 <- k_6 = a(x_new, t + dt)
    }
}
