using Diffusion.Research.Numerics;

namespace Diffusion.Research.Scores;

/// <summary>
/// The divergence ∇·s(x, t) of a score field (the trace of its Jacobian), as needed by implicit score matching
/// (001 eq 9; Hyvärinen 2005, Thm 1) and by the likelihood of the probability-flow ODE (003 Eq 4.2.7; 002;
/// Song et al. 2021, §4.3). Same threading and
/// allocation rules as <see cref="IScoreModel"/>.
/// </summary>
public interface IScoreDivergence
{
    /// <summary>Writes ∇·s(x_i, t) into <paramref name="destination"/>[i].</summary>
    void Divergence(double t, Batch x, Span<double> destination);
}
