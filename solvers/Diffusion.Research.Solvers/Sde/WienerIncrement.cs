using Diffusion.Research.Numerics;

namespace Diffusion.Research.Solvers;

/// <summary>
/// The standard normals z of a step, ΔW = sqrt(|dt|) z: by default independent keyed draws (stream = step
/// index, particle = global row, draw = coordinate); with a <see cref="BrownianPath"/>, the increment of that
/// path over [t_i, t_{i+1}] divided by sqrt(|dt|), so that solves at different step sizes see the same
/// Brownian motion (strong-order tests, replayed paths).
/// </summary>
public static class WienerIncrement
{
    /// <summary>Fills <paramref name="z"/> with the standard normals of <paramref name="step"/> for the chunk's particles (from the path when given).</summary>
    public static void Fill(StepInfo step, BrownianPath? path, Batch z)
    {
        if (path is null || step.Increments is not null) // chosen increments (replays) take precedence over a path
        {
            step.FillGaussian((uint)step.Index, z);
            return;
        }
        path.Increment(step.Time, step.NextTime, step.FirstParticle, z);
        System.Numerics.Tensors.TensorPrimitives.Multiply(z.Values, 1 / Math.Sqrt(Math.Abs(step.Dt)), z.Values);
    }

    /// <summary>Throws unless the path covers the grid and has the batch's dimension.</summary>
    public static void Check(BrownianPath? path, Sampling.TimeGrid grid, Batch x, string solver)
    {
        if (path is null) return;
        var lo = Math.Min(grid.Start, grid.End);
        var hi = Math.Max(grid.Start, grid.End);
        if (lo < path.StartTime || hi > path.EndTime)
            throw new ArgumentException($"Solver '{solver}': the Brownian path covers [{path.StartTime}, {path.EndTime}] but the grid spans [{lo}, {hi}].", nameof(grid));
        if (path.Dimension != x.Dimension)
            throw new ArgumentException($"Solver '{solver}': the Brownian path is {path.Dimension}-dimensional, the batch {x.Dimension}-dimensional.", nameof(x));
    }
}
