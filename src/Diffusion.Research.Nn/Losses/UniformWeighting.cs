namespace Diffusion.Research.Nn.Losses;

/// <summary>λ(t) = 1.</summary>
public sealed class UniformWeighting : ILossWeighting
{
    /// <inheritdoc />
    public string Name => "uniform";

    /// <inheritdoc />
    public double Weight(double t) => 1.0;
}
