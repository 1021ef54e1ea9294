using Diffusion.Research.Nn.Training;
using Diffusion.Research.Numerics;

namespace Diffusion.Research.Nn.Losses;

/// <summary>t ~ U[t_ε, T]: the time cut-off of 002 ("Training with time cut-off η: π = Unif([η, T])";
/// Song, Durkan, Murray and Ermon 2021).</summary>
public sealed class UniformTimeSampling : ITimeSampling
{
    /// <summary>Uniform on [<paramref name="start"/>, <paramref name="end"/>].</summary>
    public UniformTimeSampling(double start, double end)
    {
        if (!double.IsFinite(start) || !double.IsFinite(end) || !(end > start) || start < 0)
            throw new ArgumentOutOfRangeException(nameof(start), $"Need 0 <= start < end, got [{start}, {end}].");
        Start = start;
        End = end;
    }

    /// <summary>t_ε.</summary>
    public double Start { get; }

    /// <summary>T.</summary>
    public double End { get; }

    /// <inheritdoc />
    public string Name => "uniform";

    /// <inheritdoc />
    public double Sample(NoiseSource noise, uint stream, long particle) => Start + (End - Start) * noise.Uniform(stream, particle, 0);

    /// <inheritdoc />
    public double Correction(double t) => 1.0;

    /// <summary>Registers the t-sampling uniform (<see cref="TrainingRegistries.CreateDefault"/>).</summary>
    internal static void Register(TrainingRegistries r) =>
        r.TimeSamplings.Register("uniform", "t ~ U[t_eps, T] (002 time cut-off)", c => new UniformTimeSampling(TrainingRegistries.TimeEpsilon(c), c.Sde.T), TrainingRegistries.TimeEpsilonParameter);
}
