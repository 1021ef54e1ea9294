namespace Diffusion.Research.Scores;

/// <summary>
/// What a network predicts at (x_t, t), for x_t = α_t x_0 + σ_t ε (001 eqs 20, 32–38; 003 §4.4 items 7–8; Kingma et al. 2021; Ho
/// et al. 2020, eq (4)).
/// </summary>
public enum Prediction
{
    /// <summary>The score s = ∇ log p_t(x_t) = −E[ε | x_t]/σ_t (001 eq 37; Ho et al. 2020, §3.2; Karras et al. 2022,
    /// eq (3)).</summary>
    Score,

    /// <summary>The noise ε (001 eq 35; Ho et al. 2020, §3.2; Karras et al. 2022, eq (3); DDPM).</summary>
    Epsilon,

    /// <summary>The clean data x_0 (001 eq 33; Ho et al. 2020, §3.2; Karras et al. 2022, eq (3); "x-prediction" of 003 §4.4;
    /// Kingma et al. 2021).</summary>
    Data,

    /// <summary>The velocity v = α_t ε − σ_t x_0 of Salimans &amp; Ho (2022). Not in the documents; for VP kernels with
    /// α = cos φ, σ = sin φ it is dx_t/dφ. It is NOT the flow-matching velocity dx_t/dt = ε − x_0 (see docs/sdes.md).</summary>
    Velocity,
}
