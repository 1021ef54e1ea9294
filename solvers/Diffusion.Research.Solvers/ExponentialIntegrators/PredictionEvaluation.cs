using System.Numerics.Tensors;
using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;

namespace Diffusion.Research.Solvers;

/// <summary>The model output an exponential integrator uses, from the score (003 §3: ε̂ = −σ s, x̂_0 = (x + σ² s)/α; Efron 2011;
/// Karras et al. 2022, eq (3)).</summary>
internal static class PredictionEvaluation
{
    /// <summary>Writes ε̂(x, t) or x̂_0(x, t) into <paramref name="destination"/>; <paramref name="score"/> is scratch.</summary>
    public static void Evaluate(SamplingProblem problem, ModelPrediction prediction, double t, Batch x, Batch score, Batch destination)
    {
        var kernel = problem.Diffusion.Kernel;
        double alpha = kernel.Alpha(t), sigma = kernel.Sigma(t);
        problem.Diffusion.Score.Score(t, x, score);
        if (prediction == ModelPrediction.Noise)
        {
            TensorPrimitives.Multiply(score.Values, -sigma, destination.Values);
        }
        else
        {
            TensorPrimitives.Multiply(x.Values, 1 / alpha, destination.Values);
            TensorPrimitives.MultiplyAdd(score.Values, sigma * sigma / alpha, destination.Values, destination.Values);
        }
    }
}
