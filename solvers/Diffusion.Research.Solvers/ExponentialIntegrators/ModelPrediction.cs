namespace Diffusion.Research.Solvers;

/// <summary>
/// What an exponential integrator extrapolates in λ = log(α/σ): the noise prediction ε̂ = −σ_t s(x, t)
/// (DPM-Solver, Lu et al. 2022 eq 3.4) or the data prediction x̂_0 = (x + σ_t² s(x, t))/α_t
/// (DPM-Solver++, Lu et al. 2022b eq 9; Tweedie, 003 §3).
/// </summary>
public enum ModelPrediction
{
    /// <summary>ε̂ (DPM-Solver; `algorithm_type="dpmsolver"` upstream).</summary>
    Noise,

    /// <summary>x̂_0 (DPM-Solver++; `algorithm_type="dpmsolver++"` upstream).</summary>
    Data,
}
