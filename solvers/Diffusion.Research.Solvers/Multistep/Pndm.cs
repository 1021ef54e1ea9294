using System.Numerics.Tensors;
using Diffusion.Research.Kernels;
using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;

namespace Diffusion.Research.Solvers;

/// <summary>
/// PNDM (Liu et al. 2022, "Pseudo Numerical Methods for Diffusion Models on Manifolds", Alg. 1 with the pseudo linear
/// multistep method of eq 12 and the pseudo Runge–Kutta start of eq 13). Every update is the transfer φ of eq 11, the
/// DDIM step, written in the EDM level σ̂ = σ_t/α_t and x̂ = x/α_t as φ(x̂, ε, t, s) = x̂ + (σ̂_s − σ̂_t) ε (Song, Meng,
/// Ermon 2021 eq 14; for VP algebraically eq 11, whose denominator rationalises to this). Steps 0–2 are pseudo
/// Runge–Kutta (eq 13): e1 = ε(x_t, t), x1 = φ(x_t, e1, t, t − δ/2), e2 = ε(x1, t − δ/2), x2 = φ(x_t, e2, t, t − δ/2),
/// e3 = ε(x2, t − δ/2), x3 = φ(x_t, e3, t, t − δ), e4 = ε(x3, t − δ), e' = (e1 + 2e2 + 2e3 + e4)/6,
/// x_{t−δ} = φ(x_t, e', t, t − δ), with t − δ/2 the midpoint in time of the grid step. Steps ≥ 3 are pseudo linear multistep
/// (eq 12): e' = (55 e_i − 59 e_{i−1} + 37 e_{i−2} − 9 e_{i−3})/24 with e_j = ε(x_{t_j}, t_j) (the first stage e1 of a
/// pseudo-RK step is its e_j). ε = −σ_t ∇log p_t (003 §3; Efron 2011; Karras et al. 2022, eq (3)). Four evaluations in each of
/// the first three steps, one after
/// (declared 1 NFE/step; the 9 extra are counted in the solve's NFE). The constant-step weights make it second order on
/// grids not uniform in σ̂, like <see cref="ImprovedPndm"/> (declared order 2).
/// </summary>
public sealed class Pndm : DiffusionSampler
{
    /// <summary>Number of pseudo Runge–Kutta start steps (Liu et al. 2022 Alg. 1: three, to fill the four-step history).</summary>
    public const int StartSteps = 3;

    /// <inheritdoc />
    public override SolverTraits Traits { get; } = new("pndm", 2, 0, IsStochastic: false, IsAdaptive: false, NfePerStep: 1,
        "PNDM (Liu et al. 2022 Alg. 1): 3 pseudo Runge-Kutta steps, then the pseudo linear multistep (Adams-Bashforth-4 on eps) with the DDIM transfer.");

    /// <inheritdoc />
    protected override int Buffers => 7;

    /// <inheritdoc />
    protected override long ExtraEvaluations(SamplingProblem problem, TimeGrid grid, int steps) => 3L * Math.Min(steps, StartSteps);

    /// <inheritdoc />
    protected override void Begin(DiffusionProblem problem, TimeGrid grid, Batch x, Workspace workspace) => workspace.History(0, 4).Clear();

    /// <inheritdoc />
    protected override void Step(DiffusionProblem problem, StepInfo step, Batch x, Workspace workspace)
    {
        var kernel = problem.Kernel;
        var rows = x.Count;
        var history = workspace.History(0, 4); // ε of the last four steps, newest first
        double t = step.Time, s = step.NextTime;
        double alphaT = kernel.Alpha(t), levelT = kernel.Sigma(t) / alphaT, levelS = kernel.Sigma(s) / kernel.Alpha(s);
        var e1 = history.Push(rows);
        var accumulated = workspace.Buffer(4, rows);
        var probe = workspace.Buffer(5, rows);
        var e = workspace.Buffer(6, rows);

        problem.PredictNoise(t, x, e1); // ε(x, t) = −σ_t s(x, t) (003 §3; Karras et al. 2022, eq (3))
        TensorPrimitives.Multiply(x.Values, 1 / alphaT, x.Values); // x̂_t
        if (history.Count <= StartSteps) // the first StartSteps steps: fewer than four ε to combine
        {
            // Pseudo Runge–Kutta (Liu et al. 2022 eq 13).
            var m = 0.5 * (t + s);
            double alphaM = kernel.Alpha(m), levelM = kernel.Sigma(m) / alphaM, alphaS = kernel.Alpha(s);
            TensorPrimitives.Multiply(e1.Values, 1.0 / 6, accumulated.Values);
            Transfer(x, e1, levelM - levelT, alphaM, probe);
            problem.PredictNoise(m, probe, e);
            TensorPrimitives.MultiplyAdd(e.Values, 1.0 / 3, accumulated.Values, accumulated.Values);
            Transfer(x, e, levelM - levelT, alphaM, probe);
            problem.PredictNoise(m, probe, e);
            TensorPrimitives.MultiplyAdd(e.Values, 1.0 / 3, accumulated.Values, accumulated.Values);
            Transfer(x, e, levelS - levelT, alphaS, probe);
            problem.PredictNoise(s, probe, e);
            TensorPrimitives.MultiplyAdd(e.Values, 1.0 / 6, accumulated.Values, accumulated.Values);
        }
        else
        {
            // Pseudo linear multistep (Liu et al. 2022 eq 12): Adams–Bashforth-4 weights (HNW I Table III.1.1).
            TensorPrimitives.Multiply(e1.Values, 55.0 / 24, accumulated.Values);
            TensorPrimitives.MultiplyAdd(history.Recent(1, rows).Values, -59.0 / 24, accumulated.Values, accumulated.Values);
            TensorPrimitives.MultiplyAdd(history.Recent(2, rows).Values, 37.0 / 24, accumulated.Values, accumulated.Values);
            TensorPrimitives.MultiplyAdd(history.Recent(3, rows).Values, -9.0 / 24, accumulated.Values, accumulated.Values);
        }
        // x_{t−δ} = φ(x_t, e', t, t − δ) (eq 11 as the DDIM step in σ̂), back to x = α_s x̂.
        TensorPrimitives.MultiplyAdd(accumulated.Values, levelS - levelT, x.Values, x.Values);
        TensorPrimitives.Multiply(x.Values, kernel.Alpha(s), x.Values);
    }

    // destination = α_τ (x̂ + Δσ̂ ε): the transfer to τ, returned in x (not x̂) for the next evaluation.
    private static void Transfer(Batch xHat, Batch eps, double deltaLevel, double alphaTau, Batch destination)
    {
        TensorPrimitives.MultiplyAdd(eps.Values, deltaLevel, xHat.Values, destination.Values);
        TensorPrimitives.Multiply(destination.Values, alphaTau, destination.Values);
    }

    /// <summary>Registers pndm (the registry reads name and description from the traits; <see cref="SolverRegistry.CreateDefault"/>).</summary>
    [SolverRegistration(200)]
    internal static void Register(SolverRegistry r) => r.Register(_ => new Pndm());
}
