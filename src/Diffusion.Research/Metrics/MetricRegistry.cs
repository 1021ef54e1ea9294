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
        var r = new MetricRegistry(); // each metric registers itself from a static member in its own file
        SlicedWasserstein.Register(r);
        MaximumMeanDiscrepancy.Register(r);
        EnergyDistance.Register(r);
        MeanError.Register(r);
        CovarianceError.Register(r);
        KolmogorovSmirnov.Register(r);
        return r;
    }
}
