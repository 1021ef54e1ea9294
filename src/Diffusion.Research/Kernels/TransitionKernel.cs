using System.Numerics.Tensors;
using Diffusion.Research.Numerics;

namespace Diffusion.Research.Kernels;

/// <summary>
/// A Gaussian transition N(x_t; α x, σ² I) of one noisy state from a conditioning state x: the perturbation
/// kernel p_t(x_t | x_0) at one time (003 Eq 4.4.1; 001 eqs 20–22; Kingma et al. 2021; Ho et al. 2020, eq (4)) or the
/// between-time kernel p(x_t | x_s)
/// (003 Eq 4.4.5; Kingma et al. 2021). Batched methods write into destinations of the same shape and allocate nothing.
/// </summary>
/// <param name="Alpha">Signal scale α.</param>
/// <param name="Sigma">Noise standard deviation σ.</param>
public readonly record struct TransitionKernel(double Alpha, double Sigma)
{
    /// <summary>σ².</summary>
    public double Variance => Sigma * Sigma;

    /// <summary>Signal-to-noise ratio α²/σ² (003 §4.4; Kingma et al. 2021, SNR(u)).</summary>
    public double Snr => Alpha * Alpha / (Sigma * Sigma);

    /// <summary>x_t = α x + σ ε with the given ε (001 eq 20; 003 "sampling form"; Kingma et al. 2021; Ho et al. 2020,
    /// eq (4)).</summary>
    public void Apply(Batch x, Batch epsilon, Batch destination)
    {
        x.RequireShape(epsilon, nameof(epsilon));
        x.RequireShape(destination, nameof(destination));
        // destination = σ ε + α x
        TensorPrimitives.Multiply(epsilon.Values, Sigma, destination.Values);
        TensorPrimitives.MultiplyAdd(x.Values, Alpha, destination.Values, destination.Values);
    }

    /// <summary>Draws x_t = α x + σ z, z the standard normal draws of particle <c>firstParticle + i</c> in <paramref name="stream"/>
    /// (so a row's draw does not depend on the batch it is in).</summary>
    public void Sample(Batch x, NoiseSource noise, uint stream, long firstParticle, Batch destination)
    {
        x.RequireShape(destination, nameof(destination));
        noise.FillGaussian(stream, firstParticle, destination);
        TensorPrimitives.Multiply(destination.Values, Sigma, destination.Values);
        TensorPrimitives.MultiplyAdd(x.Values, Alpha, destination.Values, destination.Values);
    }

    /// <summary>log N(x_t; α x, σ² I) per row (001 eq 22; Kingma et al. 2021; Ho et al. 2020, eq (4)).</summary>
    public void LogDensity(Batch x, Batch noisy, Span<double> destination)
    {
        x.RequireShape(noisy, nameof(noisy));
        if (destination.Length != x.Count)
            throw new ArgumentException($"Destination has {destination.Length} entries, expected {x.Count}.", nameof(destination));
        RequirePositiveSigma();
        var variance = Variance;
        var logNormaliser = -0.5 * x.Dimension * Math.Log(2 * Math.PI * variance);
        for (var i = 0; i < x.Count; i++)
        {
            ReadOnlySpan<double> xi = x.Row(i), yi = noisy.Row(i);
            var sq = 0.0;
            for (var d = 0; d < xi.Length; d++)
            {
                var r = yi[d] - Alpha * xi[d];
                sq += r * r;
            }
            destination[i] = logNormaliser - 0.5 * sq / variance;
        }
    }

    /// <summary>The conditional score ∇_{x_t} log N(x_t; α x, σ² I) = −(x_t − α x)/σ² (001 eq 17; Vincent 2011;
    /// Song and Ermon 2019, §4.2).</summary>
    public void Score(Batch x, Batch noisy, Batch destination)
    {
        x.RequireShape(noisy, nameof(noisy));
        x.RequireShape(destination, nameof(destination));
        RequirePositiveSigma();
        var inv = 1.0 / Variance;
        // destination = (α/σ²) x − (1/σ²) x_t
        TensorPrimitives.Multiply(noisy.Values, -inv, destination.Values);
        TensorPrimitives.MultiplyAdd(x.Values, Alpha * inv, destination.Values, destination.Values);
    }

    private void RequirePositiveSigma()
    {
        if (!(Sigma > 0))
            throw new InvalidOperationException($"The kernel has sigma = {Sigma}: no density (use t > 0).");
    }
}
