using Diffusion.Research.Numerics;

namespace Diffusion.Research.Tests.Solvers;

/// <summary>
/// Sliced 2-Wasserstein distance between two equal-size samples: the root mean over K fixed random directions
/// of the 1-D W2² between the sorted projections. (Test-local until the metrics of branch `data` land.)
/// </summary>
internal static class SlicedWasserstein
{
    public static double Distance(Batch a, Batch b, int directions = 64, ulong seed = 99)
    {
        if (!a.HasShapeOf(b)) throw new ArgumentException("Samples must have the same shape.");
        var n = a.Count;
        var d = a.Dimension;
        var pa = new double[n];
        var pb = new double[n];
        var theta = new double[d];
        var noise = new NoiseSource(seed);
        var total = 0.0;
        for (var k = 0; k < directions; k++)
        {
            noise.FillGaussian(0, k, theta);
            var norm = Math.Sqrt(theta.Sum(v => v * v));
            for (var j = 0; j < d; j++) theta[j] /= norm;
            for (var i = 0; i < n; i++)
            {
                double sa = 0, sb = 0;
                for (var j = 0; j < d; j++) { sa += a[i, j] * theta[j]; sb += b[i, j] * theta[j]; }
                pa[i] = sa;
                pb[i] = sb;
            }
            Array.Sort(pa);
            Array.Sort(pb);
            var w = 0.0;
            for (var i = 0; i < n; i++) w += (pa[i] - pb[i]) * (pa[i] - pb[i]);
            total += w / n;
        }
        return Math.Sqrt(total / directions);
    }
}
