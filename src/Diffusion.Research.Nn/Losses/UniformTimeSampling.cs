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
}
