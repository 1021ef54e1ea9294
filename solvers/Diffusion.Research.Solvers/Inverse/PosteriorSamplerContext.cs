using Diffusion.Research.Conditional;
using Diffusion.Research.Registries;
using Diffusion.Research.Sampling;

namespace Diffusion.Research.Solvers;

/// <summary>What a posterior sampler is built from: the measurement, the inner solver and the method's bound parameters.</summary>
public sealed record PosteriorSamplerContext(LinearMeasurement Measurement, ISolver Inner, ParameterValues Parameters)
{
    /// <summary>Checks the three parts are present.</summary>
    public LinearMeasurement Measurement { get; init; } = Measurement ?? throw new ArgumentNullException(nameof(Measurement));

    /// <summary>The solver advancing each interval.</summary>
    public ISolver Inner { get; init; } = Inner ?? throw new ArgumentNullException(nameof(Inner));

    /// <summary>The method's parameters.</summary>
    public ParameterValues Parameters { get; init; } = Parameters ?? throw new ArgumentNullException(nameof(Parameters));
}
