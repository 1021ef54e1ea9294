namespace Diffusion.Research.Nn.Models;

/// <summary>The neural score models.</summary>
public enum ModelKind
{
    /// <summary>An MLP whose output is a score, ε, x₀ or v prediction (<see cref="MlpScoreModel"/>).</summary>
    Mlp,
    /// <summary>An MLP energy E(x, t) with score −∇ₓE (<see cref="EnergyScoreModel"/>).</summary>
    Energy,
}
