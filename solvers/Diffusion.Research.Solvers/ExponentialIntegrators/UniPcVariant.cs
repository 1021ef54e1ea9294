namespace Diffusion.Research.Solvers;

/// <summary>The B(h) of UniPC (Zhao et al. 2023 §3.2 and App. C, eq 8): bh1 B(h) = h̃, bh2 B(h) = e^{h̃} − 1 (h̃ = −h for data prediction).</summary>
public enum UniPcVariant
{
    /// <summary>B(h) = h̃ (the paper's recommendation for unconditional sampling with few steps).</summary>
    Bh1,

    /// <summary>B(h) = e^{h̃} − 1 (recommended for guided sampling).</summary>
    Bh2,
}
