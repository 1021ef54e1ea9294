using Diffusion.Research.Kernels;
using Diffusion.Research.Nn.Training;
using Diffusion.Research.Numerics;

namespace Diffusion.Research.Nn.Losses;

/// <summary>
/// Importance sampling π(t) ∝ 1/σ_t² on [t_ε, T] (002 "Variance reduction via importance sampling";
/// Song, Durkan, Murray and Ermon 2021).
/// The density is tabulated on a uniform grid (piecewise constant, cell mass by the trapezoid rule) and
/// sampled by inverting its piecewise-linear CDF; <see cref="Correction"/> uses the same tabulated
/// density, so E_π[λ ℓ · p_U/π] equals the uniform-time objective exactly.
/// </summary>
public sealed class ImportanceTimeSampling : ITimeSampling
{
    private readonly double[] _cdf;
    private readonly double _h;

    /// <summary>π ∝ 1/σ_t² on [<paramref name="start"/>, <paramref name="end"/>] with <paramref name="cells"/> cells.</summary>
    public ImportanceTimeSampling(IKernel kernel, double start, double end, int cells = 4096)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        if (!double.IsFinite(start) || !double.IsFinite(end) || !(end > start) || start < 0)
            throw new ArgumentOutOfRangeException(nameof(start), $"Need 0 <= start < end, got [{start}, {end}].");
        ArgumentOutOfRangeException.ThrowIfLessThan(cells, 2);
        Start = start;
        End = end;
        _h = (end - start) / cells;
        _cdf = new double[cells + 1];
        var previous = Density(kernel, start);
        for (var j = 1; j <= cells; j++)
        {
            var next = Density(kernel, start + j * _h);
            _cdf[j] = _cdf[j - 1] + 0.5 * _h * (previous + next);
            previous = next;
        }
        var total = _cdf[cells];
        if (!(total > 0) || !double.IsFinite(total)) throw new ArgumentException($"1/σ² is not integrable on [{start}, {end}]; raise t_ε.", nameof(kernel));
        for (var j = 0; j <= cells; j++) _cdf[j] /= total;
    }

    private static double Density(IKernel kernel, double t)
    {
        var s = kernel.Sigma(t);
        return 1.0 / (s * s);
    }

    /// <summary>t_ε.</summary>
    public double Start { get; }

    /// <summary>T.</summary>
    public double End { get; }

    /// <inheritdoc />
    public string Name => "importance";

    /// <inheritdoc />
    public double Sample(NoiseSource noise, uint stream, long particle)
    {
        var u = noise.Uniform(stream, particle, 0);
        int lo = 0, hi = _cdf.Length - 1; // invariant: cdf[lo] <= u < cdf[hi]
        while (hi - lo > 1)
        {
            var mid = (lo + hi) >> 1;
            if (_cdf[mid] <= u) lo = mid;
            else hi = mid;
        }
        var mass = _cdf[hi] - _cdf[lo];
        var fraction = mass > 0 ? (u - _cdf[lo]) / mass : 0.5;
        return Start + (lo + fraction) * _h;
    }

    /// <inheritdoc />
    public double Correction(double t)
    {
        var j = Math.Clamp((int)((t - Start) / _h), 0, _cdf.Length - 2);
        var density = (_cdf[j + 1] - _cdf[j]) / _h; // of the sampled (piecewise-constant) π
        return 1.0 / ((End - Start) * density);
    }

    /// <summary>Registers the t-sampling importance (<see cref="TrainingRegistries.CreateDefault"/>).</summary>
    internal static void Register(TrainingRegistries r) =>
        r.TimeSamplings.Register("importance", "t ~ pi(t) ∝ 1/sigma_t^2 on [t_eps, T], reweighted to the uniform objective (002)",
            c => new ImportanceTimeSampling(c.Kernel, TrainingRegistries.TimeEpsilon(c), c.Sde.T), TrainingRegistries.TimeEpsilonParameter);
}
