using Diffusion.Research.Experiments.Configuration;

namespace Diffusion.Research.Experiments.Plans;

/// <summary>
/// The <c>model:</c> block: a model kind by registry name plus the kind's own settings (the whole block, kept as
/// parsed so a model builder can read and validate its keys, e.g. a <c>train:</c> block).
/// </summary>
public sealed record ModelSpec(string Kind, ConfigMapping Settings);
