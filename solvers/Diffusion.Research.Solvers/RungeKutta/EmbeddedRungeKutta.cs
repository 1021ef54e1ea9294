using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;

namespace Diffusion.Research.Solvers;

/// <summary>
/// The adaptive explicit Runge–Kutta solver of any embedded pair, given its <see cref="Tableau"/> (with error
/// weights E = b − b̂): the shared Runge–Kutta stages, the error norm of Hairer–Nørsett–Wanner I eq II.4.11 per
/// particle, sqrt(mean_d (e_d / (atol + rtol max(|x_d|, |x̃_d|)))²), maximised over the batch, and the shared
/// <see cref="PiController"/> (by default with exponents from the pair's error order,
/// <see cref="PiController.ForErrorOrder"/>). FSAL tableaus reuse the last stage as the next first stage.
/// Adding a pair is a tableau and one registration line (docs/architecture.md).
/// </summary>
public class EmbeddedRungeKutta : AdaptiveSolver
{
    private readonly Tableau _method;
    private readonly int _candidateRegister;
    private readonly int _errorRegister;

    /// <summary>
    /// The adaptive solver of <paramref name="tableau"/> with <paramref name="controller"/> (default: PI with exponents
    /// from the embedded order); <paramref name="name"/> and <paramref name="description"/> default to the tableau's.
    /// </summary>
    public EmbeddedRungeKutta(Tableau tableau, PiController? controller = null, string? name = null, string? description = null)
        : base(ControllerFor(tableau, controller))
    {
        _method = tableau;
        // Buffers: k_0..k_{s-1}, stage input (the candidate of an FSAL pair), [candidate], error estimate.
        _candidateRegister = tableau.FirstSameAsLast ? tableau.Stages : tableau.Stages + 1;
        _errorRegister = _candidateRegister + 1;
        Traits = new SolverTraits(name ?? tableau.Name, tableau.Order, 0, IsStochastic: false, IsAdaptive: true,
            NfePerStep: tableau.FirstSameAsLast ? tableau.Stages - 1 : tableau.Stages,
            description ?? $"Adaptive embedded Runge-Kutta {tableau.Name} (ODE, order {tableau.Order}({tableau.EmbeddedOrder}), PI step control on rtol/atol).");
    }

    /// <summary>The pair.</summary>
    public Tableau Tableau => _method;

    /// <inheritdoc />
    public override SolverTraits Traits { get; }

    /// <inheritdoc />
    protected override int Buffers => _errorRegister + 1;

    /// <inheritdoc />
    protected override int ErrorOrder => _method.EmbeddedOrder;

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
        var evaluations = RungeKuttaStages.Evaluate(problem.Dynamics, _method, t, dt, x, workspace, firstStageReady: workspace.Primed);
        workspace.Primed = true; // k_0 = a(x, t) stays valid after a rejection (same x and t)
        var candidate = workspace.Buffer(_candidateRegister, rows);
        // FSAL: the last stage input is x + dt Σ b_j k_j already; otherwise combine it.
        if (!_method.FirstSameAsLast) RungeKuttaStages.Combine(_method.B, dt, x, workspace, candidate);
        var error = workspace.Buffer(_errorRegister, rows);
        RungeKuttaStages.Combine(_method.E, dt, null, workspace, error);
        // HNW I eqs II.4.10–11: sc = atol + rtol max(|x|, |x̃|), per particle, then the maximum over particles.
        var norm = ErrorNorm.MaxOverParticles(error, x, candidate, candidate, options.RelativeTolerance, options.AbsoluteTolerance, ToleranceScale.Sum);
        return new AttemptResult(norm, evaluations);
    }

    /// <inheritdoc />
    protected override void Commit(Batch x, Workspace workspace)
    {
        var rows = x.Count;
        workspace.Buffer(_candidateRegister, rows).CopyTo(x);
        if (_method.FirstSameAsLast)
            workspace.Buffer(_method.Stages - 1, rows).CopyTo(workspace.Buffer(0, rows)); // FSAL: k_0 <- k_last = a(x_new, t + dt)
        else
            workspace.Primed = false;
    }

    // The tableau is checked whether or not a controller is given (the controller's default comes from its embedded order).
    private static PiController ControllerFor(Tableau tableau, PiController? controller)
    {
        var order = Embedded(tableau);
        return controller ?? PiController.ForErrorOrder(order);
    }

    private static int Embedded(Tableau tableau)
    {
        ArgumentNullException.ThrowIfNull(tableau);
        if (!tableau.HasErrorEstimate || tableau.EmbeddedOrder < 1)
            throw new ArgumentException($"Tableau '{tableau.Name}' has no embedded error estimate; an adaptive solver needs a pair.", nameof(tableau));
        return tableau.EmbeddedOrder;
    }
}
