namespace Diffusion.Research.Likelihood;

/// <summary>The law of the probe vectors of the Hutchinson trace estimator (002; Hutchinson 1989: E[εᵀ A ε] = tr A when E[ε εᵀ]
/// = I).</summary>
public enum ProbeDistribution
{
    /// <summary>Independent ±1 entries (002's choice and Hutchinson 1989's, Unif({±1}^d)): variance 2 Σ_{i≠j} S_ij² per probe, S
    /// = (A + Aᵀ)/2 (no diagonal term: exact for diagonal A).</summary>
    Rademacher,

    /// <summary>Independent N(0, 1) entries: variance 2 ‖S‖_F² per probe, S = (A + Aᵀ)/2.</summary>
    Gaussian,
}
