using System.Numerics.Tensors;
using Diffusion.Research.Numerics;
using Diffusion.Research.Registries;
using Diffusion.Research.Sampling;

namespace Diffusion.Research.Solvers;

/// <summary>
/// Multistep DPM-Solver (Lu et al. 2022b, "DPM-Solver++", Alg. 2 and App. B; noise-prediction form from the same
/// appendix) of orders 1–3 in λ = log(α/σ), with noise prediction (DPM-Solver) or data prediction (DPM-Solver++),
/// and the SDE variants of DPM-Solver++ (2M-SDE, 3M-SDE; Lu et al. 2022b §5 and App. eq for the SDE solver, as
/// k-diffusion's <c>sample_dpmpp_2m_sde</c>/<c>sample_dpmpp_3m_sde</c> with η).
/// Step i from t to s, h = λ_s − λ_t, previous steps h_{i−1}, h_{i−2}, r0 = h_{i−1}/h, r1 = h_{i−2}/h, m_j the
/// model outputs at the last grid points, D1_0 = (m_0 − m_1)/r0, D1_1 = (m_1 − m_2)/r1,
/// D1 = D1_0 + r0/(r0 + r1)(D1_0 − D1_1), D2 = (D1_0 − D1_1)/(r0 + r1):
/// data prediction, H = (1 + η) h:
/// x_s = (σ_s/σ_t) e^{−ηh} x − α_s expm1(−H) m_0 [order 1] + α_s c D1_0 [order 2] or + α_s (φ2 D1 − φ3 D2) [order 3]
/// with φ2 = expm1(−H)/H + 1, φ3 = φ2/H − 1/2, c = −expm1(−H)/2 (DpmSolver) or φ2 (Taylor), plus σ_s sqrt(−expm1(−2ηh)) z;
/// noise prediction: x_s = (α_s/α_t) x − σ_s expm1(h) m_0 − σ_s c D1_0 or − σ_s (φ2 D1 + φ3 D2),
/// φ2 = expm1(h)/h − 1, φ3 = φ2/h − 1/2, c = expm1(h)/2 or φ2.
/// Warm-up (Alg. 2 line 2 / dpm_solver_pytorch): step i uses order min(order, i + 1); with lower-order final steps
/// (dpm_solver_pytorch, for fewer than 10 steps) step i uses at most order n − i. One model evaluation per step.
/// </summary>
public sealed class DpmSolverMultistep : DiffusionSampler
{
    /// <summary>Grids with fewer steps than this take lower-order final steps (dpm_solver_pytorch, <c>sample</c>, <c>steps &lt; 10</c>).</summary>
    public const int LowerOrderFinalBelow = 10;

    /// <summary>The solver; <paramref name="eta"/> &gt; 0 (data prediction only) gives the SDE variant.</summary>
    public DpmSolverMultistep(string name, int order, ModelPrediction prediction, SecondOrderCorrection correction = SecondOrderCorrection.DpmSolver,
        bool lowerOrderFinal = true, double eta = 0, bool upstreamSecondDifference = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (order is < 1 or > 3) throw new ArgumentOutOfRangeException(nameof(order), order, "order must be 1, 2 or 3.");
        if (!(eta >= 0) || !double.IsFinite(eta)) throw new ArgumentOutOfRangeException(nameof(eta), eta, "eta must be finite and >= 0.");
        if (eta > 0 && prediction != ModelPrediction.Data)
            throw new ArgumentException("The SDE variant (eta > 0) exists for data prediction (DPM-Solver++) only.", nameof(eta));
        Order = order;
        Prediction = prediction;
        Correction = correction;
        LowerOrderFinal = lowerOrderFinal;
        Eta = eta;
        UpstreamSecondDifference = upstreamSecondDifference;
        var kind = prediction == ModelPrediction.Data ? "DPM-Solver++" : "DPM-Solver";
        // The upstream third-order step is consistent to second order only (docs/errata.md): declare what it achieves.
        // SDE variants: weak order 2 for the first two moments on Gaussian data, measured (SdeVariantWeakOrderTests).
        var declared = order == 3 && upstreamSecondDifference ? 2 : order;
        Traits = new SolverTraits(name, eta > 0 ? Math.Min(order, 2) : declared, eta > 0 ? 0.5 : 0, IsStochastic: eta > 0, IsAdaptive: false, NfePerStep: 1,
            eta > 0 ? $"{kind}({order}M) SDE, eta = {eta} (Lu et al. 2022b; k-diffusion)." : $"{kind} multistep order {order} (Lu et al. 2022b Alg. 2).");
    }

    /// <summary>Order p (1–3).</summary>
    public int Order { get; }

    /// <summary>Noise or data prediction.</summary>
    public ModelPrediction Prediction { get; }

    /// <summary>The weight of the order-2 step.</summary>
    public SecondOrderCorrection Correction { get; }

    /// <summary>Lower-order final steps on grids of fewer than <see cref="LowerOrderFinalBelow"/> steps.</summary>
    public bool LowerOrderFinal { get; }

