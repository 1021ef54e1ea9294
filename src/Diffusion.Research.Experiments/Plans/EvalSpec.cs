namespace Diffusion.Research.Experiments.Plans;

/// <summary>
/// The <c>eval:</c> block: how many particles to sample, how many reference samples, which metrics, how many points a
/// 2-D scatter figure shows (0: none), and whether each run also scores exact data samples against its reference
/// (<see cref="NoiseFloor"/>: the two-sample noise floor of every metric, shown under the table).
/// </summary>
public sealed record EvalSpec(int Particles, int Reference, IReadOnlyList<string> Metrics, int Scatter, bool NoiseFloor = false)
{
    /// <summary>
    /// <c>eval.metric_parameters</c>: for a listed metric, its parameters by key (each a number or a list of numbers; a
    /// number is a list of one), checked against the metric's schema (<c>diffusion list metrics</c>); absent keys take the
    /// schema's defaults. Empty when the block sets none.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyList<double>>> MetricParameters { get; init; } = NoParameters;

    /// <summary>The parameters given for <paramref name="metric"/> (empty when none).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<double>> ParametersOf(string metric) =>
        MetricParameters.TryGetValue(metric, out var p) ? p : NoMetricParameters;

    private static readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyList<double>>> NoParameters =
        new SortedDictionary<string, IReadOnlyDictionary<string, IReadOnlyList<double>>>(StringComparer.Ordinal);

    private static readonly IReadOnlyDictionary<string, IReadOnlyList<double>> NoMetricParameters =
        new SortedDictionary<string, IReadOnlyList<double>>(StringComparer.Ordinal);
}
