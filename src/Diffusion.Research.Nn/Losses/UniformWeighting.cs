using Diffusion.Research.Nn.Training;

namespace Diffusion.Research.Nn.Losses;

/// <summary>λ(t) = 1.</summary>
public sealed class UniformWeighting : ILossWeighting
{
    /// <inheritdoc />
    public string Name => "uniform";

    /// <inheritdoc />
    public double Weight(double t) => 1.0;

    /// <summary>Registers the weighting uniform (<see cref="TrainingRegistries.CreateDefault"/>).</summary>
    internal static void Register(TrainingRegistries r) => r.Weightings.Register("uniform", "lambda(t) = 1", _ => new UniformWeighting());
}
