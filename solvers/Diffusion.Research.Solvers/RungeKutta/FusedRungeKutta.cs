using System.Runtime.Intrinsics;
using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;
using Diffusion.Research.Sde;

namespace Diffusion.Research.Solvers;

/// <summary>
/// A fixed-step explicit Runge–Kutta method (any <see cref="Tableau"/>) on the probability-flow ODE with the exact score
/// of a noised isotropic mixture, fused (issue 9): per step and per eight particles, every stage
/// k_j = a(x + dt Σ_l A[j][l] k_l, t + C[j] dt) and the update x + dt Σ_j B[j] k_j (Hairer–Nørsett–Wanner I, eq. II.1.8)
/// in registers, the chunk's state column-wise between steps, the drift constants of every stage time computed once per
/// solve. Same operations in the same order as <see cref="RungeKuttaStages"/> with <see cref="ReverseSde.Drift"/>
/// (zero tableau entries skipped, the first-order last step into σ = 0 of <see cref="ExplicitRungeKutta"/>), so the
/// result is bit-identical to the step-by-step loop (tests: FastPathBitsTests).
/// </summary>
internal sealed class FusedRungeKutta : FusedChunk
{
    private readonly ReverseDriftLanes _drift;
    private readonly Tableau _tableau;
    private readonly double[] _constants; // per step: [dt, Euler last step?, stage drift constants (s of them)]
    private readonly double[] _coefficients; // per step: dt A[j][l] (s x s, row-major) then dt B[j]
    private readonly int _stride;

    private FusedRungeKutta(ReverseDriftLanes drift, Tableau tableau, TimeGrid grid, bool eulerLastStep)
        : base(grid, drift.Dimension, tableau.Stages + 1, drift.ScratchLength)
    {
        _drift = drift;
        _tableau = tableau;
        var s = tableau.Stages;
        var length = drift.ConstantsLength;
        _stride = 2 + s * length;
        _constants = new double[grid.Steps * _stride];
        _coefficients = new double[grid.Steps * (s * s + s)];
        for (var i = 0; i < grid.Steps; i++)
        {
            var c = _constants.AsSpan(i * _stride, _stride);
            var t = grid[i];
            var dt = grid[i + 1] - t; // StepInfo.Dt
            var euler = eulerLastStep && i == grid.Steps - 1;
            c[0] = dt;
            c[1] = euler ? 1.0 : 0.0;
            var a = _coefficients.AsSpan(i * (s * s + s), s * s + s);
            for (var j = 0; j < (euler ? 1 : s); j++)
            {
                drift.Prepare(t + tableau.C[j] * dt, c.Slice(2 + j * length, length)); // RungeKuttaStages: t + C[j] dt
                var row = tableau.ARow(j);
                for (var l = 0; l < row.Length; l++) a[j * s + l] = dt * row[l];
                a[s * s + j] = dt * tableau.B[j];
            }
        }
    }

    /// <summary>The fused solver, or null when the problem does not have the fused form.</summary>
    public static FusedRungeKutta? TryCreate(Tableau tableau, SamplingProblem problem, TimeGrid grid, bool eulerLastStep) =>
        problem.Dynamics is ReverseSde { Lanes: { } lanes } ? new FusedRungeKutta(lanes, tableau, grid, eulerLastStep) : null;

    protected override Vector512<double> Advance(int step, Span<Vector512<double>> state, long firstParticle, Vector512<double> padding,
        Span<Vector512<double>> work, Span<double> scratch)
    {
        var d = Dimension;
        var s = _tableau.Stages;
        var groups = state.Length / d;
        var stages = work.Slice(0, s * d);
        var input = work.Slice(s * d, d);
        var length = _drift.ConstantsLength;
        ReadOnlySpan<double> c = _constants.AsSpan(step * _stride, _stride);
        ReadOnlySpan<double> a = _coefficients.AsSpan(step * (s * s + s), s * s + s);
        var euler = c[1] != 0;
        var finite = Vector512<double>.AllBitsSet;
        for (var g = 0; g < groups; g++)
        {
            var xs = state.Slice(g * d, d);
            if (euler)
            {
                // Last step into sigma = 0: first-order Euler (ExplicitRungeKutta; Karras et al. 2022 Alg. 1 lines 7-8).
                var k0 = stages.Slice(0, d);
                _drift.Evaluate(c.Slice(2, length), xs, k0, scratch);
                var dt = Vector512.Create(c[0]);
                for (var i = 0; i < d; i++) xs[i] = k0[i] * dt + xs[i];
            }
            else
            {
                for (var j = 0; j < s; j++)
                {
                    for (var i = 0; i < d; i++) input[i] = xs[i];
                    var row = _tableau.ARow(j);
                    for (var l = 0; l < row.Length; l++)
                    {
                        if (row[l] == 0) continue;
                        var w = Vector512.Create(a[j * s + l]);
                        var kl = stages.Slice(l * d, d);
                        for (var i = 0; i < d; i++) input[i] = kl[i] * w + input[i];
                    }
                    _drift.Evaluate(c.Slice(2 + j * length, length), j == 0 ? xs : input, stages.Slice(j * d, d), scratch);
                }
                // x + dt Σ_j B[j] k_j (RungeKuttaStages.Combine: the baseline first, then the weighted stages in order).
                for (var j = 0; j < s; j++)
                {
                    if (_tableau.B[j] == 0) continue;
                    var w = Vector512.Create(a[s * s + j]);
                    var kj = stages.Slice(j * d, d);
                    for (var i = 0; i < d; i++) xs[i] = kj[i] * w + xs[i];
                }
            }
            finite &= FusedLanes.Check(xs, g, groups, padding);
        }
        return finite;
    }
}
