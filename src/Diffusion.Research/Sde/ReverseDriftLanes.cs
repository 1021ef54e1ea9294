using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Diffusion.Research.Data;
using Diffusion.Research.Numerics;
using Diffusion.Research.Scores;

namespace Diffusion.Research.Sde;

/// <summary>
/// The drift of the reverse-time family, f(t) x − (1 + l²)/2 g(t)² s(x, t) (001 eq 85; Song et al. 2021, eqs. 6 and 13),
/// for a linear forward SDE and the exact score of a noised isotropic Gaussian mixture, eight particles at a time in
/// registers: the score (<see cref="IsotropicScoreLanes"/>) and the drift in one pass, with the operations of
/// <see cref="ReverseSde.Drift"/> in the same order, so with the same bits (issue 9's fused path). Built by
/// <see cref="TryCreate"/> when the problem has that form; the fused solver chunks of the solver assembly use it too.
/// </summary>
internal sealed class ReverseDriftLanes
{
    private readonly ISde _forward;
    private readonly ILinearSde? _linear; // null: the drift is 0 (VE)
    private readonly MixtureScoreLanes _score;
    private readonly double _lambda;

    private ReverseDriftLanes(ISde forward, ILinearSde? linear, MixtureScoreLanes score, double lambda)
    {
        _forward = forward;
        _linear = linear;
        _score = score;
        _lambda = lambda;
    }

    /// <summary>The fused drift of <paramref name="sde"/>, or null when it is not a linear SDE with an exact isotropic-mixture score.</summary>
    public static ReverseDriftLanes? TryCreate(ReverseSde sde)
    {
        if (sde.ScoreModel is not ExactNoisedScore { Lanes: { } score }) return null;
        // Only the sealed SDEs whose Drift is exactly f(t) x (LinearDrift) or exactly 0 (VE): a user's ILinearSde might
        // compute its drift another way, and the fused path must give the bits ReverseSde.Drift gives.
        return sde.Forward switch
        {
            VeSde => new ReverseDriftLanes(sde.Forward, null, score, sde.Lambda),
            VpSde or SubVpSde or LinearSde or AffineSde or OrnsteinUhlenbeckSde =>
                new ReverseDriftLanes(sde.Forward, (ILinearSde)sde.Forward, score, sde.Lambda),
            _ => null,
        };
    }

    /// <summary>Dimension D.</summary>
    public int Dimension => _score.Dimension;

    /// <summary>Doubles of per-time constants (<see cref="Prepare"/>).</summary>
    public int ConstantsLength => 2 + _score.ConstantsLength;

    /// <summary>Scratch doubles one <see cref="Evaluate"/> needs.</summary>
    public int ScratchLength => _score.ScratchLength;

    /// <summary>The constants of time <paramref name="t"/>: [−(1 + l²)/2 g², f(t), mixture constants at (α_t, σ_t)].</summary>
    public void Prepare(double t, Span<double> constants)
    {
        var g = _forward.Diffusion(t);
        constants[0] = -0.5 * (1.0 + _lambda * _lambda) * g * g; // 001 eq 85 (Song et al. 2021, eq (6)): −(1+l²)/2 g² s (as ReverseSde.Drift)
        _score.Prepare(t, constants.Slice(2));
        constants[1] = _linear?.DriftCoefficient(t) ?? 0.0;
    }

    /// <summary>drift[i] = coordinate i of the drift of the eight particles x at the time of <paramref name="constants"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Evaluate(ReadOnlySpan<double> constants, ReadOnlySpan<Vector512<double>> x, Span<Vector512<double>> drift, Span<double> scratch)
    {
        _score.Evaluate(constants.Slice(2), x, drift, scratch);
        Finish(constants, x, drift);
    }

    /// <summary>Scratch doubles one <see cref="EvaluatePair"/> needs.</summary>
    public int PairScratchLength => _score.PairScratchLength;

    /// <summary>Two groups of eight particles at once (same bits as two <see cref="Evaluate"/> calls).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void EvaluatePair(ReadOnlySpan<double> constants, ReadOnlySpan<Vector512<double>> xa, ReadOnlySpan<Vector512<double>> xb,
        Span<Vector512<double>> da, Span<Vector512<double>> db, Span<double> scratch)
    {
        _score.EvaluatePair(constants.Slice(2), xa, xb, da, db, scratch);
        Finish(constants, xa, da);
        Finish(constants, xb, db);
    }

    // drift = s·scale + f(t) x (or + 0 for VE), from the score already in drift.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Finish(ReadOnlySpan<double> constants, ReadOnlySpan<Vector512<double>> x, Span<Vector512<double>> drift)
    {
        var scale = Vector512.Create(constants[0]);
        if (_linear is null)
        {
            for (var i = 0; i < x.Length; i++) drift[i] = drift[i] * scale + Vector512<double>.Zero; // VE: f = 0
            return;
        }
        var coefficient = Vector512.Create(constants[1]);
        for (var i = 0; i < x.Length; i++) drift[i] = drift[i] * scale + x[i] * coefficient; // s·scale + f(t) x
    }

    /// <summary><see cref="ReverseSde.Drift"/> on a batch of rows, through the lanes.</summary>
    public void Drift(double t, Batch x, Batch destination)
    {
        const int lanes = RowLanes.Lanes;
        var d = Dimension;
        var length = ConstantsLength + ScratchLength + 2 * lanes * d;
        var pool = ArrayPool<double>.Shared.Rent(length);
        try
        {
            var buffer = pool.AsSpan(0, length);
            var constants = buffer.Slice(0, ConstantsLength);
            var scratch = buffer.Slice(ConstantsLength, ScratchLength);
            var columns = MemoryMarshal.Cast<double, Vector512<double>>(buffer.Slice(ConstantsLength + ScratchLength, lanes * d));
            var drift = MemoryMarshal.Cast<double, Vector512<double>>(buffer.Slice(ConstantsLength + ScratchLength + lanes * d, lanes * d));
            Prepare(t, constants);
            var xs = x.Values;
            var rows = destination.Values;
            for (var start = 0; start < x.Count; start += lanes)
            {
                var count = Math.Min(lanes, x.Count - start);
                RowLanes.Gather(xs, start, count, d, columns);
                Evaluate(constants, columns, drift, scratch);
                RowLanes.Scatter(drift, rows, start, count, d);
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(pool);
        }
    }
}