    /// <summary>η of the SDE variant (0: the ODE solver).</summary>
    public double Eta { get; }

    /// <summary>
    /// Use the second difference of the reference implementations, D2 = (D1_0 − D1_1)/(r0 + r1) ≈ h² m''/2
    /// (dpm_solver_pytorch <c>multistep_dpm_solver_third_update</c>, k-diffusion <c>sample_dpmpp_3m_sde</c>, diffusers),
    /// against the φ3 weight that multiplies h² m'' in the exponential-integrator Taylor expansion (Lu et al. 2022b eq 10):
    /// the third-order step is then only second-order consistent. Default false: D2 = 2 (D1_0 − D1_1)/(r0 + r1), as in the
    /// singlestep third-order update of the same code (docs/errata.md).
    /// </summary>
    public bool UpstreamSecondDifference { get; }

    /// <inheritdoc />
    public override SolverTraits Traits { get; }

    // 0: score scratch, 1..3: model outputs of the last three grid points (a BufferRing, newest first), 4: noise.
    /// <inheritdoc />
    protected override int Buffers => 5;

    /// <inheritdoc />
    protected override void Begin(DiffusionProblem problem, TimeGrid grid, Batch x, Workspace workspace) => workspace.History(1, 3).Clear();

    /// <summary>The order used by step <paramref name="index"/> of <paramref name="steps"/> (warm-up and lower-order final steps).</summary>
    public int StepOrder(int index, int steps)
    {
        var p = Math.Min(Order, index + 1);
        if (LowerOrderFinal && steps < LowerOrderFinalBelow) p = Math.Min(p, steps - index);
        return p;
    }

    /// <inheritdoc />
    protected override void Step(DiffusionProblem problem, StepInfo step, Batch x, Workspace workspace)
    {
        var kernel = problem.Kernel;
        var rows = x.Count;
        var i = step.Index;
        double t = step.Time, s = step.NextTime;
        double alphaT = kernel.Alpha(t), sigmaT = kernel.Sigma(t), alphaS = kernel.Alpha(s), sigmaS = kernel.Sigma(s);
        var h = PhiFunctions.Lambda(kernel, s) - PhiFunctions.Lambda(kernel, t);
        var history = workspace.History(1, 3); // m_i, m_{i−1}, m_{i−2}
        var m0 = history.Push(rows);
        PredictionEvaluation.Evaluate(problem, Prediction, t, x, workspace.Buffer(0, rows), m0);

        var p = StepOrder(i, step.Steps);
        double c0, c1 = 0, c2 = 0, xWeight;
        if (Prediction == ModelPrediction.Data)
        {
            var big = (1 + Eta) * h;
            var phi1 = Sde.ElementaryFunctions.Expm1(-big);
            xWeight = sigmaS / sigmaT * Math.Exp(-Eta * h);
            c0 = -alphaS * phi1;
            var phi2 = phi1 / big + 1;
            if (p == 2)
            {
                var r0 = (PhiFunctions.Lambda(kernel, t) - PhiFunctions.Lambda(kernel, step.Grid[i - 1])) / h;
                var c = alphaS * (Correction == SecondOrderCorrection.DpmSolver ? -0.5 * phi1 : phi2) / r0;
                c0 += c;
                c1 -= c;
            }
            else if (p == 3)
            {
                var phi3 = phi2 / big - 0.5;
                AddThirdOrder(kernel, step, h, alphaS * phi2, -alphaS * phi3 * D2Scale, ref c0, ref c1, ref c2);
            }
        }
        else
        {
            var phi1 = Sde.ElementaryFunctions.Expm1(h);
            xWeight = alphaS / alphaT;
            c0 = -sigmaS * phi1;
            var phi2 = phi1 / h - 1;
            if (p == 2)
            {
                var r0 = (PhiFunctions.Lambda(kernel, t) - PhiFunctions.Lambda(kernel, step.Grid[i - 1])) / h;
                var c = -sigmaS * (Correction == SecondOrderCorrection.DpmSolver ? 0.5 * phi1 : phi2) / r0;
                c0 += c;
                c1 -= c;
            }
            else if (p == 3)
            {
                var phi3 = phi2 / h - 0.5;
                AddThirdOrder(kernel, step, h, -sigmaS * phi2, -sigmaS * phi3 * D2Scale, ref c0, ref c1, ref c2);
            }
        }

        TensorPrimitives.Multiply(x.Values, xWeight, x.Values);
        TensorPrimitives.MultiplyAdd(m0.Values, c0, x.Values, x.Values);
        if (c1 != 0) TensorPrimitives.MultiplyAdd(history.Recent(1, rows).Values, c1, x.Values, x.Values);
        if (c2 != 0) TensorPrimitives.MultiplyAdd(history.Recent(2, rows).Values, c2, x.Values, x.Values);
        // SDE variants: + σ_s sqrt(1 − e^{−2ηh}) z (Lu et al. 2022b, DPM-Solver++ SDE; Gonzalez et al. 2023 eq 12)
        if (Eta > 0) step.AddNoise((uint)i, sigmaS * Math.Sqrt(-Sde.ElementaryFunctions.Expm1(-2 * Eta * h)), workspace.Buffer(4, rows), x);
    }

