using System.Text.Json;
using Diffusion.Research.Experiments.Configuration;

namespace Diffusion.Research.Experiments.Plans;

/// <summary>
/// The keys of the <c>eval:</c> block as a declarative table, one row per key (see <see cref="KeyTable{TSpec}"/>).
/// <c>noise_floor</c>, added after the first schema, is <see cref="KeyIdentity.WhenSet"/>: cells that do not set it
/// kept their ids when it was added.
/// </summary>
public static class EvalBlock
{
    /// <summary>The table.</summary>
    public static KeyTable<EvalSpec> Table { get; } = new("eval",
    [
        new("particles", "samples drawn per run (required)", KeyIdentity.Always,
            (c, n, s) => c.Binder.Integer(n, c.Path, 1, 10_000_000) is { } v ? s with { Particles = (int)v } : null,
            (w, s) => w.WriteNumber("particles", s.Particles), _ => true, Required: true),
        new("reference", "reference samples of the data set (eval.particles)", KeyIdentity.Always,
            (c, n, s) => c.Binder.Integer(n, c.Path, 1, 10_000_000) is { } v ? s with { Reference = (int)v } : null,
            (w, s) => w.WriteNumber("reference", s.Reference), _ => true),
        new("metrics", "metrics of the samples and of the model (diffusion list metrics) ([])", KeyIdentity.Always, BindMetrics,
            (w, s) =>
            {
                w.WriteStartArray("metrics");
                foreach (var m in s.Metrics) w.WriteStringValue(m);
                w.WriteEndArray();
            }, s => s.Metrics.Count > 0),
        new("scatter", "points of the 2-D scatter figure, 0 = none (0)", KeyIdentity.Always,
            (c, n, s) => c.Binder.Integer(n, c.Path, 0, 100_000) is { } v ? s with { Scatter = (int)v } : null,
            (w, s) => w.WriteNumber("scatter", s.Scatter), s => s.Scatter != 0),
        new("noise_floor", "also score exact data samples: the two-sample noise floor of each metric (false)", KeyIdentity.WhenSet,
            (c, n, s) => c.Binder.Boolean(n, c.Path) is { } v ? s with { NoiseFloor = v } : null,
            (w, s) => w.WriteBoolean("noise_floor", s.NoiseFloor), s => s.NoiseFloor),
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
}
