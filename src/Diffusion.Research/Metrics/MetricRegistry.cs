namespace Diffusion.Research.Metrics;

/// <summary>
/// Sample metrics by name (an instance, not a global). Metrics are immutable and thread-safe, so the registry holds
/// instances; register another configuration under another name.
/// </summary>
public sealed class MetricRegistry
{
    private readonly Dictionary<string, (ISampleMetric Metric, string Description)> _entries = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];

    /// <summary>Registered names in registration order.</summary>
    public IReadOnlyList<string> Names => _order;

    /// <summary>Adds <paramref name="metric"/> under <paramref name="name"/> (default: its own <see cref="ISampleMetric.Name"/>).</summary>
    public void Register(ISampleMetric metric, string description, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(metric);
        ArgumentNullException.ThrowIfNull(description);
        name ??= metric.Name;
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (_entries.ContainsKey(name)) throw new ArgumentException($"Metric '{name}' is already registered.", nameof(name));
        _entries[name] = (metric, description);
        _order.Add(name);
    }

    /// <summary>True when <paramref name="name"/> is registered.</summary>
    public bool Contains(string name) => _entries.ContainsKey(name);

    /// <summary>The metric registered as <paramref name="name"/>.</summary>
    public ISampleMetric Get(string name) => Entry(name).Metric;

    /// <summary>The one-line description of <paramref name="name"/>.</summary>
    public string Describe(string name) => Entry(name).Description;

    private (ISampleMetric Metric, string Description) Entry(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _entries.TryGetValue(name, out var e)
            ? e
            : throw new ArgumentException($"Unknown metric '{name}'. Known: {string.Join(", ", _order)}.", nameof(name));
    }

    /// <summary>sliced_w2 (128 projections, seed 0), mmd (default bandwidths, first 2000 rows), energy (first 2000 rows),
    /// mean_error, cov_error, ks (max over coordinates).</summary>
    public static MetricRegistry CreateDefault()
    {
        var r = new MetricRegistry();
        r.Register(new SlicedWasserstein(), "sliced Wasserstein-2, 128 fixed random directions, exact 1-D quantile matching");
        r.Register(new MaximumMeanDiscrepancy(), "unbiased MMD^2, sum of RBF kernels h = 0.1, 0.2, 0.5, 1, 2, 5, first 2000 rows");
        r.Register(new EnergyDistance(), "energy distance 2E|X-Y| - E|X-X'| - E|Y-Y'| (U-statistics), first 2000 rows");
        r.Register(new MeanError(), "Euclidean norm of the difference of sample means");
        r.Register(new CovarianceError(), "Frobenius norm of the difference of sample covariances");
        r.Register(new KolmogorovSmirnov(), "two-sample Kolmogorov-Smirnov statistic, max over coordinates");
        return r;
    }
}
