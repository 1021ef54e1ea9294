using Diffusion.Research.Numerics;

namespace Diffusion.Research.Metrics;

/// <summary>Sample mean and unbiased sample covariance of a batch (two-pass, for accuracy).</summary>
public static class SampleMoments
{
    /// <summary>The mean of the rows.</summary>
    public static double[] Mean(Batch x)
    {
        if (x.Count == 0) throw new ArgumentException("The batch is empty.", nameof(x));
        var d = x.Dimension;
        var mean = new double[d];
        var values = x.Values;
        for (var i = 0; i < x.Count; i++)
            for (var j = 0; j < d; j++) mean[j] += values[i * d + j];
        for (var j = 0; j < d; j++) mean[j] /= x.Count;
        return mean;
    }

    /// <summary>The unbiased covariance sum_i (x_i - m)(x_i - m)^T / (N - 1), row-major D x D.</summary>
    public static double[] Covariance(Batch x)
    {
        if (x.Count < 2) throw new ArgumentException($"A covariance needs at least 2 rows, got {x.Count}.", nameof(x));
        var d = x.Dimension;
        var mean = Mean(x);
        var cov = new double[d * d];
        var values = x.Values;
        Span<double> z = d <= 128 ? stackalloc double[d] : new double[d];
        for (var i = 0; i < x.Count; i++)
        {
            for (var j = 0; j < d; j++) z[j] = values[i * d + j] - mean[j];
            for (var a = 0; a < d; a++)
                for (var b = 0; b < d; b++) cov[a * d + b] += z[a] * z[b];
        }
        for (var k = 0; k < cov.Length; k++) cov[k] /= x.Count - 1;
        return cov;
    }
}
