using Diffusion.Research.Kernels;
using Diffusion.Research.Nn.Training;
using Diffusion.Research.Numerics;
using Diffusion.Research.Registries;

namespace Diffusion.Research.Nn.Losses;

/// <summary>
/// EDM's training distribution (Karras et al. 2022): ln σ ~ N(P_mean, P_std²), mapped to the time with
/// σ_t = σ (bisection), clamped to [t_ε, T].
/// </summary>
public sealed class LogNormalTimeSampling : ITimeSampling
{
    private readonly IKernel _kernel;
    private readonly double _sigmaStart;
    private readonly double _sigmaEnd;

    /// <summary>ln σ ~ N(<paramref name="mean"/>, <paramref name="std"/>²) (EDM: −1.2, 1.2).</summary>
    public LogNormalTimeSampling(IKernel kernel, double start, double end, double mean, double std)
    {
        _kernel = kernel ?? throw new ArgumentNullException(nameof(kernel));
        if (!double.IsFinite(start) || !double.IsFinite(end) || !(end > start) || start < 0)
            throw new ArgumentOutOfRangeException(nameof(start), $"Need 0 <= start < end, got [{start}, {end}].");
        if (!double.IsFinite(mean)) throw new ArgumentOutOfRangeException(nameof(mean), mean, "Must be finite.");
        if (!(std > 0) || !double.IsFinite(std)) throw new ArgumentOutOfRangeException(nameof(std), std, "Must be positive.");
        SigmaInverse.RequireIncreasing(kernel, start, end, nameof(kernel));
        Start = start;
        End = end;
        Mean = mean;
        Std = std;
        _sigmaStart = kernel.Sigma(start);
        _sigmaEnd = kernel.Sigma(end);
    }

    /// <summary>t_ε.</summary>
    public double Start { get; }

    /// <summary>T.</summary>
    public double End { get; }

    /// <summary>P_mean.</summary>
    public double Mean { get; }

    /// <summary>P_std.</summary>
    public double Std { get; }

    /// <inheritdoc />
    public string Name => "lognormal";

    /// <inheritdoc />
    public double Sample(NoiseSource noise, uint stream, long particle)
    {
        var sigma = Math.Exp(Mean + Std * noise.Gaussian(stream, particle, 0));
        if (sigma <= _sigmaStart) return Start;
        if (sigma >= _sigmaEnd) return End;
        return SigmaInverse.Time(_kernel, sigma, Start, End);
    }

    /// <inheritdoc />
    public double Correction(double t) => 1.0;

    /// <summary>Registers the t-sampling lognormal (<see cref="TrainingRegistries.CreateDefault"/>).</summary>
    internal static void Register(TrainingRegistries r) =>
        r.TimeSamplings.Register("lognormal", "ln sigma ~ N(P_mean, P_std^2) mapped to t (EDM; Karras et al. 2022)",
            c => new LogNormalTimeSampling(c.Kernel, TrainingRegistries.TimeEpsilon(c), c.Sde.T, c.Options.LogNormalMean, c.Options.LogNormalStd),
            TrainingRegistries.TimeEpsilonParameter, ParameterSpec.Real("train.lognormal_mean", TrainingRegistries.Defaults.LogNormalMean, "P_mean"),
            ParameterSpec.Real("train.lognormal_std", TrainingRegistries.Defaults.LogNormalStd, "P_std"));
}
