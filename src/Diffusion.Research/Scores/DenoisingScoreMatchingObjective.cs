using System.Buffers;
using Diffusion.Research.Kernels;
using Diffusion.Research.Numerics;

namespace Diffusion.Research.Scores;

/// <summary>
/// Denoising score matching at one noise level on weighted pairs (x_0,i, x_t,i) with x_t ~ N(α x_0, σ² I)
/// (Vincent 2011; 001 eqs 12, 15–17): J_DSM = Σ_i w_i ½ ‖s(x_t,i) − ∇log p(x_t,i | x_0,i)‖², the conditional score being
/// −(x_t − α x_0)/σ² (<see cref="TransitionKernel.Score"/>). It is <see cref="ExplicitScoreMatchingObjective"/> with that target,
/// so J_DSM = J_ESM + C' with C' = ½ E‖∇log p(x_t|x_0)‖² − ½ E‖∇log p_t(x_t)‖² (001 eq 15; Vincent 2011).
/// </summary>
public static class DenoisingScoreMatchingObjective
{
    /// <summary>J_DSM from evaluated scores at the noisy points.</summary>
    public static double Evaluate(Batch score, Batch noisy, Batch data, TransitionKernel kernel, ReadOnlySpan<double> weights)
    {
        score.RequireShape(noisy, nameof(noisy));
        score.RequireShape(data, nameof(data));
        PointWeights.Require(weights, score.Count);
        var rented = ArrayPool<double>.Shared.Rent(score.Length);
        try
        {
            var target = new Batch(rented, score.Count, score.Dimension);
            kernel.Score(data, noisy, target); // 001 eq 17; Vincent 2011; Song and Ermon 2019, §4.2
            return ExplicitScoreMatchingObjective.Evaluate(score, target, weights);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(rented);
        }
    }

    /// <summary>J_DSM of <paramref name="model"/> at time t of <paramref name="kernel"/> on pairs (data_i, noisy_i).</summary>
    public static double Evaluate(IScoreModel model, IKernel kernel, double t, Batch data, Batch noisy, ReadOnlySpan<double> weights)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(kernel);
        data.RequireShape(noisy, nameof(noisy));
        PointWeights.Require(weights, data.Count);
        var at = kernel.At(t);
        var rented = ArrayPool<double>.Shared.Rent(data.Length);
        try
        {
            var s = new Batch(rented, data.Count, data.Dimension);
            model.Score(t, noisy, s);
            return Evaluate(s, noisy, data, at, weights);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(rented);
        }
    }
}
