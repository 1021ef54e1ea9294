using System.Buffers;
using Diffusion.Research.Data;
using Diffusion.Research.Numerics;

namespace Diffusion.Research.Scores;

/// <summary>
/// Explicit score matching on a weighted point set (001 eq 8; 000 ESM; 002 L_t(θ); Hyvärinen 2005, §2; Song et al. 2021,
/// eq (7)): J_ESM = Σ_i w_i ½ ‖s(x_i) − ∇log p(x_i)‖².
/// With w_i = 1/N over samples of p this estimates the expectation; with quadrature weights it approximates the integral.
/// The formula lives in <see cref="Evaluate(Batch, Batch, ReadOnlySpan{double})"/> only; denoising score matching reuses it
/// with the conditional score as target.
/// </summary>
public static class ExplicitScoreMatchingObjective
{
    /// <summary>Σ_i w_i ½ ‖score_i − target_i‖² from evaluated scores.</summary>
    public static double Evaluate(Batch score, Batch targetScore, ReadOnlySpan<double> weights)
    {
        score.RequireShape(targetScore, nameof(targetScore));
        PointWeights.Require(weights, score.Count);
        var total = 0.0;
        for (var i = 0; i < score.Count; i++)
        {
            ReadOnlySpan<double> s = score.Row(i), g = targetScore.Row(i);
            var sq = 0.0;
            for (var d = 0; d < s.Length; d++)
            {
                var r = s[d] - g[d];
                sq += r * r;
            }
            total += weights[i] * 0.5 * sq; // 001 eq 8; Hyvärinen 2005, §2
        }
        return total;
    }

    /// <summary>J_ESM of <paramref name="model"/> at time t against the exact score <paramref name="target"/> at the same time.</summary>
    public static double Evaluate(IScoreModel model, IScoreModel target, double t, Batch x, ReadOnlySpan<double> weights)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(target);
        return Evaluate(model, target, null, t, x, weights);
    }

    /// <summary>J_ESM of <paramref name="model"/> at time t against the score of the distribution <paramref name="target"/>.</summary>
    public static double Evaluate(IScoreModel model, IDistribution target, double t, Batch x, ReadOnlySpan<double> weights)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(target);
        return Evaluate(model, null, target, t, x, weights);
    }

    // Evaluates the model and the target (a time-dependent score or a distribution's score) into one pooled buffer.
    private static double Evaluate(IScoreModel model, IScoreModel? scoreTarget, IDistribution? distributionTarget, double t, Batch x,
        ReadOnlySpan<double> weights)
    {
        PointWeights.Require(weights, x.Count);
        var rented = ArrayPool<double>.Shared.Rent(2 * x.Length);
        try
        {
            var both = new Batch(rented, 2 * x.Count, x.Dimension);
            Batch s = both.Slice(0, x.Count), g = both.Slice(x.Count, x.Count);
            model.Score(t, x, s);
            if (scoreTarget is not null) scoreTarget.Score(t, x, g);
            else distributionTarget!.Score(x, g);
            return Evaluate(s, g, weights);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(rented);
        }
    }
}
