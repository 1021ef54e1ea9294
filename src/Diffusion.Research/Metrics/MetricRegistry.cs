using Diffusion.Research.Registries;

namespace Diffusion.Research.Metrics;

/// <summary>
/// Sample metrics by name (the values of <c>eval.metrics</c>): a <see cref="ParameterRegistry{T}"/>, the framework's
/// one registry shape. Metrics are immutable and thread-safe; <see cref="ParameterRegistry{T}.Create(string, IReadOnlyDictionary{string, double})"/>
/// builds one with its parameters (defaults: the configurations below).
/// </summary>
public sealed class MetricRegistry : ParameterRegistry<ISampleMetric>
{
    /// <summary>An empty registry.</summary>
    public MetricRegistry()
        : base("metric")
    {
    }

    /// <summary>sliced_w2 (128 projections, seed 0), mmd (default bandwidths, first 2000 rows), energy (first 2000 rows),
    /// mean_error, cov_error, ks (max over coordinates).</summary>
    public static MetricRegistry CreateDefault()
    {
        var r = new MetricRegistry();
        r.Register("sliced_w2", "sliced Wasserstein-2, fixed random directions, exact 1-D quantile matching",
            p => new SlicedWasserstein(p.Integer("projections"), p.Integer("seed") is var seed && seed >= 0 ? (ulong)seed : throw new ParameterException("seed", "The seed of sliced_w2 must be >= 0.")),
            ParameterSpec.Integer("projections", 128, "random directions"), ParameterSpec.Integer("seed", 0, "seed of the directions"));
        r.Register("mmd", "unbiased MMD^2, sum of RBF kernels h = 0.1, 0.2, 0.5, 1, 2, 5",
            p => new MaximumMeanDiscrepancy(p.Contains("bandwidths") ? p.Vector("bandwidths") : null, p.Integer("max_samples")),
            ParameterSpec.Vector("bandwidths", "RBF bandwidths h (default 0.1, 0.2, 0.5, 1, 2, 5)"), ParameterSpec.Integer("max_samples", 2000, "rows used of each sample"));
        r.Register("energy", "energy distance 2E|X-Y| - E|X-X'| - E|Y-Y'| (U-statistics)",
            p => new EnergyDistance(p.Integer("max_samples")), ParameterSpec.Integer("max_samples", 2000, "rows used of each sample"));
        r.Register("mean_error", "Euclidean norm of the difference of sample means", _ => new MeanError());
        r.Register("cov_error", "Frobenius norm of the difference of sample covariances", _ => new CovarianceError());
        r.Register("ks", "two-sample Kolmogorov-Smirnov statistic, max over coordinates", _ => new KolmogorovSmirnov());
        return r;
    }
}
