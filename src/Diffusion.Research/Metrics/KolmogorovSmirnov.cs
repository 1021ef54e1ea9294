using Diffusion.Research.Numerics;

namespace Diffusion.Research.Metrics;

/// <summary>
/// <c>ks</c>: the two-sample Kolmogorov–Smirnov statistic sup_x |F_n(x) - G_m(x)| of each coordinate's marginal; for
/// D &gt; 1 the metric is the maximum over coordinates (marginals only: it does not see dependence between coordinates).
/// Also the one-sample statistic against a CDF and the DKW / asymptotic critical values.
/// </summary>
public sealed class KolmogorovSmirnov : ISampleMetric
{
    /// <inheritdoc />
    public string Name => "ks";

    /// <inheritdoc />
    public double Compute(Batch samples, Batch reference)
    {
        MetricInput.Require(samples, reference);
        var worst = 0.0;
        for (var c = 0; c < samples.Dimension; c++) worst = Math.Max(worst, TwoSample(samples, reference, c));
        return worst;
    }

    /// <summary>sup_x |F_n(x) - G_m(x)| for coordinate <paramref name="coordinate"/> of the two batches.</summary>
    public static double TwoSample(Batch samples, Batch reference, int coordinate)
    {
        MetricInput.Require(samples, reference);
        var a = Column(samples, coordinate);
        var b = Column(reference, coordinate);
        Array.Sort(a);
        Array.Sort(b);
        int i = 0, j = 0;
        double n = a.Length, m = b.Length, worst = 0.0;
        while (i < a.Length && j < b.Length)
        {
            // Step past every value equal to the smaller one in both samples (ties), then compare the CDFs.
            var v = Math.Min(a[i], b[j]);
            while (i < a.Length && a[i] == v) i++;
            while (j < b.Length && b[j] == v) j++;
            worst = Math.Max(worst, Math.Abs(i / n - j / m));
        }
        return worst;
    }

    /// <summary>sup_x |F_n(x) - F(x)| for coordinate <paramref name="coordinate"/> against a continuous CDF.</summary>
    public static double OneSample(Batch samples, int coordinate, Func<double, double> cdf)
    {
        ArgumentNullException.ThrowIfNull(cdf);
        MetricInput.Require(samples, nameof(samples));
        var a = Column(samples, coordinate);
        Array.Sort(a);
        double n = a.Length, worst = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            var f = cdf(a[i]);
            if (!(f >= 0.0 && f <= 1.0)) throw new ArgumentException($"cdf({a[i]}) = {f} is not in [0, 1].", nameof(cdf));
            worst = Math.Max(worst, Math.Max(f - i / n, (i + 1) / n - f));
        }
        return worst;
    }

    /// <summary>Dvoretzky–Kiefer–Wolfowitz (Massart constant): P(sup|F_n - F| &gt; eps) &lt;= 2 exp(-2 n eps^2), so
    /// eps = sqrt(ln(2 / alpha) / (2 n)) is exceeded with probability at most <paramref name="alpha"/>.</summary>
    public static double DkwBound(int n, double alpha)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
        if (!(alpha > 0 && alpha < 1)) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "alpha must be in (0, 1).");
        return Math.Sqrt(Math.Log(2 / alpha) / (2.0 * n));
    }

    /// <summary>Asymptotic two-sample critical value c(alpha) sqrt((n + m) / (n m)), c(alpha) = sqrt(ln(2/alpha) / 2)
    /// (the first term of the Kolmogorov distribution tail).</summary>
    public static double TwoSampleCriticalValue(int n, int m, double alpha)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(m);
        if (!(alpha > 0 && alpha < 1)) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "alpha must be in (0, 1).");
        return Math.Sqrt(Math.Log(2 / alpha) / 2.0) * Math.Sqrt((double)(n + m) / ((double)n * m));
    }

    private static double[] Column(Batch x, int coordinate)
    {
        if ((uint)coordinate >= (uint)x.Dimension)
            throw new ArgumentOutOfRangeException(nameof(coordinate), coordinate, $"Coordinate outside [0, {x.Dimension}).");
        var column = new double[x.Count];
        for (var i = 0; i < column.Length; i++) column[i] = x[i, coordinate];
        return column;
    }

    /// <summary>Registers ks (<see cref="MetricRegistry.CreateDefault"/>).</summary>
    internal static void Register(MetricRegistry r) => r.Register("ks", "two-sample Kolmogorov-Smirnov statistic, max over coordinates", _ => new KolmogorovSmirnov());
}
