using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;

namespace Diffusion.Research.Solvers;

/// <summary>
/// One step of a fixed-step solve as a chunk sees it: step <see cref="Index"/> goes from
/// <see cref="Time"/> to <see cref="NextTime"/> on <see cref="Grid"/>; noise for the step is drawn from
/// <see cref="Noise"/> with stream = step index (or a solver-specific stream derived from it),
/// particle = <see cref="FirstParticle"/> + row, draw = coordinate.
/// </summary>
/// <param name="Index">Step number i (0-based) along the grid.</param>
/// <param name="Grid">The whole grid (for solvers that look at the end time or the number of steps).</param>
/// <param name="Noise">The solve's noise source.</param>
/// <param name="FirstParticle">Global index of row 0 of the chunk.</param>
public readonly record struct StepInfo(int Index, TimeGrid Grid, NoiseSource Noise, long FirstParticle)
{
    /// <summary>The solve's <see cref="SolveOptions.Increments"/> (null: draw from <see cref="Noise"/>).</summary>
    public IGaussianIncrements? Increments { get; init; }

    /// <summary>The standard normals of <paramref name="stream"/> for the chunk's rows: from <see cref="Increments"/>
    /// when set (replays), else from <see cref="Noise"/>.</summary>
    public void FillGaussian(uint stream, Batch z)
    {
        if (Increments is null) Noise.FillGaussian(stream, FirstParticle, z);
        else Increments.FillGaussian(stream, FirstParticle, z);
    }

    /// <summary>
    /// x ← x + <paramref name="scale"/> z with z the standard normals of <paramref name="stream"/> for the chunk's rows (drawn into
    /// <paramref name="z"/>, scratch of x's shape): the Gaussian part of a stochastic step (keyed by stream, particle and coordinate,
    /// so bit-identical whatever the chunking). Nothing is drawn when the scale is 0.
    /// </summary>
    public void AddNoise(uint stream, double scale, Batch z, Batch x)
    {
        if (scale == 0) return;
        FillGaussian(stream, z);
        System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(z.Values, scale, x.Values, x.Values);
    }

    /// <summary>t_i.</summary>
    public double Time => Grid[Index];

    /// <summary>t_{i+1}.</summary>
    public double NextTime => Grid[Index + 1];

    /// <summary>The signed step dt = t_{i+1} − t_i (negative when integrating backwards).</summary>
    public double Dt => NextTime - Time;

    /// <summary>Number of steps n of the grid.</summary>
    public int Steps => Grid.Steps;
}
