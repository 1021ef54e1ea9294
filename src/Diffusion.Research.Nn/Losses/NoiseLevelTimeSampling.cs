using Diffusion.Research.Kernels;
using Diffusion.Research.Nn.Training;
using Diffusion.Research.Numerics;
using Diffusion.Research.Registries;

namespace Diffusion.Research.Nn.Losses;

/// <summary>
/// NCSN's L noise levels (001 eq 41; 000 "SMLD": (1/L) Σᵢ λ(σᵢ) E‖s_θ(x₀ + σᵢ ε, σᵢ) + ε/σᵢ‖²; Song and Ermon 2019, §4.2 and
/// Alg. 1): σᵢ geometric
/// from σ_max down to σ_min, each mapped to the time with σ_t = σᵢ; a level is drawn uniformly per particle.
/// </summary>
public sealed class NoiseLevelTimeSampling : ITimeSampling
{
    private readonly double[] _times;

    /// <summary><paramref name="levels"/> geometric levels in [<paramref name="sigmaMin"/>, <paramref name="sigmaMax"/>], which must lie in σ([start, end]).</summary>
    public NoiseLevelTimeSampling(IKernel kernel, double start, double end, int levels, double sigmaMin, double sigmaMax)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentOutOfRangeException.ThrowIfLessThan(levels, 1);
        if (!(sigmaMin > 0) || !(sigmaMax >= sigmaMin) || !double.IsFinite(sigmaMax))
            throw new ArgumentOutOfRangeException(nameof(sigmaMin), $"Need 0 < sigmaMin <= sigmaMax, got {sigmaMin}, {sigmaMax}.");
        SigmaInverse.RequireIncreasing(kernel, start, end, nameof(kernel));
        var lowest = kernel.Sigma(start);
        var highest = kernel.Sigma(end);
        if (sigmaMin < lowest * (1 - 1e-12) || sigmaMax > highest * (1 + 1e-12))
            throw new ArgumentOutOfRangeException(nameof(sigmaMin), $"Levels [{sigmaMin}, {sigmaMax}] are outside the kernel's σ range [{lowest}, {highest}] on [{start}, {end}].");
        _times = new double[levels];
        for (var i = 0; i < levels; i++)
        {
            var sigma = levels == 1 ? sigmaMax : sigmaMax * Math.Pow(sigmaMin / sigmaMax, (double)i / (levels - 1));
            _times[i] = SigmaInverse.Time(kernel, sigma, start, end);
        }
    }

    /// <summary>The level times, from the largest σ to the smallest (copy).</summary>
    public double[] Times => (double[])_times.Clone();

    /// <inheritdoc />
    public string Name => "ncsn";

    /// <inheritdoc />
    public double Sample(NoiseSource noise, uint stream, long particle)
    {
        var level = Math.Min(_times.Length - 1, (int)(noise.Uniform(stream, particle, 0) * _times.Length));
        return _times[level];
    }

    /// <inheritdoc />
    public double Correction(double t) => 1.0;

    /// <summary>Registers the t-sampling ncsn (<see cref="TrainingRegistries.CreateDefault"/>).</summary>
    internal static void Register(TrainingRegistries r) =>
        r.TimeSamplings.Register("ncsn", "L geometric noise levels, one drawn per particle (001 eq 41; Song & Ermon 2019)", c => new NoiseLevelTimeSampling(
                c.Kernel, TrainingRegistries.TimeEpsilon(c), c.Sde.T, c.Options.NoiseLevels,
                c.Options.SigmaMin > 0 ? c.Options.SigmaMin : c.Kernel.Sigma(c.Options.TimeEpsilon),
                c.Options.SigmaMax > 0 ? c.Options.SigmaMax : c.Kernel.Sigma(c.Sde.T)),
            TrainingRegistries.TimeEpsilonParameter, ParameterSpec.Integer("train.levels", TrainingRegistries.Defaults.NoiseLevels, "noise levels L"),
            ParameterSpec.Real("train.sigma_min", TrainingRegistries.Defaults.SigmaMin, "smallest sigma, 0 = sigma(t_eps)"), ParameterSpec.Real("train.sigma_max", TrainingRegistries.Defaults.SigmaMax, "largest sigma, 0 = sigma(T)"));
}
