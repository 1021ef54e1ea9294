using System.Globalization;
using System.Text;
using System.Text.Json;
using Diffusion.Research.Experiments.Configuration;

namespace Diffusion.Research.Experiments.Plans;

/// <summary>Writes the resolved configuration of a cell as compact JSON with a fixed key order (its identity).</summary>
internal static class CanonicalJson
{
    public static string Write(DataSpec data, SdeSpec sde, ModelSpec model, SamplerSpec sampler, EvalSpec eval)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteStartObject("data");
            w.WriteString("name", data.Name);
            w.WriteStartObject("parameters");
            foreach (var key in data.Parameters.Keys.OrderBy(k => k, StringComparer.Ordinal))
            {
                var values = data.Parameters[key];
                if (values.Count == 1) { w.WriteNumber(key, values[0]); continue; }
                w.WriteStartArray(key);
                foreach (var v in values) w.WriteNumberValue(v);
                w.WriteEndArray();
            }
            w.WriteEndObject();
            w.WriteEndObject();

            w.WriteStartObject("sde");
            w.WriteString("kind", sde.Kind);
            Map(w, "parameters", sde.Parameters);
            w.WriteNumber("t_eps", sde.TEps);
            w.WriteEndObject();

            w.WritePropertyName("model");
            Node(w, model.Settings);

            w.WriteStartObject("sampler");
            w.WriteString("solver", sampler.Solver);
            Nullable(w, "steps", sampler.Steps);
            Nullable(w, "nfe", sampler.Nfe);
            w.WriteString("schedule", sampler.Schedule);
            Map(w, "schedule_parameters", sampler.ScheduleParameters);
            if (sampler.Lambda is { } l) w.WriteNumber("lambda", l); else w.WriteNull("lambda");
            w.WriteNumber("rtol", sampler.RelativeTolerance);
            w.WriteNumber("atol", sampler.AbsoluteTolerance);
            w.WriteNumber("max_steps", sampler.MaxSteps);
            Map(w, "parameters", sampler.Parameters);
            w.WriteBoolean("dump", sampler.Dump);
            if (sampler.Init is null) w.WriteNull("init"); else w.WriteString("init", sampler.Init);
            if (sampler.Device is { } device) w.WriteString("device", device); // written only when set: older cells keep their ids
            w.WriteEndObject();

            w.WriteStartObject("eval");
            w.WriteNumber("particles", eval.Particles);
            w.WriteNumber("reference", eval.Reference);
            w.WriteStartArray("metrics");
            foreach (var m in eval.Metrics) w.WriteStringValue(m);
            w.WriteEndArray();
            w.WriteNumber("scatter", eval.Scatter);
            if (eval.NoiseFloor) w.WriteBoolean("noise_floor", true); // written only when set: older cells keep their ids
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void Nullable(Utf8JsonWriter w, string name, int? value)
    {
        if (value is { } v) w.WriteNumber(name, v); else w.WriteNull(name);
    }

    private static void Map(Utf8JsonWriter w, string name, IReadOnlyDictionary<string, double> map)
    {
        w.WriteStartObject(name);
        foreach (var key in map.Keys.OrderBy(k => k, StringComparer.Ordinal)) w.WriteNumber(key, map[key]);
        w.WriteEndObject();
    }

    /// <summary>A generic node: mappings with sorted keys, numbers and booleans typed, other scalars as strings.</summary>
    private static void Node(Utf8JsonWriter w, ConfigNode node)
    {
        switch (node)
        {
            case ConfigMapping m:
                w.WriteStartObject();
                foreach (var e in m.Entries.OrderBy(e => e.Name, StringComparer.Ordinal))
                {
                    w.WritePropertyName(e.Name);
                    Node(w, e.Value);
                }
                w.WriteEndObject();
                break;
            case ConfigSequence s:
                w.WriteStartArray();
                foreach (var item in s.Items) Node(w, item);
                w.WriteEndArray();
                break;
            case ConfigScalar { IsNull: true }:
                w.WriteNullValue();
                break;
            case ConfigScalar { IsQuoted: false, Value: "true" or "false" } b:
                w.WriteBooleanValue(b.Value == "true");
                break;
            case ConfigScalar { IsQuoted: false } n when double.TryParse(n.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d):
                w.WriteNumberValue(d);
                break;
            case ConfigScalar s:
                w.WriteStringValue(s.Value);
                break;
        }
    }
}
