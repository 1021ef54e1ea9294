using System.Runtime.Intrinsics;
using Diffusion.Research.Kernels;
using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;
using Diffusion.Research.Scores;
using Diffusion.Research.Sde;

namespace Diffusion.Research.Solvers;

/// <summary>
/// DPM-Solver-2 (Lu et al. 2022, Alg. 1 with r = 1/2) with the exact score of a noised isotropic mixture, fused
/// (issue 9): per step and per eight particles, u = (α_m/α_t) x − σ_m (e^{h/2} − 1) ε̂(x, t) and
/// x_s = (α_s/α_t) x − σ_s (e^h − 1) ε̂(u, m) with ε̂ = −σ s, in registers; the midpoint time m, the coefficients and
/// the score constants at t and m are computed once per solve (the step-by-step <see cref="DpmSolver2"/> finds m by a
/// root search in every step of every chunk). Same operations in the same order as <see cref="DpmSolver2"/>, so the
/// same bits (tests: FastPathBitsTests).
/// </summary>
internal sealed class FusedDpmSolver2 : FusedChunk
{
    private readonly MixtureScoreLanes _score;
    private readonly double[] _constants; // per step: [α_m/α_t, σ_m expm1(h/2) σ_t, α_s/α_t, σ_s expm1(h) σ_m, score at t, score at m]
    private readonly int _stride;

    private FusedDpmSolver2(MixtureScoreLanes score, DiffusionProblem diffusion, TimeGrid grid)
        : base(grid, score.Dimension, 2, score.ScratchLength)
    {
        _score = score;
        var length = score.ConstantsLength;
        _stride = 4 + 2 * length;
        _constants = new double[grid.Steps * _stride];
        var kernel = diffusion.Kernel;
        for (var i = 0; i < grid.Steps; i++)
        {
            var c = _constants.AsSpan(i * _stride, _stride);
            double t = grid[i], s = grid[i + 1];
            // The scalars of DpmSolver2.Step, in its order of operations.
            double alphaT = kernel.Alpha(t), sigmaT = kernel.Sigma(t), alphaS = kernel.Alpha(s), sigmaS = kernel.Sigma(s);
            var lambdaT = 0.5 * kernel.LogSnr(t);
            var h = 0.5 * kernel.LogSnr(s) - lambdaT;
            var m = kernel.TimeAtLogSnr(2 * (lambdaT + 0.5 * h), s, t);
            double alphaM = kernel.Alpha(m), sigmaM = kernel.Sigma(m);
            c[0] = alphaM / alphaT;
            c[1] = sigmaM * ElementaryFunctions.Expm1(0.5 * h) * sigmaT;
            c[2] = alphaS / alphaT;
            c[3] = sigmaS * ElementaryFunctions.Expm1(h) * sigmaM;
            score.Prepare(t, c.Slice(4, length));
            score.Prepare(m, c.Slice(4 + length, length));
        }
    }

    /// <summary>The fused solver, or null when the problem's score is not an exact isotropic-mixture score.</summary>
    public static FusedDpmSolver2? TryCreate(SamplingProblem problem, TimeGrid grid) =>
        problem.HasDiffusion && problem.Diffusion.Score is ExactNoisedScore { Lanes: { } lanes }
            ? new FusedDpmSolver2(lanes, problem.Diffusion, grid)
            : null;

    protected override Vector512<double> Advance(int step, Span<Vector512<double>> state, long firstParticle, Vector512<double> padding,
        Span<Vector512<double>> work, Span<double> scratch)
    {
        var d = Dimension;
        var groups = state.Length / d;
        var score = work.Slice(0, d);
        var u = work.Slice(d, d);
        var length = _score.ConstantsLength;
        ReadOnlySpan<double> c = _constants.AsSpan(step * _stride, _stride);
        var a1 = Vector512.Create(c[0]);
        var c1 = Vector512.Create(c[1]);
        var a2 = Vector512.Create(c[2]);
        var c2 = Vector512.Create(c[3]);
        var finite = Vector512<double>.AllBitsSet;
        for (var g = 0; g < groups; g++)
        {
            var xs = state.Slice(g * d, d);
            _score.Evaluate(c.Slice(4, length), xs, score, scratch);
            for (var i = 0; i < d; i++) u[i] = score[i] * c1 + xs[i] * a1;       // (α_m/α_t) x + σ_m expm1(h/2) σ_t s(x, t)
            _score.Evaluate(c.Slice(4 + length, length), u, score, scratch);
            for (var i = 0; i < d; i++) xs[i] = score[i] * c2 + xs[i] * a2;      // (α_s/α_t) x + σ_s expm1(h) σ_m s(u, m)
            finite &= FusedLanes.Check(xs, g, groups, padding);
        }
        return finite;
    }
}
