using Diffusion.Research.Nn.Training;
using Diffusion.Research.Numerics;
using Diffusion.Research.Registries;

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

    // train.fixed_t within the SDE's horizon [0, T] (beyond it the kernel is not defined for every SDE: VP cosine refuses
    // t > T).
    private static double Checked(TrainingContext c)
    {
        var t = c.Options.FixedTime;
        if (t > c.Sde.T)
            throw new ArgumentException($"fixed_t must be at most the SDE's horizon T = {c.Sde.T.ToString(System.Globalization.CultureInfo.InvariantCulture)}, got {t.ToString(System.Globalization.CultureInfo.InvariantCulture)}.", "train.fixed_t");
        return t;
    }

    /// <summary>Registers the t-sampling fixed (<see cref="TrainingRegistries.CreateDefault"/>).</summary>
    internal static void Register(TrainingRegistries r) =>
        r.TimeSamplings.Register("fixed", "a single time (single-sigma DSM)", c => new FixedTimeSampling(Checked(c)),
            ParameterSpec.Real("train.fixed_t", TrainingRegistries.Defaults.FixedTime, "the time"));
}
