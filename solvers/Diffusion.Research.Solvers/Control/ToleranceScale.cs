namespace Diffusion.Research.Solvers;

/// <summary>How an adaptive solver mixes the absolute and relative tolerances into the scale of one error component.</summary>
public enum ToleranceScale
{
    /// <summary>sc = atol + rtol · max(|a|, |b|) (Hairer–Nørsett–Wanner I, eq II.4.10).</summary>
    Sum,

    /// <summary>δ = max(atol, rtol · max(|a|, |b|)) (Jolicoeur-Martineau et al. 2021, Alg. 1).</summary>
    Max,
}
