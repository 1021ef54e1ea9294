namespace Diffusion.Research.Solvers;

/// <summary>A named numeric parameter of a registered solver, with its default and meaning.</summary>
/// <param name="Name">Key in the parameter dictionary, e.g. "eta".</param>
/// <param name="Default">Value used when the key is absent.</param>
/// <param name="Description">What it controls (a few words).</param>
public sealed record SolverParameter(string Name, double Default, string Description);
