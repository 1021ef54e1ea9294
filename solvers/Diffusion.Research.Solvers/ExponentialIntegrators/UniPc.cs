using System.Numerics.Tensors;
using Diffusion.Research.Numerics;
using Diffusion.Research.Registries;
using Diffusion.Research.Sampling;

namespace Diffusion.Research.Solvers;

/// <summary>
/// UniPC (Zhao, Bai, Rao, Zhou, Lu 2023): the multistep predictor UniP-p with the corrector UniC-p (Alg. 2 for the
/// data prediction, Alg. 3 for the noise prediction; B(h) variants of App. C), as the authors' uni_pc.py
/// (<c>multistep_uni_pc_bh_update</c>). Step i of order p from t to s, h = λ_s − λ_t, h̃ = −h (data) or h (noise),
/// r_k = (λ_{i−k} − λ_i)/h and D_k = (m_{i−k} − m_i)/r_k for k &lt; p; R_{jk} = r_k^{j−1} (with r_p = 1),
/// b_j = j! φ_{j+1}(h̃) h̃ / B(h) where φ_{j+1} h̃ is the recursion h̃φ1 = expm1(h̃), φ_{k+1} = φ_k/h̃ − 1/k! (eq 5, 7):
/// base = (σ_s/σ_t) x − α_s expm1(−h) m_i (data) or (α_s/α_t) x − σ_s expm1(h) m_i (noise);
/// predictor x̃ = base − c B(h) Σ_k ρ^p_k D_k with R[:p−1,:p−1] ρ^p = b[:p−1] (ρ^p = 1/2 for p = 2), c = α_s or σ_s;
/// corrector x_s = base − c B(h) (Σ_k ρ^c_k D_k + ρ^c_p (m(x̃, s) − m_i)) with R ρ^c = b (ρ^c = 1/2 for p = 1).
/// The evaluation m(x̃, s) at the predicted point is the model output of the next step (no extra NFE); the last step has
/// no corrector. Warm-up: step i uses order min(p, i + 1); lower-order final steps (uni_pc.py, unconditionally):
/// order min(p, n − i). One model evaluation per step. Order p + 1 with the corrector (Zhao et al. Thm 3.3).
/// </summary>
public sealed class UniPc : DiffusionSampler
{
    /// <summary>UniPC of predictor order <paramref name="order"/> (1–3).</summary>
    public UniPc(string name, int order, UniPcVariant variant, ModelPrediction prediction = ModelPrediction.Data, bool lowerOrderFinal = true)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (order is < 1 or > 3) throw new ArgumentOutOfRangeException(nameof(order), order, "order must be 1, 2 or 3.");
        Order = order;
        Variant = variant;
        Prediction = prediction;
        LowerOrderFinal = lowerOrderFinal;
        // UniC raises the order of UniP-p to p + 1 (Zhao et al. 2023 Thm 3.3). The warm-up steps have lower order (like every
        // multistep solver here, the declared order is the formula's; the order tests shrink the warm-up steps). With
        // lower-order final steps the last step is UniP-1 without corrector (uni_pc.py and diffusers alike), local error
        // O(h²): global order 2 (measured, docs/solvers.md).
        var declared = lowerOrderFinal ? Math.Min(order + 1, 2) : order + 1;
        Traits = new SolverTraits(name, declared, 0, IsStochastic: false, IsAdaptive: false, NfePerStep: 1,
            $"UniPC-{order} ({variant.ToString().ToLowerInvariant()}, {(prediction == ModelPrediction.Data ? "data" : "noise")} prediction; Zhao et al. 2023).");
    }

    /// <summary>Predictor order p (1–3).</summary>
    public int Order { get; }

    /// <summary>B(h) variant.</summary>
    public UniPcVariant Variant { get; }

    /// <summary>Noise or data prediction.</summary>
    public ModelPrediction Prediction { get; }

    /// <summary>Lower-order final steps (order min(p, n − i) in step i).</summary>
    public bool LowerOrderFinal { get; }

    /// <inheritdoc />
    public override SolverTraits Traits { get; }

    // 0: score scratch, 1..4: model outputs m_i, m_{i−1}, … (a BufferRing, newest first), 5: base.
    /// <inheritdoc />
    protected override int Buffers => 6;

    /// <inheritdoc />
    protected override void Begin(DiffusionProblem problem, TimeGrid grid, Batch x, Workspace workspace) => workspace.History(1, 4).Clear();

    /// <inheritdoc />
    protected override void Step(DiffusionProblem problem, StepInfo step, Batch x, Workspace workspace)
    {
        var kernel = problem.Kernel;
        var rows = x.Count;
        var i = step.Index;
        var n = step.Steps;
        double t = step.Time, s = step.NextTime;
        var lambdaT = PhiFunctions.Lambda(kernel, t);
        var h = PhiFunctions.Lambda(kernel, s) - lambdaT;
        var scratch = workspace.Buffer(0, rows);
        var history = workspace.History(1, 4);
        // m_i: evaluated here at the first step; later it is the corrector's evaluation at the predicted point of step i − 1.
        Batch m0;
        if (history.Count == 0) PredictionEvaluation.Evaluate(problem, Prediction, t, x, scratch, m0 = history.Push(rows));
        else m0 = history.Recent(0, rows);

        var p = Math.Min(Order, i + 1);
        if (LowerOrderFinal) p = Math.Min(p, n - i);
        var useCorrector = i < n - 1;
        var data = Prediction == ModelPrediction.Data;
        var hh = data ? -h : h;
        var bh = Variant == UniPcVariant.Bh1 ? hh : Sde.ElementaryFunctions.Expm1(hh);
        var c = data ? kernel.Alpha(s) : kernel.Sigma(s);

        // r_k, k = 1..p−1, then r_p = 1; b_j (uni_pc.py: h_phi_k recursion).
        Span<double> r = stackalloc double[p];
        for (var k = 1; k < p; k++) r[k - 1] = (PhiFunctions.Lambda(kernel, step.Grid[i - k]) - lambdaT) / h;
        r[p - 1] = 1;
        Span<double> b = stackalloc double[p];
        var hPhi1 = Sde.ElementaryFunctions.Expm1(hh);
        var hPhiK = hPhi1 / hh - 1;
        var factorial = 1.0;
        for (var j = 1; j <= p; j++)
        {
            b[j - 1] = hPhiK * factorial / bh;
            factorial *= j + 1;
            hPhiK = hPhiK / hh - 1 / factorial;
        }

        // base = (σ_s/σ_t) x − α_s expm1(−h) m_i   or   (α_s/α_t) x − σ_s expm1(h) m_i
        var baseState = workspace.Buffer(5, rows);
        var xWeight = data ? kernel.Sigma(s) / kernel.Sigma(t) : kernel.Alpha(s) / kernel.Alpha(t);
        TensorPrimitives.Multiply(x.Values, xWeight, baseState.Values);
        TensorPrimitives.MultiplyAdd(m0.Values, -c * hPhi1, baseState.Values, baseState.Values);

        // Predictor: x̃ = base − c B(h) Σ ρ^p_k D_k
        baseState.Values.CopyTo(x.Values);
        if (p >= 2)
        {
            Span<double> rho = stackalloc double[p - 1];
            if (p == 2) rho[0] = 0.5;
            else Solve(r, b, p - 1, rho);
            AddDifferences(history, 0, rows, r, rho, -c * bh, m0, x);
        }
        if (!useCorrector) return;

        // Corrector: model at the predicted point (kept as the next step's m), then x_s = base − c B(h)(Σ ρ^c_k D_k + ρ^c_p (m_s − m_i)).
        var mNext = history.Push(rows); // m_{i+1}; from here on m_{i−k} is history.Recent(k + 1)
        PredictionEvaluation.Evaluate(problem, Prediction, s, x, scratch, mNext);
        Span<double> rhoC = stackalloc double[p];
        if (p == 1) rhoC[0] = 0.5;
        else Solve(r, b, p, rhoC);
        baseState.Values.CopyTo(x.Values);
        AddDifferences(history, 1, rows, r, rhoC[..(p - 1)], -c * bh, m0, x);
        TensorPrimitives.MultiplyAdd(mNext.Values, -c * bh * rhoC[p - 1], x.Values, x.Values);
        TensorPrimitives.MultiplyAdd(m0.Values, c * bh * rhoC[p - 1], x.Values, x.Values);
    }

    // x += w Σ_k ρ_k D_k with D_k = (m_{i−k} − m_i)/r_k; m_{i−k} is history.Recent(k + offset).
    private static void AddDifferences(BufferRing history, int offset, int rows, ReadOnlySpan<double> r, ReadOnlySpan<double> rho, double w, Batch m0, Batch x)
    {
        for (var k = 1; k <= rho.Length; k++)
        {
            var coefficient = w * rho[k - 1] / r[k - 1];
            TensorPrimitives.MultiplyAdd(history.Recent(k + offset, rows).Values, coefficient, x.Values, x.Values);
            TensorPrimitives.MultiplyAdd(m0.Values, -coefficient, x.Values, x.Values);
        }
    }

    // Solves the leading size × size block of R ρ = b, R_{jk} = r_k^j (j = 0..size−1), by Gaussian elimination with partial pivoting.
    internal static void Solve(ReadOnlySpan<double> r, ReadOnlySpan<double> b, int size, Span<double> rho)
    {
        Span<double> a = stackalloc double[size * (size + 1)];
        for (var j = 0; j < size; j++)
        {
            for (var k = 0; k < size; k++) a[j * (size + 1) + k] = Math.Pow(r[k], j);
            a[j * (size + 1) + size] = b[j];
        }
        var w = size + 1;
        for (var col = 0; col < size; col++)
        {
            var pivot = col;
            for (var row = col + 1; row < size; row++)
                if (Math.Abs(a[row * w + col]) > Math.Abs(a[pivot * w + col])) pivot = row;
            if (pivot != col)
                for (var k = 0; k < w; k++) (a[col * w + k], a[pivot * w + k]) = (a[pivot * w + k], a[col * w + k]);
            for (var row = col + 1; row < size; row++)
            {
                var f = a[row * w + col] / a[col * w + col];
                for (var k = col; k < w; k++) a[row * w + k] -= f * a[col * w + k];
            }
        }
        for (var row = size - 1; row >= 0; row--)
        {
            var sum = a[row * w + size];
            for (var k = row + 1; k < size; k++) sum -= a[row * w + k] * rho[k];
            rho[row] = sum / a[row * w + row];
        }
    }

    /// <summary>Registers unipc_bh1 and unipc_bh2 (the registry reads name and description from the traits; <see cref="SolverRegistry.CreateDefault"/>).</summary>
    [SolverRegistration(160)]
    internal static void Register(SolverRegistry r)
    {
        foreach (var (name, variant) in new[] { ("unipc_bh1", UniPcVariant.Bh1), ("unipc_bh2", UniPcVariant.Bh2) })
            r.Register(p => new UniPc(name, p.Integer("order"), variant, p.Integer("noise_prediction") != 0 ? ModelPrediction.Noise : ModelPrediction.Data, p.Integer("lower_order_final") != 0),
                ParameterSpec.Integer("order", 3, "predictor order 1-3"), ParameterSpec.Integer("noise_prediction", 0, "1: noise prediction (UniPC's Alg. 3)"),
                ParameterSpec.Integer("lower_order_final", 1, "1: order min(p, n - i) in step i (uni_pc.py)"));
    }
}
