using Diffusion.Research.Kernels;

namespace Diffusion.Research.Nn.Losses;

/// <summary>λ(t) = SNR(t) = α_t²/σ_t² applied to the score-space loss.</summary>
public sealed class SnrWeighting(IKernel kernel) : ILossWeighting
{
    private readonly IKernel _kernel = kernel ?? throw new ArgumentNullException(nameof(kernel));

    /// <inheritdoc />
    public string Name => "snr";

    /// <inheritdoc />
    public double Weight(double t)
    {
        var a = _kernel.Alpha(t);
        var s = _kernel.Sigma(t);
        return a * a / (s * s);
    }
}
