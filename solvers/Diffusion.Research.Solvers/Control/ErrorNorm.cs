using Diffusion.Research.Numerics;

namespace Diffusion.Research.Solvers;

/// <summary>
/// The error norm of the adaptive solvers, written once: per particle the root mean square of the scaled error,
/// sqrt(mean_d (e_d / sc_d)²) (Hairer–Nørsett–Wanner I, eq II.4.11; Jolicoeur-Martineau et al. 2021, Alg. 1,
/// ||e/δ||₂ / sqrt(D)), with sc_d mixed from the tolerances and two reference states (<see cref="ToleranceScale"/>),
/// then the maximum over the particles of the chunk.
/// </summary>
public static class ErrorNorm
{
    /// <summary>
    /// The largest per-particle norm of <paramref name="error"/> scaled by <paramref name="rule"/> on |a| and |b|;
    /// NaN when the <paramref name="candidate"/> the step would keep, or a norm, is not finite (the adaptive loop
    /// rejects it); +inf when an error ratio overflows.
    /// </summary>
    public static double MaxOverParticles(Batch error, Batch a, Batch b, Batch candidate, double rtol, double atol, ToleranceScale rule)
    {
        var d = error.Dimension;
        var es = error.Values;
        var us = a.Values;
        var vs = b.Values;
        var ys = candidate.Values;
        var worst = 0.0;
        for (var i = 0; i < error.Count; i++)
        {
            var sum = 0.0;
            for (var j = i * d; j < (i + 1) * d; j++)
            {
                if (!double.IsFinite(ys[j])) return double.NaN;
                var reference = rtol * Math.Max(Math.Abs(us[j]), Math.Abs(vs[j]));
                var scale = rule == ToleranceScale.Sum ? atol + reference : Math.Max(atol, reference);
                var r = es[j] / scale;
                sum += r * r;
            }
            var norm = Math.Sqrt(sum / d);
            if (double.IsNaN(norm)) return double.NaN;
            if (norm > worst) worst = norm;
        }
        return worst;
    }
}
