using System.Numerics.Tensors;
using Diffusion.Research.Kernels;
using Diffusion.Research.Numerics;
using Diffusion.Research.Registries;
using Diffusion.Research.Sampling;

namespace Diffusion.Research.Solvers;

/// <summary>
/// The sampler of Karras et al. 2022 (Alg. 2; Alg. 1 without churn): Heun's method on the probability-flow
/// ODE written in the EDM noise level σ = σ_t/α_t and the scaled state x̂ = x/α_t, where it reads
/// dx̂/dσ = (x̂ − D(x̂; σ))/σ = −σ α_t s(α_t x̂, t) (D the denoiser, D = x̂ + σ² ∇log p̂ by Tweedie, 003 §3; Efron 2011;
/// Karras et al. 2022, eq (3)),
/// with optional <see cref="Churn"/> before each step. For VE (α = 1) this is Alg. 2 verbatim.
/// Two score evaluations per step (the grid ends at t_eps &gt; 0, so the last step is Heun too). The per-step numbers
/// (α, σ, the churned level and its time, found by bisection) are computed once per grid, not per step and chunk.
/// </summary>
public sealed class EdmHeun : DiffusionSampler
{
    /// <summary>The sampler with <paramref name="churn"/> (default: none, deterministic).</summary>
    public EdmHeun(Churn? churn = null)
    {
        Churn = churn ?? Churn.None;
        Churn.Validate();
        Traits = new SolverTraits("edm", 2, Churn.IsDeterministic ? 0 : 0.5, IsStochastic: !Churn.IsDeterministic, IsAdaptive: false, NfePerStep: 2,
            "EDM sampler (Karras et al. 2022 Alg. 2): Heun in sigma with optional churn.");
    }

    /// <summary>The churn settings.</summary>
    public Churn Churn { get; }

    /// <inheritdoc />
    public override SolverTraits Traits { get; }

    /// <inheritdoc />
    protected override int Buffers => 4;

    // The coefficients of the last grid solved (read by every chunk; replaced whole, so concurrent solves on other grids
    // stay correct: a step whose grid or problem is not the plan's computes its coefficients itself, with the same code).
    private volatile Plan? _plan;

    /// <inheritdoc />
    protected override void Validate(DiffusionProblem problem, Batch x, TimeGrid grid)
    {
        if (_plan is not { } plan || !plan.Matches(problem, grid)) _plan = new Plan(problem, grid, Churn);
    }

    /// <inheritdoc />
    protected override void Step(DiffusionProblem problem, StepInfo step, Batch x, Workspace workspace)
    {
        var plan = _plan;
        var c = plan is not null && plan.Matches(problem, step.Grid) ? plan.Steps[step.Index] : EdmStep.Of(problem.Sde, problem.Kernel, step.Grid, step.Index, Churn);
        var rows = x.Count;

        // x̂ = x/α_t, in place.
        TensorPrimitives.Multiply(x.Values, 1 / c.AlphaT, x.Values);

        // Churn (Karras Alg. 2 lines 4–6): x̂ += sqrt(σ̂² − σ²) S_noise z at the raised level σ̂ (precomputed).
        if (c.Noise > 0) step.AddNoise((uint)step.Index, c.Noise, workspace.Buffer(3, rows), x);

        HeunInSigma(problem.Score, c.THat, c.SigmaHat, c.AlphaHat, step.NextTime, c.SigmaNext, c.AlphaS, x,
            workspace.Buffer(0, rows), workspace.Buffer(1, rows), workspace.Buffer(2, rows));

        // Back to x = α_s x̂.
        TensorPrimitives.Multiply(x.Values, c.AlphaS, x.Values);
    }

    /// <summary>The per-step numbers of Karras et al. 2022 Alg. 2 on one grid, computed once per (problem, grid).</summary>
    private sealed class Plan
    {
        private readonly DiffusionProblem _problem;
        private readonly TimeGrid _grid;

        public Plan(DiffusionProblem problem, TimeGrid grid, Churn churn)
        {
            _problem = problem;
            _grid = grid;
            Steps = new EdmStep[grid.Steps];
            for (var i = 0; i < Steps.Length; i++) Steps[i] = EdmStep.Of(problem.Sde, problem.Kernel, grid, i, churn);
        }

        public EdmStep[] Steps { get; }

        public bool Matches(DiffusionProblem problem, TimeGrid grid) => ReferenceEquals(problem, _problem) && ReferenceEquals(grid, _grid);
    }

    /// <summary>
    /// One Heun step on x̂ (in place) from (t̂, σ̂) to (s, σ_next) (Karras et al. 2022 Alg. 2 lines 7–11); shared with
    /// <see cref="RestartSampler"/>, whose ODE part is this sampler. score, d and probe are scratch of x̂'s shape.
    /// </summary>
    internal static void HeunInSigma(Scores.IScoreModel scoreModel, IKernel kernel, double tHat, double sigmaHat, double s, double sigmaNext,
        Batch x, Batch score, Batch d, Batch probe) =>
        HeunInSigma(scoreModel, tHat, sigmaHat, kernel.Alpha(tHat), s, sigmaNext, kernel.Alpha(s), x, score, d, probe);

    // The step with α(t̂) and α(s) given (EdmHeun's per-grid plan).
    private static void HeunInSigma(Scores.IScoreModel scoreModel, double tHat, double sigmaHat, double alphaHat, double s, double sigmaNext, double alphaS,
        Batch x, Batch score, Batch d, Batch probe)
    {
        // d = −σ̂ α(t̂) s(α(t̂) x̂, t̂)   (Alg. 2 line 7)
        Slope(scoreModel, tHat, sigmaHat, alphaHat, x, probe, score, d);
        // Euler: x̂' = x̂ + (σ_{i+1} − σ̂) d   (line 8), kept in probe
        var h = sigmaNext - sigmaHat;
        TensorPrimitives.MultiplyAdd(d.Values, h, x.Values, probe.Values);
        // Heun correction (lines 9–11): x̂_{i+1} = x̂ + h (d + d')/2
        TensorPrimitives.MultiplyAdd(d.Values, 0.5 * h, x.Values, x.Values);
        Slope(scoreModel, s, sigmaNext, alphaS, probe, probe, score, d);
        TensorPrimitives.MultiplyAdd(d.Values, 0.5 * h, x.Values, x.Values);
    }

    // dx̂/dσ at (x̂, σ) with σ = σ_t/α_t: −σ α_t s(α_t x̂, t). scaled may alias xHat (its value is then overwritten).
    private static void Slope(Scores.IScoreModel scoreModel, double t, double sigma, double alpha, Batch xHat, Batch scaled, Batch score, Batch destination)
    {
        TensorPrimitives.Multiply(xHat.Values, alpha, scaled.Values);
        scoreModel.Score(t, scaled, score);
        TensorPrimitives.Multiply(score.Values, -sigma * alpha, destination.Values);
    }

    /// <summary>Registers edm (the registry reads name and description from the traits; <see cref="SolverRegistry.CreateDefault"/>).</summary>
    [SolverRegistration(110)]
    internal static void Register(SolverRegistry r) =>
        r.Register(p => new EdmHeun(new Churn(p["s_churn"], p["s_tmin"], p["s_tmax"], p["s_noise"])),
            ParameterSpec.Real("s_churn", 0, "total churn (0: deterministic)"), ParameterSpec.Real("s_tmin", 0, "lowest churned sigma"),
            ParameterSpec.Real("s_tmax", double.PositiveInfinity, "highest churned sigma"), ParameterSpec.Real("s_noise", 1, "churn noise scale"));
}
