using System.Text.Json;
using Diffusion.Research.Experiments.Configuration;

namespace Diffusion.Research.Experiments.Plans;

/// <summary>
/// One key of a YAML block as a row of a declarative table: its name, what it means (with its default), how its value
/// is read and validated into the block's spec (<see cref="Bind"/>: returns false after reporting a located error), and
/// how it is written into the cell's canonical JSON (<see cref="Write"/>, honouring <see cref="Identity"/>).
/// </summary>
/// <typeparam name="TSpec">The block's spec record (e.g. <see cref="SamplerSpec"/>).</typeparam>
/// <param name="Key">The YAML key.</param>
/// <param name="Description">What it means, default in parentheses.</param>
/// <param name="Identity">How it enters the canonical JSON.</param>
/// <param name="Bind">Reads the node into the spec; reports errors to the binder and returns null on error.</param>
/// <param name="Write">Writes the value of the spec into the canonical JSON (only called when it must be written).</param>
/// <param name="IsSet">Whether the spec's value differs from the default: given for each <see cref="KeyIdentity.WhenSet"/> row
/// (it decides whether the row is written) and for no <see cref="KeyIdentity.Always"/> row (always written).</param>
/// <param name="Required">The key must be given.</param>
public sealed record KeyRow<TSpec>(
    string Key,
    string Description,
    KeyIdentity Identity,
    Func<KeyContext, ConfigNode, TSpec, TSpec?> Bind,
    Action<Utf8JsonWriter, TSpec> Write,
    Func<TSpec, bool>? IsSet = null,
    bool Required = false)
    where TSpec : class;

/// <summary>What a row's binder reads with: the binder (errors, names), the dotted path of the key, the experiment's folder
/// and the block the key stands in (for a row that reads a sibling key as written).</summary>
public sealed record KeyContext(ConfigBinder Binder, string Path, string BaseDirectory, ConfigMapping Block);
