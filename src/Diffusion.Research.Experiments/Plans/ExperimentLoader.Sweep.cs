using Diffusion.Research.Experiments.Configuration;

namespace Diffusion.Research.Experiments.Plans;

/// <summary>The <c>sweep:</c> block: axes (cartesian and zipped), and substituting a swept value into the tree.</summary>
public sealed partial class ExperimentLoader
{
    private static List<SweepAxis> ReadSweep(ConfigBinder b, ConfigMapping root)
    {
        var axes = new List<SweepAxis>();
        if (b.Get(root, "sweep") is not { } node || b.Mapping(node, "sweep") is not { } sweep) return axes;
        var seen = new HashSet<string>();
        foreach (var entry in sweep.Entries)
        {
            if (entry.Name == "zip")
            {
                if (entry.Value is not ConfigSequence groups || groups.Items.Count == 0)
                {
                    b.Error(entry.Value.Location, "sweep.zip must be a non-empty list of groups, each a mapping of dotted keys to lists of equal length");
                    continue;
                }
                foreach (var g in groups.Items)
                {
                    if (b.Mapping(g, "a sweep.zip group") is not { } group) continue;
                    if (group.Entries.Count == 0) { b.Error(group.Location, "a sweep.zip group must not be empty"); continue; }
                    var keys = new List<ConfigScalar>();
                    var values = new List<IReadOnlyList<ConfigNode>>();
                    foreach (var e in group.Entries)
                    {
                        if (SweepEntry(b, e, seen) is { } list) { keys.Add(e.Key); values.Add(list); }
                    }
                    if (keys.Count != group.Entries.Count) continue;
                    var length = values[0].Count;
                    var bad = false;
                    for (var i = 1; i < values.Count; i++)
                    {
                        if (values[i].Count == length) continue;
                        b.Error(keys[i].Location, $"zipped sweep key '{keys[i].Value}' has {values[i].Count} values but '{keys[0].Value}' has {length}; zipped lists must have equal length");
                        bad = true;
                    }
                    if (!bad) axes.Add(new SweepAxis(keys, values));
                }
                continue;
            }
            if (SweepEntry(b, entry, seen) is { } items) axes.Add(new SweepAxis([entry.Key], [items]));
        }
        return axes;
    }

    private static IReadOnlyList<ConfigNode>? SweepEntry(ConfigBinder b, ConfigEntry entry, HashSet<string> seen)
    {
        var key = entry.Name;
        var parts = key.Split('.');
        if (parts.Length < 2 || !SweepableSections.Contains(parts[0]) || parts.Any(p => p.Length == 0))
        {
            b.Error(entry.Key.Location, $"sweep key '{key}' must be a dotted key inside {string.Join(", ", SweepableSections)} (e.g. sampler.solver)");
            return null;
        }
        if (!seen.Add(key))
        {
            b.Error(entry.Key.Location, $"sweep key '{key}' is swept twice");
            return null;
        }
        if (entry.Value is not ConfigSequence seq || seq.Items.Count == 0)
        {
            b.Error(entry.Value.Location, $"sweep.{key} must be a non-empty list of values, got {entry.Value.KindName}");
            return null;
        }
        return seq.Items;
    }

    private static ConfigMapping Apply(ConfigBinder b, ConfigMapping tree, ConfigScalar key, string[] parts, int depth, ConfigNode value, ref bool ok)
    {
        var segment = new ConfigScalar(parts[depth], false, key.Location);
        if (depth == parts.Length - 1) return tree.With(segment, value);
        var child = tree.Find(parts[depth])?.Value;
        ConfigMapping childMap;
        if (child is null || child is ConfigScalar { IsNull: true }) childMap = new ConfigMapping([], key.Location);
        else if (child is ConfigMapping m) childMap = m;
        else
        {
            b.Error(key.Location, $"cannot sweep '{key.Value}': '{string.Join('.', parts[..(depth + 1)])}' is {child.KindName}, not a mapping");
            ok = false;
            return tree;
        }
        return tree.With(segment, Apply(b, childMap, key, parts, depth + 1, value, ref ok));
    }

    private static string Display(ConfigNode node) => node switch
    {
        ConfigScalar s => s.Value,
        ConfigSequence q => "[" + string.Join(", ", q.Items.Select(Display)) + "]",
        ConfigMapping m => "{" + string.Join(", ", m.Entries.Select(e => e.Name + ": " + Display(e.Value))) + "}",
        _ => "?",
    };
}
