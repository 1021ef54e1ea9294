using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;

namespace Diffusion.Research.Solvers;

/// <summary>
/// A whole-chunk fast path of a fixed-step solver (issue 9): it runs every step of one chunk in a single pass per step,
/// with the chunk's particles in registers, and must leave the chunk, and report the outcome, exactly as the
/// step-by-step loop of <see cref="FixedStepSolver"/> would (same bits, same failing step). A solver offers one through
/// <see cref="FixedStepSolver.Fuse"/> for the problems it recognises; everything else takes the generic loop.
/// This base holds the chunk: the state in column lanes (<see cref="FusedLanes"/>), the step loop, the per-step
/// finiteness check and the outcome; a method writes only <see cref="Advance"/>, one step of every lane group.
/// </summary>
internal abstract class FusedChunk
{
    private const int Lanes = FusedLanes.Lanes;

    /// <param name="grid">The solve's grid.</param>
    /// <param name="dimension">D.</param>
    /// <param name="work">Vectors of D lanes the method needs beside the state (stages, drifts, midpoints).</param>
    /// <param name="scratch">Further doubles the method needs (the score's logits).</param>
    protected FusedChunk(TimeGrid grid, int dimension, int work, int scratch)
    {
        Grid = grid;
        Dimension = dimension;
        Work = work;
        Scratch = scratch;
    }

    /// <summary>The solve's grid.</summary>
    protected TimeGrid Grid { get; }

    /// <summary>D.</summary>
    protected int Dimension { get; }

    private int Work { get; }

    private int Scratch { get; }

    /// <summary>Doubles of per-worker scratch a chunk of <paramref name="rows"/> rows needs.</summary>
    public int ScratchLength(int rows) => (FusedLanes.Groups(rows) + Work) * Dimension * Lanes + Scratch;

    /// <summary>Solves the chunk <paramref name="x"/> in place over the whole grid; row r is particle <paramref name="firstParticle"/> + r.</summary>
    public ChunkOutcome Run(Batch x, long firstParticle, Span<double> scratch)
    {
        var d = Dimension;
        var rows = x.Count;
        var groups = FusedLanes.Groups(rows);
        var state = MemoryMarshal.Cast<double, Vector512<double>>(scratch.Slice(0, groups * d * Lanes));
        var work = MemoryMarshal.Cast<double, Vector512<double>>(scratch.Slice(groups * d * Lanes, Work * d * Lanes));
        var rest = scratch.Slice((groups + Work) * d * Lanes, Scratch);
        var values = x.Values;
        FusedLanes.Load(values, rows, d, state);
        var padding = FusedLanes.Padding(rows); // lanes past the last row: computed, never checked nor stored
        for (var step = 0; step < Grid.Steps; step++)
        {
            // As the loop: the chunk stops after the first step that leaves one of its particles non-finite.
            if (!FusedLanes.All(Advance(step, state, firstParticle, padding, work, rest)))
            {
                FusedLanes.Store(state, values, rows, d);
                return new ChunkOutcome(SolveStatus.NonFinite, step, Grid[step]);
            }
        }
        FusedLanes.Store(state, values, rows, d);
        return new ChunkOutcome(SolveStatus.Success, Grid.Steps, Grid.End);
    }

    /// <summary>
    /// Advances every lane group of <paramref name="state"/> (group g: vectors gD .. gD + D − 1, particles
    /// <paramref name="firstParticle"/> + 8g + lane) by step <paramref name="step"/>; returns the AND over groups of
    /// <see cref="FusedLanes.Check"/>, the lanes that stayed finite.
    /// </summary>
    protected abstract Vector512<double> Advance(int step, Span<Vector512<double>> state, long firstParticle, Vector512<double> padding,
        Span<Vector512<double>> work, Span<double> scratch);
}
