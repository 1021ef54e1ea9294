using System.Text.Json;
using Diffusion.Research.Experiments.Configuration;

namespace Diffusion.Research.Experiments.Plans;

/// <summary>
/// The keys of the <c>eval:</c> block as a declarative table, one row per key (see <see cref="KeyTable{TSpec}"/>).
/// <c>noise_floor</c> and <c>metric_parameters</c>, added after the first schema, are <see cref="KeyIdentity.WhenSet"/>:
/// cells that do not set them kept their ids when they were added.
/// </summary>
public static class EvalBlock
{
    /// <summary>The table.</summary>
    public static KeyTable<EvalSpec> Table { get; } = new("eval",
    [
        new("particles", "samples drawn per run (required)", KeyIdentity.Always,
            (c, n, s) => c.Binder.Integer(n, c.Path, 1, 10_000_000) is { } v ? s with { Particles = (int)v } : null,
            (w, s) => w.WriteNumber("particles", s.Particles), Required: true),
        new("reference", "reference samples of the data set (eval.particles)", KeyIdentity.Always,
            (c, n, s) => c.Binder.Integer(n, c.Path, 1, 10_000_000) is { } v ? s with { Reference = (int)v } : null,
            (w, s) => w.WriteNumber("reference", s.Reference)),
        new("metrics", "metrics of the samples and of the model (diffusion list metrics) ([])", KeyIdentity.Always, BindMetrics,
            (w, s) =>
            {
                w.WriteStartArray("metrics");
                foreach (var m in s.Metrics) w.WriteStringValue(m);
                w.WriteEndArray();
            }),
        new("scatter", "points of the 2-D scatter figure, 0 = none (0)", KeyIdentity.Always,
            (c, n, s) => c.Binder.Integer(n, c.Path, 0, 100_000) is { } v ? s with { Scatter = (int)v } : null,
            (w, s) => w.WriteNumber("scatter", s.Scatter)),
        new("noise_floor", "also score exact data samples: the two-sample noise floor of each metric (false)", KeyIdentity.WhenSet,
            (c, n, s) => c.Binder.Boolean(n, c.Path) is { } v ? s with { NoiseFloor = v } : null,
            (w, s) => w.WriteBoolean("noise_floor", s.NoiseFloor), s => s.NoiseFloor),
        new("metric_parameters", "parameters of the listed metrics by metric name, e.g. {sliced_w2: {projections: 512}} (diffusion list metrics: the defaults)",
            KeyIdentity.WhenSet, BindMetricParameters, WriteMetricParameters, s => s.MetricParameters.Count > 0),
    ]);

    /// <summary>Binds the block; eval.reference defaults to eval.particles. Null when any key was bad (errors reported).</summary>
    public static EvalSpec? Bind(ConfigBinder b, ConfigMapping block, string baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(block);
        var spec = Table.Bind(b, block, new EvalSpec(0, 0, [], 0), baseDirectory);
        return spec is null || block.Find("reference") is not null ? spec : spec with { Reference = spec.Particles };
    }

    /// <summary>Writes the block.</summary>
    public static void Write(Utf8JsonWriter w, EvalSpec spec)
    {
        ArgumentNullException.ThrowIfNull(w);
        w.WriteStartObject("eval");
        Table.WriteRows(w, spec);
        w.WriteEndObject();
    }

    private static EvalSpec? BindMetrics(KeyContext c, ConfigNode node, EvalSpec spec)
    {
        if (c.Binder.StringList(node, c.Path, allowEmpty: true) is not { } list) return null;
        var seq = (ConfigSequence)node;
        var seen = new HashSet<string>();
        var ok = true;
        for (var i = 0; i < list.Count; i++)
        {
            if (c.Binder.Name(seq.Items[i], c.Path, "metrics", "metric") is null) { ok = false; continue; }
            if (!seen.Add(list[i]))
            {
                c.Binder.Error(seq.Items[i].Location, $"metric '{list[i]}' is listed twice");
                ok = false;
            }
        }
        return ok ? spec with { Metrics = list } : null;
    }

    // A mapping metric name -> {key: number or list}; each name must be listed in eval.metrics. The names are those
    // written there, not those bound: when eval.metrics has a bad entry, the good ones are not reported again as unlisted
    // here, and when eval.metrics is not a list (reported there) nothing is. The keys and types are checked against the
    // metric's schema by the backend's cell check (eval.metric_parameters.NAME.KEY).
    private static EvalSpec? BindMetricParameters(KeyContext c, ConfigNode node, EvalSpec spec)
    {
        if (c.Binder.Mapping(node, c.Path) is not { } block) return null;
        IReadOnlyList<string>? listed = c.Block.Find("metrics")?.Value switch
        {
            null => [],
            ConfigSequence written => written.Items.OfType<ConfigScalar>().Select(s => s.Value).ToList(),
            _ => null,
        };
        var result = new SortedDictionary<string, IReadOnlyDictionary<string, IReadOnlyList<double>>>(StringComparer.Ordinal);
        var ok = true;
        foreach (var entry in block.Entries)
        {
            if (listed is not null && !listed.Contains(entry.Name))
            {
                c.Binder.Error(entry.Key.Location, $"{c.Path}.{entry.Name}: metric '{entry.Name}' is not listed in eval.metrics ({string.Join(", ", listed)})");
                ok = false;
                continue;
            }
            if (c.Binder.NumberListMap(entry.Value, c.Path + "." + entry.Name) is { } values) result[entry.Name] = values;
            else ok = false;
        }
        return ok ? spec with { MetricParameters = result } : null;
    }

    private static void WriteMetricParameters(Utf8JsonWriter w, EvalSpec spec)
    {
        w.WriteStartObject("metric_parameters");
        foreach (var (metric, values) in spec.MetricParameters)
        {
            w.WriteStartObject(metric);
            foreach (var key in values.Keys.OrderBy(k => k, StringComparer.Ordinal))
            {
                var list = values[key];
                if (list.Count == 1) { w.WriteNumber(key, list[0]); continue; }
                w.WriteStartArray(key);
                foreach (var v in list) w.WriteNumberValue(v);
                w.WriteEndArray();
            }
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }
}
