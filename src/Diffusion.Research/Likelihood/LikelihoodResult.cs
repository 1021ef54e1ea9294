using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;

namespace Diffusion.Research.Likelihood;

/// <summary>Log-densities from <see cref="ProbabilityFlowLikelihood.Evaluate"/>.</summary>
/// <param name="LogDensity">log p_{t_0}(x_i) in nats, one per particle (t_0 = the grid start, t_eps).</param>
/// <param name="BitsPerDimension">−log p / (D ln 2), one per particle.</param>
/// <param name="Latent">x(T), the probability-flow image of each particle.</param>
/// <param name="Solution">The ODE solve (status, NFE, steps).</param>
public sealed record LikelihoodResult(double[] LogDensity, double[] BitsPerDimension, Batch Latent, Solution Solution)
{
    /// <summary>Mean log-density in nats.</summary>
    public double MeanLogDensity => LogDensity.Length == 0 ? double.NaN : LogDensity.Average();

    /// <summary>Mean bits per dimension.</summary>
    public double MeanBitsPerDimension => BitsPerDimension.Length == 0 ? double.NaN : BitsPerDimension.Average();
}
