namespace Diffusion.Research.Solvers;

/// <summary>What one chunk reports about an attempted adaptive step.</summary>
/// <param name="Error">The largest scaled error norm over the chunk's particles: NaN when the candidate is not finite, +inf is a (huge) error.</param>
/// <param name="Evaluations">Drift evaluations made (per particle).</param>
public readonly record struct AttemptResult(double Error, int Evaluations);
