namespace Diffusion.Research.Nn.Losses;

/// <summary>
/// A time weighting λ(t) of the score-space loss ½ λ(t) ‖s_θ − s*‖² (002 "The Choice of Time Weighting";
/// Song et al. 2021). Regression losses (ε, x₀, v) apply it to their own squared error.
/// </summary>
public interface ILossWeighting
{
    /// <summary>Registry name.</summary>
    string Name { get; }

    /// <summary>λ(t) ≥ 0.</summary>
    double Weight(double t);
}
