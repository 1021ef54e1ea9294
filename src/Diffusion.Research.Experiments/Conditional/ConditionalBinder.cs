using System.Text;
using System.Text.Json;
using Diffusion.Research.Experiments.Configuration;

namespace Diffusion.Research.Experiments.Conditional;

/// <summary>
/// Binds the <c>guidance:</c> and <c>measurement:</c> blocks of a cell (after sweep substitution, so every key is
/// sweepable) with located errors in the user's key names, and writes them into the cell's canonical JSON only when set,
/// so cells without them keep their identity.
/// </summary>
public static class ConditionalBinder
{
    /// <summary>The top-level keys this binder owns.</summary>
    public static readonly IReadOnlyList<string> Sections = ["guidance", "measurement"];

    /// <summary>Keys of <c>guidance:</c>.</summary>
    public static readonly IReadOnlyList<string> GuidanceKeys = ["kind", "scale", "class", "target", "classifier", "train_steps", "score", "p_uncond"];

    /// <summary>Keys of <c>measurement:</c>.</summary>
    public static readonly IReadOnlyList<string> MeasurementKeys = ["A", "observed", "noise", "y", "method", "parameters"];

    /// <summary>Values of <c>guidance.kind</c>.</summary>
    public static readonly IReadOnlyList<string> GuidanceKinds = ["none", "classifier", "cfg"];

    /// <summary>Values of <c>guidance.target</c>.</summary>
    public static readonly IReadOnlyList<string> Targets = ["conditional", "tilted"];

    /// <summary>Values of <c>measurement.method</c>.</summary>
    public static readonly IReadOnlyList<string> Methods = ["replacement", "repaint", "dps"];

    /// <summary>The blocks of <paramref name="tree"/> (null when neither is present or guidance.kind is none); errors go to <paramref name="b"/>.</summary>
    public static ConditionalSpec? Bind(ConfigBinder b, ConfigMapping tree)
    {
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(tree);
        var guidance = tree.Find("guidance") is { } g ? BindGuidance(b, g.Value) : null;
        var measurement = tree.Find("measurement") is { } m ? BindMeasurement(b, m.Value) : null;
        if (guidance is not null && measurement is not null)
            b.Error(tree.Find("measurement")!.Key.Location, "give either guidance or measurement in a cell, not both");
        var spec = new ConditionalSpec(guidance, measurement);
        return spec.IsEmpty ? null : spec;
    }

    /// <summary><paramref name="json"/> (a canonical cell object) with "guidance" and "measurement" appended when set.</summary>
    public static string Extend(string json, ConditionalSpec? spec)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (spec is null || spec.IsEmpty) return json;
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            if (spec.Guidance is { } g)
            {
                w.WriteStartObject("guidance");
                w.WriteString("kind", g.Kind);
                w.WriteNumber("scale", g.Scale);
                w.WriteNumber("class", g.Class);
                w.WriteString("target", g.Target);
                if (g.Classifier != "exact") // written only when set: exact-guidance cells keep their ids
                {
                    w.WriteString("classifier", g.Classifier);
                    w.WriteNumber("train_steps", g.TrainSteps);
                }
                if (g.Score != "exact") // likewise: cells without guidance.score keep their ids
                {
                    w.WriteString("score", g.Score);
                    w.WriteNumber("train_steps", g.TrainSteps);
                    w.WriteNumber("p_uncond", g.UnconditionalProbability);
                }
                w.WriteEndObject();
            }
            if (spec.Measurement is { } m)
            {
                w.WriteStartObject("measurement");
                if (m.Matrix.Count > 0)
                {
                    w.WriteStartArray("A");
                    foreach (var v in m.Matrix) w.WriteNumberValue(v);
                    w.WriteEndArray();
                    w.WriteNumber("rows", m.Rows);
                }
                else
                {
                    w.WriteStartArray("observed");
                    foreach (var v in m.Observed) w.WriteNumberValue(v);
                    w.WriteEndArray();
                }
                w.WriteNumber("noise", m.Noise);
                w.WriteStartArray("y");
                foreach (var v in m.Observation) w.WriteNumberValue(v);
                w.WriteEndArray();
                w.WriteString("method", m.Method);
                w.WriteStartObject("parameters");
                foreach (var key in m.Parameters.Keys.OrderBy(k => k, StringComparer.Ordinal)) w.WriteNumber(key, m.Parameters[key]);
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        var extra = Encoding.UTF8.GetString(stream.ToArray());
        // {...cell...} + {"guidance":...} -> {...cell...,"guidance":...}
        return json[..^1] + "," + extra[1..];
    }

