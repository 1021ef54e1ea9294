using System.Numerics.Tensors;
using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;

namespace Diffusion.Research.Solvers;

/// <summary>
/// The step shared by the kernel samplers whose transition t → s is Gaussian with a mean affine in x and the score,
/// x_s = p x + q s(x, t) + c z (DDIM, Song, Meng, Ermon 2021 eq 12; ancestral sampling from the posterior of
/// 003 Lemma 4.4.2). Register 0 holds the score and register 1 the noise; noise of step i is stream i.
/// </summary>
public static class GaussianStep
{
    /// <summary>Buffers a solver using this step needs.</summary>
    public const int Buffers = 2;

    /// <summary>x ← <paramref name="xWeight"/> x + <paramref name="scoreWeight"/> s(x, t) + <paramref name="noiseScale"/> z (no noise drawn when the scale is 0).</summary>
    public static void Apply(DiffusionProblem problem, StepInfo step, Batch x, Workspace workspace, double xWeight, double scoreWeight, double noiseScale)
    {
        var score = workspace.Buffer(0, x.Count);
        problem.Score.Score(step.Time, x, score);
        TensorPrimitives.Multiply(x.Values, xWeight, x.Values);
        TensorPrimitives.MultiplyAdd(score.Values, scoreWeight, x.Values, x.Values);
        if (noiseScale > 0) step.AddNoise((uint)step.Index, noiseScale, workspace.Buffer(1, x.Count), x);
    }
}