    // D2 = s (D1_0 − D1_1)/(r0 + r1): s = 2 matches the Taylor weight φ3 of h² m'' (see UpstreamSecondDifference).
    private double D2Scale => UpstreamSecondDifference ? 1 : 2;

    // x += a D1 + b D2 (Lu et al. 2022b App. B, third-order multistep), expanded on m_0, m_1, m_2.
    private static void AddThirdOrder(Kernels.IKernel kernel, StepInfo step, double h, double a, double b, ref double c0, ref double c1, ref double c2)
    {
        var i = step.Index;
        double l0 = PhiFunctions.Lambda(kernel, step.Time), l1 = PhiFunctions.Lambda(kernel, step.Grid[i - 1]), l2 = PhiFunctions.Lambda(kernel, step.Grid[i - 2]);
        double r0 = (l0 - l1) / h, r1 = (l1 - l2) / h;
        // D1_0 = (m0 − m1)/r0, D1_1 = (m1 − m2)/r1; D1 = (1 + w) D1_0 − w D1_1 with w = r0/(r0 + r1); D2 = (D1_0 − D1_1)/(r0 + r1).
        var w = r0 / (r0 + r1);
        var e0 = a * (1 + w) + b / (r0 + r1); // weight of D1_0
        var e1 = -a * w - b / (r0 + r1);      // weight of D1_1
        c0 += e0 / r0;
        c1 += -e0 / r0 + e1 / r1;
        c2 += -e1 / r1;
    }

    private static readonly ParameterSpec LowerOrderFinalParameter =
        ParameterSpec.Integer("lower_order_final", 1, "1: lower-order final steps on grids of fewer than 10 steps (dpm_solver_pytorch); 0: never");

    private static readonly ParameterSpec UpstreamD2Parameter =
        ParameterSpec.Integer("upstream_d2", 0, "third order: 1 the reference implementations' D2 (second-order consistent, docs/errata.md), 0 the Taylor-consistent D2");

    private static readonly ParameterSpec TaylorParameter =
        ParameterSpec.Integer("taylor", 0, "order-2 weight: 0 the paper's phi1/2 (dpmsolver, midpoint), 1 the Taylor phi2 (taylor, heun)");

    /// <summary>Registers dpm_solver_multistep (noise prediction; <see cref="SolverRegistry.CreateDefault"/>).</summary>
    [SolverRegistration(120)]
    internal static void RegisterNoisePrediction(SolverRegistry r) =>
        r.Register(p => new DpmSolverMultistep("dpm_solver_multistep", p.Integer("order"), ModelPrediction.Noise, CorrectionOf(p), p.Integer("lower_order_final") != 0, 0, p.Integer("upstream_d2") != 0),
            ParameterSpec.Integer("order", 3, "order 1-3"), LowerOrderFinalParameter, TaylorParameter, UpstreamD2Parameter);

    /// <summary>Registers the DPM-Solver++ multistep family dpmpp_2m, dpmpp_3m, dpmpp_2m_sde and dpmpp_3m_sde (<see cref="SolverRegistry.CreateDefault"/>).</summary>
    [SolverRegistration(150)]
    internal static void RegisterDataPrediction(SolverRegistry r)
    {
        var eta = ParameterSpec.Real("eta", 1, "SDE stochasticity (> 0)");
        r.Register(p => new DpmSolverMultistep("dpmpp_2m", 2, ModelPrediction.Data, CorrectionOf(p), p.Integer("lower_order_final") != 0), LowerOrderFinalParameter, TaylorParameter);
        r.Register(p => new DpmSolverMultistep("dpmpp_3m", 3, ModelPrediction.Data, CorrectionOf(p), p.Integer("lower_order_final") != 0, 0, p.Integer("upstream_d2") != 0),
            LowerOrderFinalParameter, TaylorParameter, UpstreamD2Parameter);
        r.Register(p => new DpmSolverMultistep("dpmpp_2m_sde", 2, ModelPrediction.Data, CorrectionOf(p), p.Integer("lower_order_final") != 0, p["eta"]),
            eta, LowerOrderFinalParameter, TaylorParameter);
        r.Register(p => new DpmSolverMultistep("dpmpp_3m_sde", 3, ModelPrediction.Data, SecondOrderCorrection.Taylor, p.Integer("lower_order_final") != 0, p["eta"], p.Integer("upstream_d2") != 0),
            eta, LowerOrderFinalParameter, UpstreamD2Parameter);
    }

    private static SecondOrderCorrection CorrectionOf(ParameterValues p) => p.Integer("taylor") == 0 ? SecondOrderCorrection.DpmSolver : SecondOrderCorrection.Taylor;
}
