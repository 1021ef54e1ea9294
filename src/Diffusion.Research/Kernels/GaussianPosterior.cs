using System.Numerics.Tensors;
using Diffusion.Research.Numerics;

namespace Diffusion.Research.Kernels;

/// <summary>
/// The posterior p(x_s | x_t, x_0) = N(a x_t + b x_0, v I) of an earlier state s &lt; t given the later one and
/// the data (003 Lemma 4.4.2; Kingma et al. 2021, there written p(x_t | x_s, x) with t &lt; s; Eq 4.4.3 for DDPM):
/// a = α_{t|s} σ_s²/σ_t², b = α_s σ_{t|s}²/σ_t², v = σ_{t|s}² σ_s²/σ_t².
/// </summary>
/// <param name="NoisyWeight">a, the weight of x_t in the mean.</param>
/// <param name="DataWeight">b, the weight of x_0 in the mean.</param>
/// <param name="Variance">v.</param>
public readonly record struct GaussianPosterior(double NoisyWeight, double DataWeight, double Variance)
{
    /// <summary>sqrt(v).</summary>
    public double StandardDeviation => Math.Sqrt(Variance);

    /// <summary>The mean a x_t + b x_0.</summary>
    public void Mean(Batch noisy, Batch data, Batch destination)
    {
        noisy.RequireShape(data, nameof(data));
        noisy.RequireShape(destination, nameof(destination));
        TensorPrimitives.Multiply(data.Values, DataWeight, destination.Values);
        TensorPrimitives.MultiplyAdd(noisy.Values, NoisyWeight, destination.Values, destination.Values);
    }

    /// <summary>Draws a x_t + b x_0 + sqrt(v) z (003 Eq 4.4.8 with x_0 known; Kingma et al. 2021; Ho et al. 2020, Alg. 2), z
    /// keyed by (stream, firstParticle + i).</summary>
    public void Sample(Batch noisy, Batch data, NoiseSource noise, uint stream, long firstParticle, Batch destination)
    {
        noisy.RequireShape(data, nameof(data));
        noisy.RequireShape(destination, nameof(destination));
        noise.FillGaussian(stream, firstParticle, destination);
        TensorPrimitives.Multiply(destination.Values, StandardDeviation, destination.Values);
        TensorPrimitives.MultiplyAdd(data.Values, DataWeight, destination.Values, destination.Values);
        TensorPrimitives.MultiplyAdd(noisy.Values, NoisyWeight, destination.Values, destination.Values);
    }
}
