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

    // An object of metric values: a number, or null for a value that was not finite (WriteValues).
    private static SortedDictionary<string, double?> ReadValues(JsonElement element)
    {
        var values = new SortedDictionary<string, double?>(StringComparer.Ordinal);
        foreach (var p in element.EnumerateObject())
            values[p.Name] = p.Value.ValueKind switch
            {
                JsonValueKind.Null => null,
                _ => p.Value.GetDouble(), // throws InvalidOperationException on any other kind, FormatException out of range
            };
        return values;
    }

    /// <summary>Parses one line; throws <see cref="JsonException"/> on a line that is not JSON and <see cref="FormatException"/>
    /// naming the key on a record that lacks a key or holds a value of the wrong type.</summary>
    public static ResultRecord Parse(string line)
    {
        using var doc = JsonDocument.Parse(line);
        var r = doc.RootElement;
        if (r.ValueKind != JsonValueKind.Object) throw new FormatException($"a run record is a JSON object, got {Shown(r)}");
        return new ResultRecord(
            Read(r, "cell", "a string", NonNullString),
            Read(r, "index", "a whole number", e => e.GetInt32()),
            Read(r, "repeat", "a whole number", e => e.GetInt32()),
            Read(r, "status", "a string", NonNullString),
            Read(r, "message", "a string or null", e => e.ValueKind == JsonValueKind.Null ? null : e.GetString()),
            Read(r, "metrics", "an object of numbers and nulls", ReadValues),
            Read(r, "nfe", "a whole number", e => e.GetInt64()),
            Read(r, "accepted", "a whole number", e => e.GetInt64()),
            Read(r, "rejected", "a whole number", e => e.GetInt64()),
            Read(r, "wall_seconds", "a number", e => e.GetDouble()),
            Read(r, "config", "an object", e => e.ValueKind == JsonValueKind.Object ? e.GetRawText() : throw new InvalidOperationException()))
        {
            Floor = r.TryGetProperty("floor", out _) ? Read(r, "floor", "an object of numbers and nulls", ReadValues) : new SortedDictionary<string, double?>(StringComparer.Ordinal),
            Device = r.TryGetProperty("device", out _) ? Read(r, "device", "a string or null", e => e.ValueKind == JsonValueKind.Null ? null : e.GetString()) : null,
        };
    }

    // One key of a record, read by `read`; a missing key or a value `read` refuses (a wrong JSON type, a number out of
    // range) is a FormatException that names the key and what it must hold.
    private static T Read<T>(JsonElement record, string key, string what, Func<JsonElement, T> read)
    {
        if (!record.TryGetProperty(key, out var value)) throw new FormatException($"the key \"{key}\" is missing");
        try
        {
            return read(value);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw new FormatException($"\"{key}\" must be {what}, got {Shown(value)}");
        }
    }

    private static string NonNullString(JsonElement e) => e.GetString() ?? throw new InvalidOperationException();

    private static string Shown(JsonElement value)
    {
        var raw = value.GetRawText();
        return raw.Length <= 40 ? raw : raw[..37] + "...";
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
