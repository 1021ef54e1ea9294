namespace Diffusion.Research.Experiments.Backend;

/// <summary>A name an experiment file accepts, with a one-line description.</summary>
public sealed record ComponentInfo(string Name, string Description);
