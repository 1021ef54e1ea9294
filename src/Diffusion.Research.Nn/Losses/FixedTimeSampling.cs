using Diffusion.Research.Numerics;

namespace Diffusion.Research.Nn.Losses;

/// <summary>One time (one noise level σ_t): single-σ DSM (000 and 001 DSM with a fixed perturbation; Vincent 2011), or score
/// matching on the data at t = 0.</summary>
public sealed class FixedTimeSampling : ITimeSampling
{
    /// <summary>Always <paramref name="time"/>.</summary>
    public FixedTimeSampling(double time)
    {
        if (!(time >= 0) || !double.IsFinite(time)) throw new ArgumentOutOfRangeException(nameof(time), time, "The time must be finite and >= 0.");
        Time = time;
    }

    /// <summary>The time.</summary>
    public double Time { get; }

    /// <inheritdoc />
    public string Name => "fixed";

    /// <inheritdoc />
    public double Sample(NoiseSource noise, uint stream, long particle) => Time;

    /// <inheritdoc />
    public double Correction(double t) => 1.0;
}
