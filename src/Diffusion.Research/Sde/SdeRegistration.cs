namespace Diffusion.Research.Sde;

/// <summary>One entry of an <see cref="SdeRegistry"/>: a name, a one-line description, the accepted
/// parameters with their defaults, and a factory that receives the defaults overridden by the caller's values.</summary>
/// <param name="Name">Registry name, e.g. "vp".</param>
/// <param name="Description">One line for `diffusion list sdes`.</param>
/// <param name="Defaults">Every accepted parameter with its default value.</param>
/// <param name="Factory">Builds the SDE from a complete parameter dictionary.</param>
public sealed record SdeRegistration(
    string Name,
    string Description,
    IReadOnlyDictionary<string, double> Defaults,
    Func<IReadOnlyDictionary<string, double>, ISde> Factory);
