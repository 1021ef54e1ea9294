using System.Numerics.Tensors;
using Diffusion.Research.Kernels;
using Diffusion.Research.Numerics;
using Diffusion.Research.Registries;
using Diffusion.Research.Sampling;

namespace Diffusion.Research.Solvers;

/// <summary>
/// Adaptive DPM-Solver-12 and -23 (Lu et al. 2022, §3.4 and App. C, Alg. 4 and 5; dpm_solver_pytorch
/// <c>dpm_solver_adaptive</c>): a step of size h in λ = log(α/σ) from s to t = λ⁻¹(λ_s + h) computes the lower-order solution
/// x_L (DPM-Solver-1 for k = 2; DPM-Solver-2 with r1 = 1/3 for k = 3) and the higher-order one x_H (DPM-Solver-2 with
/// r1 = 1/2, or DPM-Solver-3 with r1 = 1/3, r2 = 2/3) sharing the model evaluations (k per attempt). Error control as in
/// Gotta Go Fast (Jolicoeur-Martineau et al. 2021, the paper's reference for it): δ = max(atol, rtol·max(|x_L|, |x_prev|)),
/// E = max over particles of the RMS of (x_H − x_L)/δ; accept (x ← x_H, x_prev ← x_L) when E ≤ 1; in every case
/// h ← min(θ h E^(−1/k), λ_0 − λ_s) (Alg. 4 line 8; θ = 0.9, exponent 1/k); stop when |s − t_0| ≤ t_err.
/// rtol/atol are the solve options' tolerances (the paper uses atol = 0.0078, rtol = 0.05). The batch is processed serially
/// with one step for all particles (bit-identical for any thread count and chunk size). Noise or data prediction.
/// </summary>
public sealed class AdaptiveDpmSolver : IDiffusionSampler
{
    /// <summary>DPM-Solver-(k−1)k adaptive of order <paramref name="order"/> (2 or 3).</summary>
    public AdaptiveDpmSolver(int order, ModelPrediction prediction, double hInit = 0.05, double theta = 0.9, double tErr = 1e-5, bool float32StepSize = false)
    {
        if (order is not (2 or 3)) throw new ArgumentOutOfRangeException(nameof(order), order, "order must be 2 or 3.");
        if (!(hInit > 0) || !double.IsFinite(hInit)) throw new ArgumentOutOfRangeException(nameof(hInit), hInit, "h_init must be finite and > 0.");
        if (!(theta > 0 && theta <= 1)) throw new ArgumentOutOfRangeException(nameof(theta), theta, "theta must lie in (0, 1].");
        if (!(tErr > 0) || !double.IsFinite(tErr)) throw new ArgumentOutOfRangeException(nameof(tErr), tErr, "t_err must be finite and > 0.");
        Order = order;
        Prediction = prediction;
        HInit = hInit;
        Theta = theta;
        TErr = tErr;
        Float32StepSize = float32StepSize;
        Traits = new SolverTraits("dpm_solver_adaptive", order, 0, IsStochastic: false, IsAdaptive: true, NfePerStep: order,
            $"Adaptive DPM-Solver-{order - 1}{order} (Lu et al. 2022 Alg. 4/5).");
    }

    /// <summary>Order k of the higher-order solution (2 or 3).</summary>
    public int Order { get; }

    /// <summary>Noise or data prediction.</summary>
    public ModelPrediction Prediction { get; }

    /// <summary>Initial step in λ.</summary>
    public double HInit { get; }

    /// <summary>Safety factor θ.</summary>
    public double Theta { get; }

    /// <summary>Stop when |s − t_0| ≤ t_err.</summary>
    public double TErr { get; }

    /// <summary>Round E^(−1/k) to float32, as dpm_solver_pytorch's <c>.float()</c> does (reference compatibility).</summary>
    public bool Float32StepSize { get; }

    /// <inheritdoc />
    public SolverTraits Traits { get; }

