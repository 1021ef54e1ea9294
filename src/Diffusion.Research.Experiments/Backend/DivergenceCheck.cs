using System.Globalization;
using Diffusion.Research.Numerics;

namespace Diffusion.Research.Experiments.Backend;

/// <summary>
/// Flags finite nonsense: samples that left any sane range of the data, e.g. sliced W2 of 1e134 after sampling from a
/// VE prior with sigma_max = 1e150, or 1.4e38 after training at lr = 1e12. Such a cell gets the status
/// <see cref="Status"/> and is shown in the table like a NaN (a failure, not a number).
/// <para>
/// The range is relative to the data scale: the root-mean-square norm of the samples, R_x = sqrt(mean_i |x_i|²), against
/// that of the reference samples of the data, R_y. W2 between two laws is at least the difference of their root second
/// moments (the triangle inequality for W2 with the point mass at 0: W2(p, δ_0) = sqrt(E|x|²)), so R_x &gt;
/// <see cref="Factor"/> · R_y means every coupling moves the samples by more than 999 data scales: nothing a metric
/// reports there compares samplers. The factor 1000 leaves two orders of magnitude above the worst genuine results
/// committed (sliced W2 of about 45 under VE with loose tolerances, about 200 for badly weighted training, on data of
/// scale 1 to 3), so no honest failure to converge is relabelled.
/// </para>
/// <para>
/// A sampler stops at t_eps, where its target is the data noised by the kernel, x = α x₀ + σ z, whose root second moment
/// is sqrt(α² R_y² + σ² D) (z ~ N(0, I) independent of x₀). The backend passes α and σ of the end time, so that data of a
/// scale far below σ (a near point mass) are measured against the noise every correct sampler keeps, not flagged.
/// </para>
/// </summary>
public static class DivergenceCheck
{
    /// <summary>The status string of a diverged cell.</summary>
    public const string Status = "Diverged";

    /// <summary>How many data scales (RMS norms of the reference) the samples' RMS norm may reach.</summary>
    public const double Factor = 1e3;

    /// <summary>Null when the samples are within range of the reference, else a message giving both scales.</summary>
    public static string? Check(Batch samples, Batch reference) => Check(samples, reference, 1, 0);

    /// <summary>Null when the samples are within range of the reference noised by a kernel with <paramref name="alpha"/> and
    /// <paramref name="sigma"/> (the solve's end time), else a message giving both scales.</summary>
    public static string? Check(Batch samples, Batch reference, double alpha, double sigma)
    {
        var sampleScale = RootMeanSquareNorm(samples);
        var dataScale = RootMeanSquareNorm(reference);
        var targetScale = Math.Sqrt(alpha * alpha * dataScale * dataScale + sigma * sigma * reference.Dimension);
        if (!(targetScale > 0) || sampleScale <= Factor * targetScale) return null;
        var inv = CultureInfo.InvariantCulture;
        var noised = sigma > 0 ? $" noised to the end time ({targetScale.ToString("G3", inv)})" : "";
        return $"the samples' RMS norm {sampleScale.ToString("G3", inv)} is more than {Factor.ToString("G", inv)} times the data's {dataScale.ToString("G3", inv)}{noised}";
    }

    /// <summary>sqrt(mean over particles of |x|²); +∞ when the squares overflow.</summary>
    public static double RootMeanSquareNorm(Batch x)
    {
        if (x.Count == 0) return 0;
        var sum = 0.0;
        foreach (var v in x.Values) sum += v * v;
        return Math.Sqrt(sum / x.Count);
    }
}
