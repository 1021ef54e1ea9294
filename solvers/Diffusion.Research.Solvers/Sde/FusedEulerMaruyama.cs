using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;
using Diffusion.Research.Sde;

namespace Diffusion.Research.Solvers;

/// <summary>
/// Euler–Maruyama on the reverse-time family with the exact score of a noised isotropic mixture, fused (issue 9):
/// per step and per eight particles, the score, the drift, the keyed Gaussian increment and the update
/// x ← x + a dt + b sqrt(|dt|) z (004 §10.1; Kloeden–Platen §10.2) in registers, the chunk's state held column-wise
/// between steps. The per-step constants (the mixture at (α_t, σ_t), g(t)², f(t), b, dt) are computed once per solve.
/// The operations per particle are those of <see cref="EulerMaruyama"/> with <see cref="ReverseSde.Drift"/>, in the
/// same order, and the noise is the same keyed draw (stream = step, particle = global row), so the result is
/// bit-identical to the step-by-step loop whatever the chunking or thread count (tests: FastPathBitsTests).
/// </summary>
internal sealed class FusedEulerMaruyama : FusedChunk
{
    private const int Lanes = FusedLanes.Lanes;
    private readonly ReverseDriftLanes _drift;
    private readonly NoiseSource _noise;
    private readonly double[] _constants; // per step: [dt, b sqrt|dt|, b != 0, drift constants]
    private readonly int _stride;

    public FusedEulerMaruyama(ReverseDriftLanes drift, IDynamics dynamics, TimeGrid grid, NoiseSource noise)
        : base(grid, drift.Dimension, 2, drift.PairScratchLength)
    {
        _drift = drift;
        _noise = noise;
        _stride = 3 + drift.ConstantsLength;
        _constants = new double[grid.Steps * _stride];
        for (var i = 0; i < grid.Steps; i++)
        {
            var c = _constants.AsSpan(i * _stride, _stride);
            var t = grid[i];
            var dt = grid[i + 1] - t; // StepInfo.Dt
            drift.Prepare(t, c.Slice(3));
            var b = dynamics.Diffusion(t);
            c[0] = dt;
            c[1] = b * Math.Sqrt(Math.Abs(dt));
            c[2] = b == 0 ? 0.0 : 1.0;
        }
    }

    /// <summary>The fused solver for <paramref name="problem"/>, or null when it does not have the fused form.</summary>
    public static FusedEulerMaruyama? TryCreate(SamplingProblem problem, TimeGrid grid, SolveOptions options) =>
        options.Increments is null && problem.Dynamics is ReverseSde { Lanes: { } lanes } reverse
            ? new FusedEulerMaruyama(lanes, reverse, grid, options.Noise)
            : null;

    protected override Vector512<double> Advance(int step, Span<Vector512<double>> state, long firstParticle, Vector512<double> padding,
        Span<Vector512<double>> work, Span<double> scratch)
    {
        var d = Dimension;
        var groups = state.Length / d;
        var driftA = work.Slice(0, d);
        var driftB = work.Slice(d, d);
        ReadOnlySpan<double> c = _constants.AsSpan(step * _stride, _stride);
        var constants = c.Slice(3);
        var finite = Vector512<double>.AllBitsSet;
        // Groups in pairs: the two score evaluations interleave (same bits as one at a time).
        for (var g = 0; g < groups; g += 2)
        {
            var xa = state.Slice(g * d, d);
            if (g + 1 < groups)
            {
                var xb = state.Slice((g + 1) * d, d);
                _drift.EvaluatePair(constants, xa, xb, driftA, driftB, scratch);
                Update(c, step, firstParticle + g * Lanes, xa, driftA);
                Update(c, step, firstParticle + (g + 1) * Lanes, xb, driftB);
                finite &= FusedLanes.Check(xa, g, groups, padding) & FusedLanes.Check(xb, g + 1, groups, padding);
            }
            else
            {
                _drift.Evaluate(constants, xa, driftA, scratch);
                Update(c, step, firstParticle + g * Lanes, xa, driftA);
                finite &= FusedLanes.Check(xa, g, groups, padding);
            }
        }
        return finite;
    }

    // x ← x + a dt + b sqrt|dt| z for one group (EulerMaruyama.Step's order: the drift term, then the keyed noise).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Update(ReadOnlySpan<double> c, int step, long firstParticle, Span<Vector512<double>> xs, ReadOnlySpan<Vector512<double>> drift)
    {
        var d = xs.Length;
        var dt = Vector512.Create(c[0]);
        for (var i = 0; i < d; i++) xs[i] = drift[i] * dt + xs[i]; // x + a dt
        if (c[2] != 0)
        {
            var scale = Vector512.Create(c[1]);
            var particles = NoiseSource.ParticleLanes(firstParticle);
            for (var p = 0; 2 * p < d; p++)
            {
                _noise.GaussianLanes((uint)step, Vector512.Create((ulong)p), particles, out var z0, out var z1);
                xs[2 * p] = z0 * scale + xs[2 * p]; // + b sqrt|dt| z
                if (2 * p + 1 < d) xs[2 * p + 1] = z1 * scale + xs[2 * p + 1];
            }
        }
    }
}