    /// <inheritdoc />
    public Solution Solve(SamplingProblem problem, Batch x, TimeGrid grid, SolveOptions options)
    {
        ProblemGuard.Check(this, problem, x, grid, options);
        if (options.SaveAt is { Every: 0 })
            throw new ArgumentException($"{Traits.Name} steps in lambda and cannot land on given times; save with SaveAt.EverySteps.", nameof(options));
        var diffusion = problem.Diffusion;
        var kernel = diffusion.Kernel;
        double rtol = options.RelativeTolerance, atol = options.AbsoluteTolerance;
        var rows = x.Count;
        var w = new Workspace(7, rows, x.Dimension);
        Batch scratch = w.Buffer(0, rows), m = w.Buffer(1, rows), m1 = w.Buffer(2, rows), u = w.Buffer(3, rows),
            lower = w.Buffer(4, rows), higher = w.Buffer(5, rows), previous = w.Buffer(6, rows);
        x.CopyTo(previous);
        double s = grid.Start, t0 = grid.End;
        double lambdaS = PhiFunctions.Lambda(kernel, s), lambda0 = PhiFunctions.Lambda(kernel, t0), h = HInit;
        long nfe = 0, accepted = 0, rejected = 0;
        var observed = options.IsObserved;
        if (observed) options.Observe(0, s, x, 0);
        var data = Prediction == ModelPrediction.Data;
        var sg = data ? -1.0 : 1.0;
        double A(double time) => data ? kernel.Sigma(time) : kernel.Alpha(time);
        double B(double time) => data ? kernel.Alpha(time) : kernel.Sigma(time);
        while (Math.Abs(s - t0) > TErr)
        {
            if (accepted + rejected >= options.MaxSteps)
                return new Solution(x, SolveStatus.MaxStepsExceeded, new SolverStatistics(nfe, accepted, rejected), s, $"{Traits.Name}: step budget of {options.MaxSteps} used up at t = {s}.");
            // t = λ⁻¹(λ_s + h); the step capped at λ_0 − λ_s lands on t_0 itself (the reference inverts λ in closed form).
            var t = h == lambda0 - lambdaS ? t0 : kernel.TimeAtLogSnr(2 * (lambdaS + h), t0, s);
            var hs = PhiFunctions.Lambda(kernel, t) - lambdaS; // the step actually taken (= h up to the inverse's rounding)
            double r1 = Order == 2 ? 0.5 : 1.0 / 3, r2 = 2.0 / 3;
            PredictionEvaluation.Evaluate(diffusion, Prediction, s, x, scratch, m);
            var t1 = kernel.TimeAtLogSnr(2 * (lambdaS + r1 * hs), t, s);
            // u1 = (a_1/a_s) x − b_1 expm1(sg r1 h) m_s (Lu et al. 2022 Alg. 1 line 4 / Alg. 2 line 4)
            TensorPrimitives.Multiply(x.Values, A(t1) / A(s), u.Values);
            TensorPrimitives.MultiplyAdd(m.Values, -B(t1) * Sde.ElementaryFunctions.Expm1(sg * r1 * hs), u.Values, u.Values);
            var e1 = Sde.ElementaryFunctions.Expm1(sg * hs);
            if (Order == 2)
            {
                // x_L: DPM-Solver-1 (eq 3.7); x_H: DPM-Solver-2 with r1 = 1/2 (Alg. 1 line 5), sharing m_s.
                TensorPrimitives.Multiply(x.Values, A(t) / A(s), lower.Values);
                TensorPrimitives.MultiplyAdd(m.Values, -B(t) * e1, lower.Values, lower.Values);
                PredictionEvaluation.Evaluate(diffusion, Prediction, t1, u, scratch, m1);
                var d = -B(t) * e1 * 0.5 / r1;
                TensorPrimitives.Multiply(x.Values, A(t) / A(s), higher.Values);
                TensorPrimitives.MultiplyAdd(m.Values, -B(t) * e1 - d, higher.Values, higher.Values);
                TensorPrimitives.MultiplyAdd(m1.Values, d, higher.Values, higher.Values);
            }
            else
            {
                PredictionEvaluation.Evaluate(diffusion, Prediction, t1, u, scratch, m1);
                // x_L: DPM-Solver-2 with r1 = 1/3 (Alg. 1 line 5 at r1 = 1/3)
                var d = -B(t) * e1 * 0.5 / r1;
                TensorPrimitives.Multiply(x.Values, A(t) / A(s), lower.Values);
                TensorPrimitives.MultiplyAdd(m.Values, -B(t) * e1 - d, lower.Values, lower.Values);
                TensorPrimitives.MultiplyAdd(m1.Values, d, lower.Values, lower.Values);
                // x_H: DPM-Solver-3 (Alg. 2 lines 5-7), reusing m_s and m_1.
                var t2 = kernel.TimeAtLogSnr(2 * (lambdaS + r2 * hs), t, s);
                var e2 = Sde.ElementaryFunctions.Expm1(sg * r2 * hs);
                var phi22 = e2 / (sg * r2 * hs) - 1;
                var c = -B(t2) * (r2 / r1) * phi22;
                TensorPrimitives.Multiply(x.Values, A(t2) / A(s), u.Values);
                TensorPrimitives.MultiplyAdd(m.Values, -B(t2) * e2 - c, u.Values, u.Values);
                TensorPrimitives.MultiplyAdd(m1.Values, c, u.Values, u.Values);
                var m2 = m1; // m_1 is no longer needed
                PredictionEvaluation.Evaluate(diffusion, Prediction, t2, u, scratch, m2);
                var phi2 = e1 / (sg * hs) - 1;
                var d3 = -B(t) * phi2 / r2;
                TensorPrimitives.Multiply(x.Values, A(t) / A(s), higher.Values);
                TensorPrimitives.MultiplyAdd(m.Values, -B(t) * e1 - d3, higher.Values, higher.Values);
                TensorPrimitives.MultiplyAdd(m2.Values, d3, higher.Values, higher.Values);
            }
            nfe += Order;

            // E = max_p RMS((x_H − x_L)/δ), δ = max(atol, rtol max(|x_L|, |x_prev|)) (Alg. 4 lines 5-6).
            var error = 0.0;
            for (var p = 0; p < rows; p++)
            {
                var sum = 0.0;
                for (var j = 0; j < x.Dimension; j++)
                {
                    var k = p * x.Dimension + j;
                    var delta = Math.Max(atol, rtol * Math.Max(Math.Abs(lower.Values[k]), Math.Abs(previous.Values[k])));
                    var r = (higher.Values[k] - lower.Values[k]) / delta;
                    sum += r * r;
                }
                var e = Math.Sqrt(sum / x.Dimension);
                error = double.IsNaN(e) || double.IsNaN(error) ? double.NaN : Math.Max(error, e);
            }
            if (double.IsNaN(error))
            {
                // A non-finite candidate rejects the step and shrinks h tenfold (not in the paper; as the other adaptive
                // solvers treat a non-finite state like a huge error); NonFinite once h falls below MinStepSize.
                rejected++;
                h *= 0.1;
                if (h < options.MinStepSize)
                    return new Solution(x, SolveStatus.NonFinite, new SolverStatistics(nfe, accepted, rejected), s, $"{Traits.Name}: non-finite state in every step from t = {s}.");
                continue;
            }
            if (error <= 1)
            {
                higher.CopyTo(x);
                lower.CopyTo(previous);
                s = t;
                lambdaS = PhiFunctions.Lambda(kernel, s);
                accepted++;
                if (observed) options.Observe((int)Math.Min(accepted, int.MaxValue), s, x, 0);
            }
            else rejected++;
            // h ← min(θ h E^(−1/k), λ_0 − λ_s) (Alg. 4 line 8).
            var factor = Math.Pow(error, -1.0 / Order);
            if (Float32StepSize) factor = (float)factor; // dpm_solver_pytorch: torch.float_power(E, -1/k).float()
            h = Math.Min(Theta * h * factor, lambda0 - lambdaS);
            if (!(h > 0) && Math.Abs(s - t0) > TErr)
                return new Solution(x, SolveStatus.StepSizeCollapse, new SolverStatistics(nfe, accepted, rejected), s, $"{Traits.Name}: step size {h} in lambda at t = {s}.");
        }
        return new Solution(x, SolveStatus.Success, new SolverStatistics(nfe, accepted, rejected), s, null);
    }

    /// <summary>Registers dpm_solver_adaptive (the registry reads name and description from the traits; <see cref="SolverRegistry.CreateDefault"/>).</summary>
    [SolverRegistration(210)]
    internal static void Register(SolverRegistry r) =>
        r.Register(p => new AdaptiveDpmSolver(p.Integer("order"), p.Integer("data_prediction") != 0 ? ModelPrediction.Data : ModelPrediction.Noise, p["h_init"], p["theta"], p["t_err"], p.Integer("float32_step") != 0),
            ParameterSpec.Integer("order", 3, "2 (DPM-Solver-12) or 3 (DPM-Solver-23)"), ParameterSpec.Integer("data_prediction", 0, "1: DPM-Solver++ updates"),
            ParameterSpec.Real("h_init", 0.05, "first step in lambda"), ParameterSpec.Real("theta", 0.9, "safety factor"),
            ParameterSpec.Real("t_err", 1e-5, "stop when |t - t_end| <= t_err"),
            ParameterSpec.Integer("float32_step", 0, "1: round E^(-1/k) to float32 as dpm_solver_pytorch does"));
}
