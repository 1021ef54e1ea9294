using Diffusion.Research.Numerics;

namespace Diffusion.Research.Solvers;

/// <summary>
/// One step of a fixed-step solve as a chunk sees it: step <see cref="Index"/> goes from
/// <see cref="Time"/> to <see cref="NextTime"/>; noise for the step is drawn from <see cref="Noise"/>
/// with stream = step index (or a solver-specific stream derived from it), particle =
/// <see cref="FirstParticle"/> + row, draw = coordinate.
/// </summary>
/// <param name="Index">Step number i (0-based) along the grid.</param>
/// <param name="Time">t_i.</param>
/// <param name="NextTime">t_{i+1}.</param>
/// <param name="Steps">Total number of steps n in the grid.</param>
/// <param name="Noise">The solve's noise source.</param>
/// <param name="FirstParticle">Global index of row 0 of the chunk.</param>
public readonly record struct StepInfo(int Index, double Time, double NextTime, int Steps, NoiseSource Noise, long FirstParticle)
{
    /// <summary>The signed step dt = t_{i+1} − t_i (negative when integrating backwards).</summary>
    public double Dt => NextTime - Time;
}
