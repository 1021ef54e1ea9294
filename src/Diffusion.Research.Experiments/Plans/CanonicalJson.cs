using System.Globalization;
using System.Text;
using System.Text.Json;
using Diffusion.Research.Experiments.Configuration;

namespace Diffusion.Research.Experiments.Plans;

/// <summary>Writes the resolved configuration of a cell as compact JSON with a fixed key order (its identity).</summary>
internal static class CanonicalJson
{
    public static string Write(DataSpec data, SdeSpec sde, ModelSpec model, SamplerSpec sampler, EvalSpec eval) =>
        Write(w => { Blocks(w, data, sde, model); Sampler(w, sampler); Eval(w, eval); });

    /// <summary>The data and sde blocks alone: what a model trained on the data set alone depends on besides its own settings.</summary>
    public static string WriteDataAndSde(DataSpec data, SdeSpec sde) => Write(w => { DataBlock.Write(w, data); SdeBlock.Write(w, sde); });

    /// <summary>The data, sde and model blocks alone: what a trained model depends on (its cache key).</summary>
    public static string WriteModelBlocks(DataSpec data, SdeSpec sde, ModelSpec model) => Write(w => Blocks(w, data, sde, model));

    private static string Write(Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void Blocks(Utf8JsonWriter w, DataSpec data, SdeSpec sde, ModelSpec model)
    {
        DataBlock.Write(w, data);
        SdeBlock.Write(w, sde);
        w.WritePropertyName("model");
        Node(w, model.Settings);
    }

    private static void Sampler(Utf8JsonWriter w, SamplerSpec sampler)
    {
        SamplerBlock.Write(w, sampler);
    }

    private static void Eval(Utf8JsonWriter w, EvalSpec eval)
    {
        EvalBlock.Write(w, eval);
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
