using System.Text;
using System.Text.Json;

namespace Diffusion.Research.Experiments;

/// <summary>
/// One line of runs.jsonl: a cell and repeat, its resolved configuration, metrics, solver statistics, status and
/// wall time. Non-finite metric values are written as null. <see cref="Floor"/> (with <c>eval.noise_floor</c>) is written
/// as "floor" after "metrics" only when present, so older logs read and write back unchanged.
/// </summary>
public sealed record ResultRecord(
    string Cell,
    int Index,
    int Repeat,
    string Status,
    string? Message,
    IReadOnlyDictionary<string, double?> Metrics,
    long Nfe,
    long Accepted,
    long Rejected,
    double WallSeconds,
    string ConfigJson)
{
    /// <summary>The two-sample noise floor of each metric in this repeat (exact data samples against the reference); empty when not computed.</summary>
    public IReadOnlyDictionary<string, double?> Floor { get; init; } = new SortedDictionary<string, double?>(StringComparer.Ordinal);

    /// <summary>Whether the run succeeded.</summary>
    public bool IsSuccess => Status == Backend.CellResult.SuccessStatus;

    /// <summary>The device the solve ran on (name, driver, ILGPU version) when not the plain CPU path; null otherwise (then not written).</summary>
    public string? Device { get; init; }

    /// <summary>The record as one JSON line (no trailing newline).</summary>
    public string ToJsonLine()
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteString("cell", Cell);
            w.WriteNumber("index", Index);
            w.WriteNumber("repeat", Repeat);
            w.WriteString("status", Status);
            if (Message is null) w.WriteNull("message"); else w.WriteString("message", Message);
            WriteValues(w, "metrics", Metrics);
            if (Floor.Count > 0) WriteValues(w, "floor", Floor);
            w.WriteNumber("nfe", Nfe);
            w.WriteNumber("accepted", Accepted);
            w.WriteNumber("rejected", Rejected);
            w.WriteNumber("wall_seconds", Math.Round(WallSeconds, 6));
            if (Device is not null) w.WriteString("device", Device);
            w.WritePropertyName("config");
            w.WriteRawValue(ConfigJson, skipInputValidation: false);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteValues(Utf8JsonWriter w, string name, IReadOnlyDictionary<string, double?> values)
    {
        w.WriteStartObject(name);
        foreach (var key in values.Keys.OrderBy(k => k, StringComparer.Ordinal))
        {
            if (values[key] is { } v && double.IsFinite(v)) w.WriteNumber(key, v);
            else w.WriteNull(key);
        }
        w.WriteEndObject();
    }

    private static SortedDictionary<string, double?> ReadValues(JsonElement element)
    {
        var values = new SortedDictionary<string, double?>(StringComparer.Ordinal);
        foreach (var p in element.EnumerateObject())
            values[p.Name] = p.Value.ValueKind == JsonValueKind.Number ? p.Value.GetDouble() : null;
        return values;
    }

    /// <summary>Parses one line; throws <see cref="JsonException"/> or <see cref="FormatException"/> on a malformed line.</summary>
    public static ResultRecord Parse(string line)
    {
        using var doc = JsonDocument.Parse(line);
        var r = doc.RootElement;
        return new ResultRecord(
            r.GetProperty("cell").GetString() ?? throw new FormatException("cell is null"),
            r.GetProperty("index").GetInt32(),
            r.GetProperty("repeat").GetInt32(),
            r.GetProperty("status").GetString() ?? throw new FormatException("status is null"),
            r.GetProperty("message").GetString(),
            ReadValues(r.GetProperty("metrics")),
            r.GetProperty("nfe").GetInt64(),
            r.GetProperty("accepted").GetInt64(),
            r.GetProperty("rejected").GetInt64(),
            r.GetProperty("wall_seconds").GetDouble(),
            r.GetProperty("config").GetRawText())
        {
            Floor = r.TryGetProperty("floor", out var floor) ? ReadValues(floor) : new SortedDictionary<string, double?>(StringComparer.Ordinal),
            Device = r.TryGetProperty("device", out var device) ? device.GetString() : null,
        };
    }

    /// <summary>The value of a dotted key in a JSON object, or null when absent.</summary>
    public static JsonElement? Lookup(JsonElement root, string dottedKey)
    {
        var current = root;
        foreach (var part in dottedKey.Split('.'))
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(part, out var next)) return null;
            current = next;
        }
        return current;
    }

    /// <summary>The value of a dotted key of the resolved configuration as display text ("" when absent).</summary>
    public string ConfigValue(string dottedKey)
    {
        using var doc = JsonDocument.Parse(ConfigJson);
        return Lookup(doc.RootElement, dottedKey) is { } e ? Display(e) : "";
    }

    internal static string Display(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString() ?? "",
        JsonValueKind.Null => "-",
        JsonValueKind.Number => e.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => e.GetRawText(),
    };
}
