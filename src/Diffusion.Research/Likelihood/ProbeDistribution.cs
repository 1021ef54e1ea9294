namespace Diffusion.Research.Likelihood;

/// <summary>The law of the probe vectors of the Hutchinson trace estimator (002: E[εᵀ A ε] = tr A when E[ε εᵀ] = I).</summary>
public enum ProbeDistribution
{
    /// <summary>Independent ±1 entries (002's choice, Unif({±1}^d)): the lowest variance, 2 Σ_{i≠j} A_ij² per probe.</summary>
    Rademacher,

    /// <summary>Independent N(0, 1) entries: variance 2 ‖A‖_F² per probe (for symmetric A).</summary>
    Gaussian,
}
