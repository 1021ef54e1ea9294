using System.Buffers;
using Diffusion.Research.Numerics;

namespace Diffusion.Research.Scores;

/// <summary>
/// Implicit score matching on a weighted point set (Hyvärinen 2005; 001 eq 9; 000 ISM):
/// J_ISM = Σ_i w_i [½ ‖s(x_i)‖² + ∇·s(x_i)], which equals J_ESM − C with C = ½ E‖∇log p‖² (001 eqs 10–11) when the
/// points are samples of p (or quadrature of p) and p s vanishes at infinity. The formula lives in
/// <see cref="Evaluate(Batch, ReadOnlySpan{double}, ReadOnlySpan{double})"/> only.
/// </summary>
public static class ImplicitScoreMatchingObjective
{
    /// <summary>Σ_i w_i [½ ‖score_i‖² + divergence_i] from evaluated scores and divergences.</summary>
    public static double Evaluate(Batch score, ReadOnlySpan<double> divergence, ReadOnlySpan<double> weights)
    {
        PointWeights.Require(weights, score.Count);
        if (divergence.Length != score.Count)
            throw new ArgumentException($"{divergence.Length} divergences given for {score.Count} points.", nameof(divergence));
        var total = 0.0;
        for (var i = 0; i < score.Count; i++)
        {
            ReadOnlySpan<double> s = score.Row(i);
            // 001 eq 9: Hyvärinen 2005, Thm 1.
            total += weights[i] * (0.5 * System.Numerics.Tensors.TensorPrimitives.Dot(s, s) + divergence[i]); // 001 eq 9
        }
        return total;
    }

    /// <summary>J_ISM of <paramref name="model"/> at time t, with its divergence from <paramref name="divergence"/>
    /// (the model itself when it implements <see cref="IScoreDivergence"/>, or a Hutchinson estimator).</summary>
    public static double Evaluate(IScoreModel model, IScoreDivergence divergence, double t, Batch x, ReadOnlySpan<double> weights)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(divergence);
        PointWeights.Require(weights, x.Count);
        var rented = ArrayPool<double>.Shared.Rent(x.Length + x.Count);
        try
        {
            var s = new Batch(rented, x.Count, x.Dimension);
            var div = rented.AsSpan(x.Length, x.Count);
            model.Score(t, x, s);
            divergence.Divergence(t, x, div);
            return Evaluate(s, div, weights);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(rented);
        }
    }
}
