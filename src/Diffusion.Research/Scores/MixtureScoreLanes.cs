using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Diffusion.Research.Data;

namespace Diffusion.Research.Scores;

/// <summary>
/// <see cref="ExactNoisedScore.Score"/> of an isotropic mixture for eight particles at a time in registers
/// (<see cref="IsotropicScoreLanes"/>): the constants of a time t are those of the kernel (α_t, σ_t) (003 §4.4,
/// Lemma 4.4.1; Song et al. 2021, eq. 29), computed as the batch evaluation computes them, so the bits are the same.
/// </summary>
internal sealed class MixtureScoreLanes
{
    private readonly ExactNoisedScore _score;
    private readonly GaussianMixture _mixture;

    private MixtureScoreLanes(ExactNoisedScore score, GaussianMixture mixture)
    {
        _score = score;
        _mixture = mixture;
    }

    /// <summary>The lanes of <paramref name="score"/>, or null unless its data is an isotropic Gaussian mixture.</summary>
    public static MixtureScoreLanes? TryCreate(ExactNoisedScore score) =>
        score.Data is GaussianMixture { IsIsotropic: true } mixture ? new MixtureScoreLanes(score, mixture) : null;

    /// <summary>Dimension D.</summary>
    public int Dimension => _mixture.Dimension;

    /// <summary>Doubles of per-time constants.</summary>
    public int ConstantsLength => IsotropicScoreLanes.ConstantsLength(_mixture.Components, _mixture.Dimension);

    /// <summary>Scratch doubles one <see cref="Evaluate"/> needs.</summary>
    public int ScratchLength => IsotropicScoreLanes.ScratchLength(_mixture.Components);

    /// <summary>The constants of time <paramref name="t"/>.</summary>
    public void Prepare(double t, Span<double> constants) =>
        _mixture.PrepareLanes(_score.Kernel.Alpha(t), _score.Kernel.Sigma(t), constants);

    /// <summary>score[i] = coordinate i of s(x, t) for the eight particles x, at the time of <paramref name="constants"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Evaluate(ReadOnlySpan<double> constants, ReadOnlySpan<Vector512<double>> x, Span<Vector512<double>> score, Span<double> scratch) =>
        IsotropicScoreLanes.Evaluate(constants, _mixture.Components, x, score, scratch);

    /// <summary>Scratch doubles one <see cref="EvaluatePair"/> needs.</summary>
    public int PairScratchLength => 2 * ScratchLength;

    /// <summary>Two groups of eight particles (a and b) at once: the same bits as two <see cref="Evaluate"/> calls, with more
    /// instruction-level parallelism where D = 2.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void EvaluatePair(ReadOnlySpan<double> constants, ReadOnlySpan<Vector512<double>> xa, ReadOnlySpan<Vector512<double>> xb,
        Span<Vector512<double>> sa, Span<Vector512<double>> sb, Span<double> scratch)
    {
        if (xa.Length == 2)
        {
            IsotropicScoreLanes.EvaluatePlanePair(constants, _mixture.Components, xa[0], xa[1], xb[0], xb[1],
                out var s0a, out var s1a, out var s0b, out var s1b, scratch);
            sa[0] = s0a;
            sa[1] = s1a;
            sb[0] = s0b;
            sb[1] = s1b;
            return;
        }
        Evaluate(constants, xa, sa, scratch);
        Evaluate(constants, xb, sb, scratch);
    }
}
