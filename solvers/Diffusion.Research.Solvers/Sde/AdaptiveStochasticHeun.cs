using System.Numerics.Tensors;
using Diffusion.Research.Numerics;
using Diffusion.Research.Registries;
using Diffusion.Research.Sampling;

namespace Diffusion.Research.Solvers;

/// <summary>
/// The adaptive SDE solver of Jolicoeur-Martineau, Li, Piché-Taillefer, Kachman, Mitliagkas 2021,
/// "Gotta Go Fast When Generating Data with Score-Based Models" (Alg. 1), on any dynamics
/// dx = a dt + b(t) dW: an Euler–Maruyama proposal x' and the stochastic improved-Euler solution x''
/// with the same noise (<see cref="StochasticHeun"/>), extrapolation (x'' is kept on acceptance),
/// the mixed tolerance δ = max(atol, rtol · max(|x'|, |x'_prev|)) with x'_prev the proposal of the
/// last accepted step, the error E = ||(x' − x'')/δ||₂ / sqrt(D) per particle (maximum over the batch),
/// and the rule h ← θ h E^(−r) (<see cref="PiController.JolicoeurMartineau"/>).
/// Noise of attempt k (accepted or rejected) is stream k, so rejected steps draw fresh noise as in the paper.
/// </summary>
public sealed class AdaptiveStochasticHeun : AdaptiveSolver
{
    private const int Drift0 = 0, Noise = 1, Proposal = 2, Drift1 = 3, Heun = 4, PreviousProposal = 5, Difference = 6;

    /// <summary>The solver with <paramref name="controller"/> (default: <see cref="PiController.JolicoeurMartineau"/>).</summary>
    public AdaptiveStochasticHeun(PiController? controller = null)
        : base(controller ?? PiController.JolicoeurMartineau)
    {
    }

    /// <inheritdoc />
    // The kept solution is the stochastic Heun step (weak 2, strong 1 for additive noise, the only kind IDynamics has).
    public override SolverTraits Traits { get; } = new("ggf", 2, 1.0, IsStochastic: true, IsAdaptive: true,
        NfePerStep: 2,
        "Adaptive SDE solver of Jolicoeur-Martineau et al. 2021 (EM + stochastic improved Euler, extrapolation).");

    /// <inheritdoc />
    protected override int Buffers => 7;

    /// <inheritdoc />
    protected override void Begin(SamplingProblem problem, Batch x, Workspace workspace) =>
        x.CopyTo(workspace.Buffer(PreviousProposal, x.Count)); // x'_prev = x at the start (Alg. 1)

    /// <inheritdoc />
    protected override AttemptResult Attempt(SamplingProblem problem, double t, double dt, int attempt, SolveOptions options, long firstParticle, Batch x, Workspace workspace)
    {
        var rows = x.Count;
        var z = workspace.Buffer(Noise, rows);
        options.FillGaussian((uint)attempt, firstParticle, z);
        var proposal = workspace.Buffer(Proposal, rows);
        var heun = workspace.Buffer(Heun, rows);
        StochasticHeun.Propose(problem.Dynamics, t, dt, x, z, workspace.Buffer(Drift0, rows), proposal, workspace.Buffer(Drift1, rows), heun);
        // GGF Alg. 1: δ = max(ε_abs, ε_rel max(|x'|, |x'_prev|)), E = ||(x' − x'')/δ||₂ / sqrt(D) per particle; max over particles.
        var difference = workspace.Buffer(Difference, rows);
        TensorPrimitives.Subtract(proposal.Values, heun.Values, difference.Values);
        var error = ErrorNorm.MaxOverParticles(difference, proposal, workspace.Buffer(PreviousProposal, rows), heun,
            options.RelativeTolerance, options.AbsoluteTolerance, ToleranceScale.Max);
        return new AttemptResult(error, 2);
    }

    /// <inheritdoc />
    protected override void Commit(Batch x, Workspace workspace)
    {
        var rows = x.Count;
        workspace.Buffer(Heun, rows).CopyTo(x); // extrapolation: continue from the higher-order x''
        workspace.Buffer(Proposal, rows).CopyTo(workspace.Buffer(PreviousProposal, rows));
    }

    /// <summary>Registers ggf (the registry reads name and description from the traits; <see cref="SolverRegistry.CreateDefault"/>).</summary>
    [SolverRegistration(50)]
    internal static void Register(SolverRegistry r) =>
        r.Register(p => new AdaptiveStochasticHeun(PiController.JolicoeurMartineau.WithSafety(p["safety"]).WithExponents(p["exponent"], 0)),
            ParameterSpec.Real("safety", 0.9, "theta in h <- theta h E^-r"), ParameterSpec.Real("exponent", 0.9, "r in h <- theta h E^-r") with { Argument = "alpha" });
}
