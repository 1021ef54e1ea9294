using System.Globalization;
using Diffusion.Research.Data;
using Diffusion.Research.Experiments.Conditional;
using Diffusion.Research.Experiments.Configuration;
using Diffusion.Research.Experiments.Plans;
using Diffusion.Research.Metrics;
using Diffusion.Research.Numerics;

namespace Diffusion.Research.Experiments.Backend;

/// <summary>The metrics of a cell, built once per name and parameter set (<c>eval.metric_parameters</c>), and the two-sample noise floor.</summary>
public sealed partial class ExperimentBackend
{
    /// <summary>
    /// The two-sample noise floor of every metric of the cell in one repeat: the metric between eval.particles exact
    /// samples of the data set (drawn from <paramref name="noise"/>) and the repeat's reference. Cached by everything it
    /// depends on (seed, repeat, data set and parameters, sizes, metric names), so a sweep pays for it once per repeat.
    /// </summary>
    private IReadOnlyDictionary<string, double> Floor(CellSpec cell, CellRun run, IDataSet data, Batch reference, NoiseSource noise)
    {
        var inv = CultureInfo.InvariantCulture;
        var key = string.Join("|", run.Seed.ToString(inv), run.Repeat.ToString(inv), cell.Data.Name,
            string.Join(";", cell.Data.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + string.Join(",", p.Value.Select(v => v.ToString("R", inv))))),
            cell.Eval.Particles.ToString(inv), cell.Eval.Reference.ToString(inv), string.Join(",", cell.Eval.Metrics.Select(m => MetricKey(cell.Eval, m))),
            ConditionalBinder.Key(cell.Conditional));
        lock (_floors)
        {
            if (_floors.TryGetValue(key, out var cached)) return cached;
        }
        var exact = new Batch(cell.Eval.Particles, data.Dimension);
        data.Sample(exact, noise, 0);
        var floor = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var name in cell.Eval.Metrics)
            if (!_registries.ModelMetrics.Contains(name)) // metrics of the model (nll) have no two-sample floor
                floor[name] = SampleMetric(cell.Eval, name).Compute(exact, reference);
        lock (_floors)
        {
            _floors.TryAdd(key, floor);
        }
        return floor;
    }

    // A metric's own minimum sample size (covariance, energy and MMD need two of each; a plugin's may need more), found by
    // computing it once on the cell's sizes when either is small (below 16): an argument error about its 'samples' or
    // 'reference' is a config error at eval.particles or eval.reference instead of a failed cell per run.
    private static void CheckSampleSizes(CellSpec cell, string name, ISampleMetric metric, int dimension)
    {
        const int Small = 16;
        if (cell.Eval.Particles >= Small && cell.Eval.Reference >= Small) return;
        var noise = new NoiseSource(0);
        var samples = new Batch(Math.Min(cell.Eval.Particles, Small), dimension);
        var reference = new Batch(Math.Min(cell.Eval.Reference, Small), dimension);
        noise.FillGaussian(0, 0, samples);
        noise.FillGaussian(1, 0, reference);
        try
        {
            metric.Compute(samples, reference);
        }
        catch (ArgumentException e) when (e.ParamName is "samples" or "reference")
        {
            // No inner exception: the message quotes the metric's own words, which Describe would otherwise rename.
            var (key, size, noun) = e.ParamName == "samples" ? ("eval.particles", cell.Eval.Particles, "sample") : ("eval.reference", cell.Eval.Reference, "reference sample");
            throw new ArgumentException($"metric '{name}' cannot be computed from {size} {noun}{(size == 1 ? "" : "s")}: {ConfigPathException.MessageOf(e)}", key);
        }
    }

    // Metrics are immutable and thread-safe: each is built once per backend and parameter set (eval.metric_parameters).
    private readonly Dictionary<string, ISampleMetric> _sampleMetrics = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IModelMetric> _modelMetrics = new(StringComparer.Ordinal);

    private ISampleMetric SampleMetric(EvalSpec eval, string name)
    {
        var key = MetricKey(eval, name);
        lock (_sampleMetrics)
        {
            if (!_sampleMetrics.TryGetValue(key, out var metric))
                _sampleMetrics[key] = metric = Wrap(() => _registries.Metrics.CreateFromLists(name, Lists(eval.ParametersOf(name))), "eval.metric_parameters." + name, "eval.metrics",
                    _registries.Metrics, name);
            return metric;
        }
    }

    private IModelMetric ModelMetric(EvalSpec eval, string name)
    {
        var key = MetricKey(eval, name);
        lock (_modelMetrics)
        {
            if (!_modelMetrics.TryGetValue(key, out var metric))
                _modelMetrics[key] = metric = Wrap(() => _registries.ModelMetrics.CreateFromLists(name, Lists(eval.ParametersOf(name))), "eval.metric_parameters." + name, "eval.metrics",
                    _registries.ModelMetrics, name);
            return metric;
        }
    }

    // A metric and its given parameters (sorted by key, exact values): the cache key of the built metric.
    private static string MetricKey(EvalSpec eval, string name) =>
        name + string.Concat(eval.ParametersOf(name).OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => ";" + p.Key + "=" + string.Join(",", p.Value.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))));

    private static Dictionary<string, double[]> Lists(IReadOnlyDictionary<string, IReadOnlyList<double>> values) =>
        values.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal);
}
