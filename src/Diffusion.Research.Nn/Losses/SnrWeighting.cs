using Diffusion.Research.Kernels;
using Diffusion.Research.Nn.Training;

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

    /// <summary>Registers the weighting snr (<see cref="TrainingRegistries.CreateDefault"/>).</summary>
    internal static void Register(TrainingRegistries r) => r.Weightings.Register("snr", "lambda(t) = alpha_t^2 / sigma_t^2", c => new SnrWeighting(c.Kernel));
}
