using System.Security.Cryptography;
using System.Text;
using Diffusion.Research.Experiments.Conditional;
using Diffusion.Research.Experiments.Configuration;

namespace Diffusion.Research.Experiments.Plans;

/// <summary>One cell: the data, sde, model, sampler and eval blocks (and guidance or measurement) of a resolved tree, bound to a <see cref="CellSpec"/>.</summary>
public sealed partial class ExperimentLoader
{
    private static CellSpec? BindCell(ConfigBinder b, ConfigMapping tree, int index, IReadOnlyList<SweepValue> overrides, string baseDirectory,
        Dictionary<string, SourceLocation> overridden)
    {
        var before = b.ErrorCount;
        ConfigMapping Section(string key, bool required)
        {
            var node = b.Get(tree, key, key, required);
            return node is null ? new ConfigMapping([], tree.Location) : b.Mapping(node, key) ?? new ConfigMapping([], node.Location);
        }

        var dataNode = Section("data", true);
        b.CheckKeys(dataNode, "data", DataKeys);
        var data = DataBlock.Bind(b, dataNode, baseDirectory);

        var sdeNode = Section("sde", true);
        b.CheckKeys(sdeNode, "sde", SdeKeys);
        var sde = SdeBlock.Bind(b, sdeNode, baseDirectory);

        var model = ModelBlock.Bind(b, Section("model", false), baseDirectory);

        var samplerNode = Section("sampler", true);
        b.CheckKeys(samplerNode, "sampler", SamplerKeys);
        var solver = b.Get(samplerNode, "solver", "sampler.solver", true) is { } so ? b.Name(so, "sampler.solver", "solvers", "solver") : null;
        if (samplerNode.Find("by_solver") is { } bySolver)
        {
            samplerNode = ApplySolverOverrides(b, samplerNode, bySolver, solver, overridden);
            tree = tree.With(tree.Find("sampler")!.Key, samplerNode);
        }
        var sampler = solver is null ? null : SamplerBlock.Bind(b, samplerNode, solver, baseDirectory);

        var evalNode = Section("eval", true);
        b.CheckKeys(evalNode, "eval", EvalKeys);
        var eval = EvalBlock.Bind(b, evalNode, baseDirectory);
        var conditional = ConditionalBinder.Bind(b, tree); // guidance: and measurement: (docs/guidance.md)

        if (b.ErrorCount > before || data is null || sde is null || model is null || sampler is null || eval is null)
            return null;

        var json = ConditionalBinder.Extend(CanonicalJson.Write(data, sde, model, sampler, eval), conditional);
        var id = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)))[..16];
        var locations = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
        Collect(tree, "", locations);
        return new CellSpec(index, id, data, sde, model, sampler, eval, overrides, json, baseDirectory)
        {
            Locations = locations,
            ModelKey = CanonicalJson.WriteModelBlocks(data, sde, model),
            Conditional = conditional,
        };
    }

    /// <summary>
    /// Resolves <c>sampler.by_solver</c>: every entry must name a solver and hold sampler keys; the keys of the entry
    /// named after the cell's solver replace the sampler keys of the same name (an entry giving steps or nfe replaces
    /// both). The result has no by_solver key, so a cell's identity depends only on the settings it runs with.
    /// </summary>
    private static ConfigMapping ApplySolverOverrides(ConfigBinder b, ConfigMapping sampler, ConfigEntry bySolver, string? solver,
        Dictionary<string, SourceLocation> overridden)
    {
        var result = sampler.Without("by_solver");
        if (b.Mapping(bySolver.Value, "sampler.by_solver") is not { } entries) return result;
        foreach (var entry in entries.Entries)
        {
            if (b.Name(entry.Key, "sampler.by_solver", "solvers", "solver") is null) continue;
            overridden.TryAdd(entry.Name, entry.Key.Location);
            var section = "sampler.by_solver." + entry.Name;
            if (b.Mapping(entry.Value, section) is not { } keys) continue;
            b.CheckKeys(keys, section, SolverOverrideKeys);
            if (entry.Name != solver) continue;
            if (keys.Find("steps") is not null || keys.Find("nfe") is not null) result = result.Without("steps", "nfe");
            foreach (var key in keys.Entries)
                if (SolverOverrideKeys.Contains(key.Name)) result = result.With(key.Key, key.Value);
        }
        return result;
    }

    private static void Collect(ConfigNode node, string prefix, Dictionary<string, SourceLocation> locations)
    {
        if (prefix.Length > 0) locations[prefix] = node.Location;
        if (node is ConfigMapping m)
            foreach (var e in m.Entries)
            {
                var key = prefix.Length == 0 ? e.Name : prefix + "." + e.Name;
                Collect(e.Value, key, locations);
            }
    }
}
