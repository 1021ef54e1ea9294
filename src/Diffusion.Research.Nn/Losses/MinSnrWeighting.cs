using Diffusion.Research.Kernels;
using Diffusion.Research.Nn.Training;
using Diffusion.Research.Registries;

namespace Diffusion.Research.Nn.Losses;

/// <summary>
/// Min-SNR-γ (Hang et al. 2023): the x₀-space weight min(SNR, γ), i.e. ε-space weight min(SNR, γ)/SNR,
/// i.e. score-space λ(t) = σ_t² · min(SNR_t, γ)/SNR_t (using ‖ε_θ − ε‖² = σ² ‖s_θ − s*‖²).
/// </summary>
public sealed class MinSnrWeighting : ILossWeighting
{
    private readonly IKernel _kernel;

    /// <summary>A weighting with clamp <paramref name="gamma"/> &gt; 0 (5 in the paper).</summary>
    public MinSnrWeighting(IKernel kernel, double gamma)
    {
        _kernel = kernel ?? throw new ArgumentNullException(nameof(kernel));
        if (!(gamma > 0) || !double.IsFinite(gamma)) throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "γ must be positive and finite.");
        Gamma = gamma;
    }

    /// <summary>γ.</summary>
    public double Gamma { get; }

    /// <inheritdoc />
    public string Name => "min-snr";

    /// <inheritdoc />
    public double Weight(double t)
    {
        var a = _kernel.Alpha(t);
        var s = _kernel.Sigma(t);
        var snr = a * a / (s * s);
        return s * s * Math.Min(snr, Gamma) / snr;
    }

    /// <summary>Registers the weighting min-snr (<see cref="TrainingRegistries.CreateDefault"/>).</summary>
    internal static void Register(TrainingRegistries r) =>
        r.Weightings.Register("min-snr", "lambda(t) = sigma_t^2 min(SNR, gamma)/SNR (min-SNR-gamma; Hang et al. 2023)", c => new MinSnrWeighting(c.Kernel, c.Options.MinSnrGamma),
            ParameterSpec.Real("train.gamma", TrainingRegistries.Defaults.MinSnrGamma, "gamma of min-SNR"));
}
