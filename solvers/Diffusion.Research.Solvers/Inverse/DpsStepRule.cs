namespace Diffusion.Research.Solvers;

/// <summary>How DPS sets its step ζ_i on interval i (<see cref="DiffusionPosteriorSampling"/>).</summary>
public enum DpsStepRule
{
    /// <summary>ζ_i = ζ (Chung et al. 2023, Alg. 1 as written).</summary>
    Constant = 0,

    /// <summary>ζ_i = ζ / ‖y − A x̂_0(x_i)‖ per particle (the choice of Chung et al.'s experiments).</summary>
    Normalised = 1,

    /// <summary>
    /// ζ_i = ζ (1 + l²) g(t)² |Δt| / (4 s²): at ζ = 1 the correction is the reverse-family step (001 eqs. 85–87;
    /// Song et al. 2021, eqs (6), (13); Zhang and Chen 2023) of the extra score
    /// ∇ log N(y; A x̂_0(x_t), s² I) = −∇‖y − A x̂_0‖² / (2 s²), the likelihood approximation p(y | x_t) ≈ p(y | x̂_0) of
    /// Chung et al. 2023 (their eq. 11 and Theorem 1), weighted by the measurement noise s.
    /// </summary>
    Likelihood = 2,
}