    private static GuidanceSpec? BindGuidance(ConfigBinder b, ConfigNode node)
    {
        if (b.Mapping(node, "guidance") is not { } map) return null;
        var before = b.ErrorCount;
        b.CheckKeys(map, "guidance", GuidanceKeys);
        var kind = b.Get(map, "kind", "guidance.kind", true) is { } k ? Choice(b, k, "guidance.kind", GuidanceKinds) : null;
        var scale = b.Get(map, "scale") is { } s ? b.Number(s, "guidance.scale", 0, 1000) : null;
        var label = b.Get(map, "class", "guidance.class", kind is not null && kind != "none") is { } c ? b.Integer(c, "guidance.class", 0, 1_000_000) : null;
        var target = b.Get(map, "target") is { } t ? Choice(b, t, "guidance.target", Targets) : "conditional";
        var classifier = b.Get(map, "classifier") is { } cl ? Choice(b, cl, "guidance.classifier", ["exact", "learned"]) : "exact";
        var trainSteps = b.Get(map, "train_steps") is { } ts ? b.Integer(ts, "guidance.train_steps", 1, 1_000_000) : 2000;
        var score = b.Get(map, "score") is { } sc ? Choice(b, sc, "guidance.score", ["exact", "learned"]) : "exact";
        var pUncond = b.Get(map, "p_uncond") is { } pu ? b.Number(pu, "guidance.p_uncond", 0, 1, minExclusive: true, maxExclusive: true) : 0.2;
        if (classifier == "learned" && kind == "cfg")
            b.Error(map.Find("classifier")!.Value.Location, "guidance.classifier: learned needs guidance.kind: classifier (for learned classifier-free guidance use guidance.score: learned)");
        if (score == "learned" && kind is not null && kind != "cfg")
            b.Error(map.Find("score")!.Value.Location, "guidance.score: learned needs guidance.kind: cfg (for learned classifier guidance use guidance.classifier: learned)");
        if (map.Find("train_steps") is { } tsEntry && classifier != "learned" && score != "learned")
            b.Error(tsEntry.Key.Location, "guidance.train_steps applies only with guidance.classifier: learned or guidance.score: learned");
        if (map.Find("p_uncond") is { } puEntry && score != "learned")
            b.Error(puEntry.Key.Location, "guidance.p_uncond applies only with guidance.score: learned");
        if (b.ErrorCount > before || kind is null || kind == "none" || label is null || target is null || classifier is null || trainSteps is null
            || score is null || pUncond is null) return null;
        // Default scale: the setting that targets p(x | c) (classifier: 1, cfg: 0).
        return new GuidanceSpec(kind, scale ?? (kind == "classifier" ? 1.0 : 0.0), (int)label.Value, target)
        {
            Classifier = classifier,
            TrainSteps = (int)trainSteps.Value,
            Score = score,
            UnconditionalProbability = pUncond.Value,
        };
    }

