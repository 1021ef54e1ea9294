namespace Diffusion.Research.Sde;

/// <summary>How n inference steps pick timesteps out of a discrete schedule of N (Lin et al. 2024, Table 2; diffusers' <c>timestep_spacing</c>).</summary>
public enum TimestepSpacing
{
    /// <summary>k·⌊N/n⌋ + offset, k = n − 1..0 (DDIM, Stable Diffusion): never reaches the last index N − 1.</summary>
    Leading,

    /// <summary>round(N − k·N/n) − 1, k = 0..n − 1: starts at N − 1 (Lin et al. 2024 §3.3).</summary>
    Trailing,

    /// <summary>round(linspace(0, N − 1, n)) reversed: both ends.</summary>
    Linspace,
}
