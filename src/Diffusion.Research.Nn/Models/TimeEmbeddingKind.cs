namespace Diffusion.Research.Nn.Models;

/// <summary>How the time (noise level) is fed to a network.</summary>
public enum TimeEmbeddingKind
{
    /// <summary>Random Gaussian Fourier features [sin(2π w t), cos(2π w t)], w ~ N(0, s²) fixed (Tancik et al. 2020; score-SDE NCSN++).</summary>
    GaussianFourier,
    /// <summary>Transformer sinusoids [sin(ω_k t'), cos(ω_k t')], ω_k = 10000^(−k/F), t' = 1000 t (DDPM).</summary>
    Sinusoidal,
}
