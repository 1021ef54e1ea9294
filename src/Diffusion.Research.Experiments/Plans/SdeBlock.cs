using System.Text.Json;
using Diffusion.Research.Experiments.Configuration;
using Diffusion.Research.Nn.Training;

namespace Diffusion.Research.Experiments.Plans;

/// <summary>
/// The keys of the <c>sde:</c> block as a declarative table (see <see cref="KeyTable{TSpec}"/>): <c>kind</c> (required),
/// <c>parameters</c> (checked against the SDE's schema by the backend) and <c>t_eps</c>, the time cut-off where sampling
/// stops. Its default is <see cref="TrainingOptions.TimeEpsilon"/>, the same cut-off neural models train down to (the time
/// cut-off ε of 002; Song et al. 2021), written once there. All are first-schema keys (<see cref="KeyIdentity.Always"/>).
/// </summary>
public static class SdeBlock
{
    /// <summary>The default t_eps: <see cref="TrainingOptions.TimeEpsilon"/>.</summary>
    public static double DefaultTimeEpsilon { get; } = new TrainingOptions().TimeEpsilon;

    /// <summary>The table.</summary>
    public static KeyTable<SdeSpec> Table { get; } = new("sde",
    [
        new("kind", "forward SDE (diffusion list sdes; required)", KeyIdentity.Always,
            (c, n, s) => c.Binder.Name(n, c.Path, "sdes", "SDE") is { } v ? s with { Kind = v } : null,
            (w, s) => w.WriteString("kind", s.Kind), Required: true),
        new("parameters", "parameters of the SDE (diffusion list sdes: the defaults)", KeyIdentity.Always,
            (c, n, s) => c.Binder.NumberMap(n, c.Path) is { } v ? s with { Parameters = v } : null,
            (w, s) =>
            {
                w.WriteStartObject("parameters");
                foreach (var key in s.Parameters.Keys.OrderBy(k => k, StringComparer.Ordinal)) w.WriteNumber(key, s.Parameters[key]);
                w.WriteEndObject();
            }),
        new("t_eps", $"smallest time of sampling, in (0, 1) ({DefaultTimeEpsilon})", KeyIdentity.Always,
            (c, n, s) => c.Binder.Number(n, c.Path, 0, 1, minExclusive: true, maxExclusive: true) is { } v ? s with { TEps = v } : null,
            (w, s) => w.WriteNumber("t_eps", s.TEps)),
    ]);

    /// <summary>Every key of the block.</summary>
    public static IReadOnlyList<string> Keys => Table.Keys;

    /// <summary>Binds the block; null when any key was bad (errors reported).</summary>
    public static SdeSpec? Bind(ConfigBinder b, ConfigMapping block, string baseDirectory) =>
        Table.Bind(b, block, new SdeSpec("", NoParameters, DefaultTimeEpsilon), baseDirectory);

    /// <summary>Writes the block.</summary>
    public static void Write(Utf8JsonWriter w, SdeSpec spec)
    {
        ArgumentNullException.ThrowIfNull(w);
        w.WriteStartObject("sde");
        Table.WriteRows(w, spec);
        w.WriteEndObject();
    }

    private static readonly IReadOnlyDictionary<string, double> NoParameters = new SortedDictionary<string, double>(StringComparer.Ordinal);
}
