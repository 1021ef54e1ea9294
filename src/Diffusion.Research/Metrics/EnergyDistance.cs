using Diffusion.Research.Numerics;
using Diffusion.Research.Registries;

namespace Diffusion.Research.Metrics;

/// <summary>
/// <c>energy</c>: the energy distance (Székely and Rizzo) E = 2 E|X - Y| - E|X - X'| - E|Y - Y'|, with the within-sample
/// means taken over distinct pairs (U-statistics, so E is unbiased and can be slightly negative when the distributions
/// agree). O(N^2): only the first <see cref="MaxSamples"/> rows of each batch are used.
/// </summary>
public sealed class EnergyDistance : ISampleMetric
{
    /// <summary>An energy distance on at most <paramref name="maxSamples"/> rows of each batch.</summary>
    public EnergyDistance(int maxSamples = 2000)
    {
        if (maxSamples < 2) throw new ArgumentOutOfRangeException(nameof(maxSamples), maxSamples, "At least 2 samples are needed.");
        MaxSamples = maxSamples;
    }

    /// <summary>Rows used from each batch (the first ones).</summary>
    public int MaxSamples { get; }

    /// <inheritdoc />
    public string Name => "energy";

    /// <inheritdoc />
    public double Compute(Batch samples, Batch reference)
    {
        MetricInput.Require(samples, reference, 2);
        var x = MetricInput.Head(samples, MaxSamples);
        var y = MetricInput.Head(reference, MaxSamples);
        double n = x.Count, m = y.Count;
        var xy = DistanceSum(x, y, false) / (n * m);
        var xx = DistanceSum(x, x, true) / (n * (n - 1));
        var yy = DistanceSum(y, y, true) / (m * (m - 1));
        return 2 * xy - xx - yy;
    }

    private static double DistanceSum(Batch a, Batch b, bool same)
    {
        var d = a.Dimension;
        var av = a.Values;
        var bv = b.Values;
        var total = 0.0;
        for (var i = 0; i < a.Count; i++)
        {
            var row = av.Slice(i * d, d);
            var rowTotal = 0.0;
            for (var j = same ? i + 1 : 0; j < b.Count; j++)
            {
                var other = bv.Slice(j * d, d);
                var s = 0.0;
                for (var k = 0; k < d; k++)
                {
                    var z = row[k] - other[k];
                    s += z * z;
                }
                rowTotal += Math.Sqrt(s);
            }
            total += rowTotal;
        }
        return same ? 2 * total : total;
    }

    /// <summary>Registers energy (<see cref="MetricRegistry.CreateDefault"/>).</summary>
    internal static void Register(MetricRegistry r) =>
        r.Register("energy", "energy distance 2E|X-Y| - E|X-X'| - E|Y-Y'| (U-statistics)",
            p => new EnergyDistance(p.Integer("max_samples")), ParameterSpec.Integer("max_samples", 2000, "rows used of each sample"));
}