    private static MeasurementSpec? BindMeasurement(ConfigBinder b, ConfigNode node)
    {
        if (b.Mapping(node, "measurement") is not { } map) return null;
        var before = b.ErrorCount;
        b.CheckKeys(map, "measurement", MeasurementKeys);
        var method = b.Get(map, "method", "measurement.method", true) is { } me ? Choice(b, me, "measurement.method", Methods) : null;
        var noise = b.Get(map, "noise", "measurement.noise", true) is { } n ? b.Number(n, "measurement.noise", 0, 1e6, minExclusive: true) : null;
        var y = b.Get(map, "y", "measurement.y", true) is { } yn ? Numbers(b, yn, "measurement.y") : null;
        var parameters = b.Get(map, "parameters") is { } p ? b.NumberMap(p, "measurement.parameters") : new SortedDictionary<string, double>(StringComparer.Ordinal);
        var a = map.Find("A");
        var observed = map.Find("observed");
        IReadOnlyList<double> matrix = [];
        IReadOnlyList<int> indices = [];
        var rows = 0;
        if ((a is null) == (observed is null))
            b.Error((a ?? observed)?.Key.Location ?? map.Location, "give exactly one of measurement.A (rows of the matrix) and measurement.observed (indices of the observed coordinates)");
        else if (a is not null)
        {
            if (a.Value is not ConfigSequence seq || seq.Items.Count == 0)
                b.Error(a.Value.Location, "measurement.A must be a non-empty list of rows, e.g. [[1, 0], [0.5, 0.5]]");
            else
            {
                var values = new List<double>();
                var width = -1;
                foreach (var row in seq.Items)
                {
                    if (Numbers(b, row, "measurement.A") is not { } r) continue;
                    if (width >= 0 && r.Count != width) b.Error(row.Location, $"measurement.A: this row has {r.Count} {(r.Count == 1 ? "entry" : "entries")}, the first has {width}");
                    width = width < 0 ? r.Count : width;
                    values.AddRange(r);
                }
                matrix = values;
                rows = seq.Items.Count;
            }
        }
        else
        {
            if (observed!.Value is not ConfigSequence seq || seq.Items.Count == 0)
                b.Error(observed.Value.Location, "measurement.observed must be a non-empty list of coordinate indices, e.g. [0]");
            else
            {
                var list = new List<int>();
                foreach (var item in seq.Items)
                    if (b.Integer(item, "measurement.observed", 0, 1_000_000) is { } i)
                    {
                        if (list.Contains((int)i)) b.Error(item.Location, $"measurement.observed lists coordinate {i} twice");
                        list.Add((int)i);
                    }
                indices = list;
                rows = list.Count;
            }
        }
        if (y is not null && rows > 0 && y.Count != rows)
            b.Error(map.Find("y")!.Value.Location, $"measurement.y has {y.Count} entries but the measurement has {rows} rows");
        if (b.ErrorCount > before || method is null || noise is null || y is null || parameters is null) return null;
        return new MeasurementSpec(matrix, rows, indices, noise.Value, y, method, parameters);
    }

    private static string? Choice(ConfigBinder b, ConfigNode node, string key, IReadOnlyList<string> valid)
    {
        if (b.String(node, key) is not { } s) return null;
        if (valid.Contains(s)) return s;
        var hint = ConfigBinder.Closest(s, valid);
        b.Error(node.Location, $"{key} must be one of {string.Join(", ", valid)}, got '{s}'{(hint is null ? "" : $"; did you mean '{hint}'?")}");
        return null;
    }

    private static List<double>? Numbers(ConfigBinder b, ConfigNode node, string key)
    {
        if (node is not ConfigSequence seq || seq.Items.Count == 0)
        {
            b.Error(node.Location, $"{key} must be a non-empty list of numbers, e.g. [0.5, -1], got {node.KindName}");
            return null;
        }
        var result = new List<double>();
        var ok = true;
        foreach (var item in seq.Items)
        {
            if (b.Number(item, key, double.MinValue, double.MaxValue) is { } v) result.Add(v);
            else ok = false;
        }
        return ok ? result : null;
    }

    /// <summary>A short text of the spec for cache keys (noise floors).</summary>
    public static string Key(ConditionalSpec? spec) => spec is null ? "" : Extend("{}", spec);
}
