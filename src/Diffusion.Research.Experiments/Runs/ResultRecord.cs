using System.Text;
using System.Text.Json;

namespace Diffusion.Research.Experiments;

/// <summary>
/// One line of runs.jsonl: a cell and repeat, its resolved configuration, metrics, solver statistics, status and
/// wall time. Non-finite metric values are written as null.
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
    /// <summary>Whether the run succeeded.</summary>
    public bool IsSuccess => Status == Backend.CellResult.SuccessStatus;

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
            w.WriteStartObject("metrics");
            foreach (var key in Metrics.Keys.OrderBy(k => k, StringComparer.Ordinal))
            {
                if (Metrics[key] is { } v && double.IsFinite(v)) w.WriteNumber(key, v);
                else w.WriteNull(key);
            }
            w.WriteEndObject();
            w.WriteNumber("nfe", Nfe);
            w.WriteNumber("accepted", Accepted);
            w.WriteNumber("rejected", Rejected);
            w.WriteNumber("wall_seconds", Math.Round(WallSeconds, 6));
            w.WritePropertyName("config");
            w.WriteRawValue(ConfigJson, skipInputValidation: false);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Parses one line; throws <see cref="JsonException"/> or <see cref="FormatException"/> on a malformed line.</summary>
    public static ResultRecord Parse(string line)
    {
        using var doc = JsonDocument.Parse(line);
        var r = doc.RootElement;
        var metrics = new SortedDictionary<string, double?>(StringComparer.Ordinal);
        foreach (var p in r.GetProperty("metrics").EnumerateObject())
            metrics[p.Name] = p.Value.ValueKind == JsonValueKind.Number ? p.Value.GetDouble() : null;
        return new ResultRecord(
            r.GetProperty("cell").GetString() ?? throw new FormatException("cell is null"),
            r.GetProperty("index").GetInt32(),
            r.GetProperty("repeat").GetInt32(),
            r.GetProperty("status").GetString() ?? throw new FormatException("status is null"),
            r.GetProperty("message").GetString(),
            metrics,
            r.GetProperty("nfe").GetInt64(),
            r.GetProperty("accepted").GetInt64(),
            r.GetProperty("rejected").GetInt64(),
            r.GetProperty("wall_seconds").GetDouble(),
            r.GetProperty("config").GetRawText());
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

    private static string Display(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString() ?? "",
        JsonValueKind.Null => "-",
        JsonValueKind.Number => e.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => e.GetRawText(),
    };
}
