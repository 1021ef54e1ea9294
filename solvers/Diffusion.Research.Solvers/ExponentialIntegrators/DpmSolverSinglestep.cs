using System.Numerics.Tensors;
using Diffusion.Research.Kernels;
using Diffusion.Research.Numerics;
using Diffusion.Research.Registries;
using Diffusion.Research.Sampling;

namespace Diffusion.Research.Solvers;

/// <summary>
/// Singlestep DPM-Solver-k (Lu et al. 2022, Alg. 1 (k = 2) and Alg. 2 (k = 3), eq 3.7 for k = 1) and
/// DPM-Solver++(kS) (Lu et al. 2022b Alg. 1 for k = 2; App. B for k = 3), with intermediate points at
/// λ_t + r_j h (k = 2: r1 = 1/2; k = 3: r1 = 1/3, r2 = 2/3), as in dpm_solver_pytorch's
/// <c>singlestep_dpm_solver_{first,second,third}_update</c> with <c>solver_type="dpmsolver"</c>. Noise prediction, k = 3:
/// u1 = (α_1/α_t) x − σ_1 expm1(r1 h) ε_t; u2 = (α_2/α_t) x − σ_2 expm1(r2 h) ε_t − (r2/r1) σ_2 (expm1(r2 h)/(r2 h) − 1)(ε_1 − ε_t);
/// x_s = (α_s/α_t) x − σ_s expm1(h) ε_t − (1/r2) σ_s (expm1(h)/h − 1)(ε_2 − ε_t).
/// Data prediction replaces (α, σ, h) by (σ, α, −h) in the ratios and exponents and flips the sign of the corrections.
/// k model evaluations per step.
/// </summary>
public sealed class DpmSolverSinglestep : DiffusionSampler
{
    /// <summary>The solver of order <paramref name="order"/> (1–3).</summary>
    public DpmSolverSinglestep(string name, int order, ModelPrediction prediction)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (order is < 1 or > 3) throw new ArgumentOutOfRangeException(nameof(order), order, "order must be 1, 2 or 3.");
        Order = order;
        Prediction = prediction;
        var kind = prediction == ModelPrediction.Data ? $"DPM-Solver++({order}S)" : $"DPM-Solver-{order}";
        Traits = new SolverTraits(name, order, 0, IsStochastic: false, IsAdaptive: false, NfePerStep: order,
            $"{kind} singlestep (Lu et al. 2022 Alg. 1-2; 2022b Alg. 1).");
    }

    /// <summary>Order k.</summary>
    public int Order { get; }

    /// <summary>Noise or data prediction.</summary>
    public ModelPrediction Prediction { get; }

    /// <inheritdoc />
    public override SolverTraits Traits { get; }

    // 0: score scratch, 1: m_t, 2: m_1, 3: m_2, 4: intermediate state.
    /// <inheritdoc />
    protected override int Buffers => 5;

    /// <inheritdoc />
    protected override void Step(DiffusionProblem problem, StepInfo step, Batch x, Workspace workspace)
    {
        var kernel = problem.Kernel;
        var rows = x.Count;
        double t = step.Time, s = step.NextTime;
        var lambdaT = PhiFunctions.Lambda(kernel, t);
        var h = PhiFunctions.Lambda(kernel, s) - lambdaT;
        var scratch = workspace.Buffer(0, rows);
        var m = workspace.Buffer(1, rows);
        var u = workspace.Buffer(4, rows);
        var data = Prediction == ModelPrediction.Data;
        // sign = +1 for noise prediction, −1 for data prediction; "a" is the ratio of the propagated coefficient, "b" the model's.
        var sg = data ? -1.0 : 1.0;
        double A(double time) => data ? kernel.Sigma(time) : kernel.Alpha(time);
        double B(double time) => data ? kernel.Alpha(time) : kernel.Sigma(time);
        PredictionEvaluation.Evaluate(problem, Prediction, t, x, scratch, m);
        double r1 = Order == 2 ? 0.5 : 1.0 / 3, r2 = 2.0 / 3;

        if (Order >= 2)
        {
            var t1 = TimeAt(kernel, lambdaT + r1 * h, s, t);
            // u1 = (a_1/a_t) x − b_1 expm1(sg r1 h) m_t   (Lu et al. 2022 Alg. 1 line 4 / 2022b Alg. 1 line 3)
            TensorPrimitives.Multiply(x.Values, A(t1) / A(t), u.Values);
            TensorPrimitives.MultiplyAdd(m.Values, -B(t1) * Sde.ElementaryFunctions.Expm1(sg * r1 * h), u.Values, u.Values);
            var m1 = workspace.Buffer(2, rows);
            PredictionEvaluation.Evaluate(problem, Prediction, t1, u, scratch, m1);
            if (Order == 3)
            {
                var t2 = TimeAt(kernel, lambdaT + r2 * h, s, t);
                var e2 = Sde.ElementaryFunctions.Expm1(sg * r2 * h);
                var phi22 = e2 / (sg * r2 * h) - 1; // noise: expm1(r2h)/(r2h) − 1; data: −(expm1(−r2h)/(r2h) + 1)
                // u2 = (a_2/a_t) x − b_2 e2 m_t − sg (r2/r1) b_2 φ22' (m_1 − m_t)   (Alg. 2 line 5)
                var c = -B(t2) * (r2 / r1) * phi22;
                TensorPrimitives.Multiply(x.Values, A(t2) / A(t), u.Values);
                TensorPrimitives.MultiplyAdd(m.Values, -B(t2) * e2 - c, u.Values, u.Values);
                TensorPrimitives.MultiplyAdd(m1.Values, c, u.Values, u.Values);
                var m2 = workspace.Buffer(3, rows);
                PredictionEvaluation.Evaluate(problem, Prediction, t2, u, scratch, m2);
                // x_s = (a_s/a_t) x − b_s e1 m_t − (1/r2) b_s φ2' (m_2 − m_t)   (Alg. 2 line 7)
                var e1 = Sde.ElementaryFunctions.Expm1(sg * h);
                var phi2 = e1 / (sg * h) - 1;
                var d = -B(s) * phi2 / r2;
                TensorPrimitives.Multiply(x.Values, A(s) / A(t), x.Values);
                TensorPrimitives.MultiplyAdd(m.Values, -B(s) * e1 - d, x.Values, x.Values);
                TensorPrimitives.MultiplyAdd(m2.Values, d, x.Values, x.Values);
            }
            else
            {
                // x_s = (a_s/a_t) x − b_s e1 m_t − (1/(2 r1)) b_s e1 (m_1 − m_t)   (Alg. 1 line 5)
                var e1 = Sde.ElementaryFunctions.Expm1(sg * h);
                var d = -B(s) * e1 * 0.5 / r1;
                TensorPrimitives.Multiply(x.Values, A(s) / A(t), x.Values);
                TensorPrimitives.MultiplyAdd(m.Values, -B(s) * e1 - d, x.Values, x.Values);
                TensorPrimitives.MultiplyAdd(m1.Values, d, x.Values, x.Values);
            }
        }
        else
        {
            // DDIM-like first-order step (Lu et al. 2022 eq 3.7; 2022b eq 11)
            TensorPrimitives.Multiply(x.Values, A(s) / A(t), x.Values);
            TensorPrimitives.MultiplyAdd(m.Values, -B(s) * Sde.ElementaryFunctions.Expm1(sg * h), x.Values, x.Values);
        }
    }

    private static double TimeAt(IKernel kernel, double lambda, double s, double t) => kernel.TimeAtLogSnr(2 * lambda, s, t);

    /// <summary>Registers dpm_solver_singlestep (noise prediction; <see cref="SolverRegistry.CreateDefault"/>).</summary>
    [SolverRegistration(130)]
    internal static void RegisterNoisePrediction(SolverRegistry r) =>
        r.Register(p => new DpmSolverSinglestep("dpm_solver_singlestep", p.Integer("order"), ModelPrediction.Noise), ParameterSpec.Integer("order", 3, "order 1-3 (NFE per step)"));

    /// <summary>Registers DPM-Solver++(2S) and (3S) as dpmpp_2s and dpmpp_3s (<see cref="SolverRegistry.CreateDefault"/>).</summary>
    [SolverRegistration(140)]
    internal static void RegisterDataPrediction(SolverRegistry r)
    {
        r.Register(_ => new DpmSolverSinglestep("dpmpp_2s", 2, ModelPrediction.Data));
        r.Register(_ => new DpmSolverSinglestep("dpmpp_3s", 3, ModelPrediction.Data));
    }
}
