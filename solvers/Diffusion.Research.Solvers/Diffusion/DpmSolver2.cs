using System.Numerics.Tensors;
using Diffusion.Research.Kernels;
using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;
using Diffusion.Research.Sde;

namespace Diffusion.Research.Solvers;

/// <summary>
/// DPM-Solver-2 (Lu, Zhou, Bao, Chen, Li, Zhu 2022, Alg. 1 with r = 1/2): a second-order exponential
/// integrator for the probability-flow ODE in λ = log(α/σ) (half the log-SNR, 003 Lemma 4.4.1).
/// From t to s with h = λ_s − λ_t and the midpoint m where λ_m = λ_t + h/2:
/// u = (α_m/α_t) x − σ_m (e^{h/2} − 1) ε̂(x, t),  x_s = (α_s/α_t) x − σ_s (e^h − 1) ε̂(u, m),
/// with ε̂ = −σ s (the noise prediction from the score). Deterministic; 2 score evaluations per step.
/// Any decreasing grid works; steps uniform in log-SNR (<see cref="LogSnrGrid"/>) are the paper's choice.
/// </summary>
public sealed class DpmSolver2 : DiffusionSampler
{
    /// <inheritdoc />
    public override SolverTraits Traits { get; } = new("dpm_solver_2", 2, 0, IsStochastic: false, IsAdaptive: false, NfePerStep: 2,
        "DPM-Solver-2 (second-order exponential integrator of the PF-ODE in log-SNR; Lu et al. 2022).");

    /// <inheritdoc />
    protected override int Buffers => 2;

    /// <inheritdoc />
    private protected override FusedChunk? Fuse(SamplingProblem problem, TimeGrid grid, SolveOptions options) => FusedDpmSolver2.TryCreate(problem, grid);

    /// <inheritdoc />
    protected override void Step(DiffusionProblem problem, StepInfo step, Batch x, Workspace workspace)
    {
        var kernel = problem.Kernel;
        double t = step.Time, s = step.NextTime;
        double alphaT = kernel.Alpha(t), sigmaT = kernel.Sigma(t), alphaS = kernel.Alpha(s), sigmaS = kernel.Sigma(s);
        var lambdaT = 0.5 * kernel.LogSnr(t);
        var h = 0.5 * kernel.LogSnr(s) - lambdaT;
        var m = kernel.TimeAtLogSnr(2 * (lambdaT + 0.5 * h), s, t);
        double alphaM = kernel.Alpha(m), sigmaM = kernel.Sigma(m);

        var score = workspace.Buffer(0, x.Count);
        var u = workspace.Buffer(1, x.Count);
        // u = (α_m/α_t) x − σ_m (e^{h/2} − 1) ε̂(x, t),  ε̂ = −σ_t s(x, t)
        problem.Score.Score(t, x, score);
        TensorPrimitives.Multiply(x.Values, alphaM / alphaT, u.Values);
        TensorPrimitives.MultiplyAdd(score.Values, sigmaM * ElementaryFunctions.Expm1(0.5 * h) * sigmaT, u.Values, u.Values);
        // x_s = (α_s/α_t) x − σ_s (e^h − 1) ε̂(u, m),  ε̂ = −σ_m s(u, m)
        problem.Score.Score(m, u, score);
        TensorPrimitives.Multiply(x.Values, alphaS / alphaT, x.Values);
        TensorPrimitives.MultiplyAdd(score.Values, sigmaS * ElementaryFunctions.Expm1(h) * sigmaM, x.Values, x.Values);
    }

    /// <summary>Registers dpm_solver_2 (the registry reads name and description from the traits; <see cref="SolverRegistry.CreateDefault"/>).</summary>
    [SolverRegistration(100)]
    internal static void Register(SolverRegistry r) => r.Register(_ => new DpmSolver2());
}
