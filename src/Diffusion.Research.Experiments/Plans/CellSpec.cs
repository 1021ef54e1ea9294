using Diffusion.Research.Experiments.Conditional;
using Diffusion.Research.Experiments.Configuration;

namespace Diffusion.Research.Experiments.Plans;

/// <summary>
/// One cell of a sweep: the fully resolved configuration (sweep values substituted, defaults filled in).
/// <see cref="Id"/> is a hash of <see cref="ResolvedJson"/>, so a cell keeps its identity in the run log
/// whatever its position in the sweep.
/// </summary>
public sealed record CellSpec(
    int Index,
    string Id,
    DataSpec Data,
    SdeSpec Sde,
    ModelSpec Model,
    SamplerSpec Sampler,
    EvalSpec Eval,
    IReadOnlyList<SweepValue> Overrides,
    string ResolvedJson,
    string BaseDirectory)
{
    /// <summary>Where each dotted key of the cell was written (sweep values point at the sweep entry).</summary>
    public IReadOnlyDictionary<string, SourceLocation> Locations { get; init; } = new Dictionary<string, SourceLocation>();

    /// <summary>The guidance or measurement block (conditional generation); null for an ordinary cell.</summary>
    public ConditionalSpec? Conditional { get; init; }

    /// <summary>
    /// The canonical data, sde and model blocks: two cells with the same key (and model noise) build the same score
    /// model, so a builder may cache what it trained under it. Empty when unknown.
    /// </summary>
    public string ModelKey { get; init; } = "";

    /// <summary>The value of a dotted key of the resolved configuration as a table shows it ("" when absent).</summary>
    public string ConfigValue(string dottedKey)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(ResolvedJson);
        return ResultRecord.Lookup(doc.RootElement, dottedKey) is { } e ? ResultRecord.Display(e) : "";
    }

    /// <summary>True when the resolved configuration has the dotted key (set or defaulted).</summary>
    public bool HasKey(string dottedKey)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(ResolvedJson);
        return ResultRecord.Lookup(doc.RootElement, dottedKey) is not null;
    }

    /// <summary>The best location for a dotted key: the key itself, else its closest written parent.</summary>
    public SourceLocation? Locate(string key)
    {
        for (var k = key; ; k = k[..k.LastIndexOf('.')])
        {
            if (Locations.TryGetValue(k, out var loc)) return loc;
            if (!k.Contains('.')) return null;
        }
    }

    /// <summary>A short label for progress output, e.g. "#3 sampler.solver=heun sampler.nfe=20".</summary>
    public string Label => Overrides.Count == 0 ? $"#{Index}" : $"#{Index} " + string.Join(" ", Overrides.Select(o => $"{o.Key}={o.Value}"));
}
