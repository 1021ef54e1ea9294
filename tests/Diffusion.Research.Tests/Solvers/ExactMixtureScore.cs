using Diffusion.Research.Data;
using Diffusion.Research.Kernels;
using Diffusion.Research.Numerics;
using Diffusion.Research.Scores;

namespace Diffusion.Research.Tests.Solvers;

/// <summary>The exact score of a Gaussian mixture pushed through a kernel: grad log p_t with p_t = mixture * N(alpha_t x0, sigma_t^2 I).</summary>
internal sealed class ExactMixtureScore(GaussianMixture mixture, IKernel kernel) : IScoreModel
{
    public void Score(double t, Batch x, Batch destination) =>
        mixture.NoisedScore(kernel.Alpha(t), kernel.Sigma(t), x, destination);
}
