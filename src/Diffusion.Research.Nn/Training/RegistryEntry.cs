namespace Diffusion.Research.Nn.Training;

/// <summary>A registered name with its one-line description.</summary>
public sealed record RegistryEntry(string Name, string Description);
