using System.Numerics.Tensors;
using Diffusion.Research.Numerics;
using Diffusion.Research.Registries;

namespace Diffusion.Research.Metrics;

/// <summary>
/// <c>mmd</c>: the unbiased estimator of the squared maximum mean discrepancy (Gretton et al. 2012, MMD^2_u) with
/// the kernel k(x, y) = sum_b exp(-|x - y|^2 / (2 h_b^2)), a sum of RBF kernels of bandwidths h_b:
/// MMD^2_u = sum_{i != j} k(x_i, x_j) / (n (n-1)) + sum_{i != j} k(y_i, y_j) / (m (m-1)) - 2 sum_{i,j} k(x_i, y_j) / (n m).
/// It can be slightly negative when the distributions agree. O(N^2): only the first <see cref="MaxSamples"/> rows of
/// each batch are used.
/// </summary>
public sealed class MaximumMeanDiscrepancy : ISampleMetric
{
    private readonly double[] _bandwidths;

    /// <summary>Default bandwidths, suited to data of unit-to-few scale such as the 2-D toy sets.</summary>
    public static IReadOnlyList<double> DefaultBandwidths { get; } = [0.1, 0.2, 0.5, 1.0, 2.0, 5.0];

    /// <summary>An MMD^2 with the given bandwidths (default <see cref="DefaultBandwidths"/>) on at most
    /// <paramref name="maxSamples"/> rows of each batch.</summary>
    public MaximumMeanDiscrepancy(IReadOnlyList<double>? bandwidths = null, int maxSamples = 2000)
    {
        bandwidths ??= DefaultBandwidths;
        if (bandwidths.Count == 0) throw new ArgumentException("At least one bandwidth is needed.", nameof(bandwidths));
        foreach (var h in bandwidths)
            if (!double.IsFinite(h) || h <= 0) throw new ArgumentException($"Bandwidth {h} must be finite and positive.", nameof(bandwidths));
        if (maxSamples < 2) throw new ArgumentOutOfRangeException(nameof(maxSamples), maxSamples, "At least 2 samples are needed.");
        _bandwidths = bandwidths.ToArray();
        MaxSamples = maxSamples;
    }

    /// <summary>The RBF bandwidths h_b.</summary>
    public IReadOnlyList<double> Bandwidths => _bandwidths;

    /// <summary>Rows used from each batch (the first ones).</summary>
    public int MaxSamples { get; }

    /// <inheritdoc />
    public string Name => "mmd";

    /// <inheritdoc />
    public double Compute(Batch samples, Batch reference)
    {
        MetricInput.Require(samples, reference, 2);
        var x = MetricInput.Head(samples, MaxSamples);
        var y = MetricInput.Head(reference, MaxSamples);
        var scratch = new double[2 * Math.Max(x.Count, y.Count)];
        double n = x.Count, m = y.Count;
        var xx = KernelSum(x, x, true, scratch);
        var yy = KernelSum(y, y, true, scratch);
        var xy = KernelSum(x, y, false, scratch);
        return xx / (n * (n - 1)) + yy / (m * (m - 1)) - 2 * xy / (n * m);
    }

    // sum over pairs (i, j) (i < j counted twice when same) of k(a_i, b_j).
    private double KernelSum(Batch a, Batch b, bool same, double[] scratch)
    {
        var d = a.Dimension;
        var av = a.Values;
        var bv = b.Values;
        var total = 0.0;
        for (var i = 0; i < a.Count; i++)
        {
            var start = same ? i + 1 : 0;
            var count = b.Count - start;
            if (count <= 0) continue;
            var distances = scratch.AsSpan(0, count);
            var work = scratch.AsSpan(count, count);
            var row = av.Slice(i * d, d);
            for (var j = 0; j < count; j++)
            {
                var other = bv.Slice((start + j) * d, d);
                var s = 0.0;
                for (var k = 0; k < d; k++)
                {
                    var z = row[k] - other[k];
                    s += z * z;
                }
                distances[j] = s;
            }
            foreach (var h in _bandwidths)
            {
                TensorPrimitives.Multiply(distances, -0.5 / (h * h), work);
                TensorPrimitives.Exp(work, work);
                total += TensorPrimitives.Sum<double>(work);
            }
        }
        return same ? 2 * total : total;
    }

    /// <summary>Registers mmd (<see cref="MetricRegistry.CreateDefault"/>).</summary>
    internal static void Register(MetricRegistry r) =>
        r.Register("mmd", "unbiased MMD^2, sum of RBF kernels h = 0.1, 0.2, 0.5, 1, 2, 5",
            p => new MaximumMeanDiscrepancy(p.Contains("bandwidths") ? p.Vector("bandwidths") : null, p.Integer("max_samples")),
            ParameterSpec.Vector("bandwidths", "RBF bandwidths h (default 0.1, 0.2, 0.5, 1, 2, 5)"), ParameterSpec.Integer("max_samples", 2000, "rows used of each sample"));
}
