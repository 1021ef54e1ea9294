using Diffusion.Research.Numerics;

namespace Diffusion.Research.Solvers;

/// <summary>
/// A whole-chunk fast path of a fixed-step solver (issue 9): it runs every step of one chunk in a single pass per step,
/// with the chunk's particles in registers, and must leave the chunk, and report the outcome, exactly as the
/// step-by-step loop of <see cref="FixedStepSolver"/> would (same bits, same failing step). A solver offers one through
/// <see cref="FixedStepSolver.Fuse"/> for the problems it recognises; everything else takes the generic loop.
/// </summary>
internal abstract class FusedChunk
{
    /// <summary>Doubles of per-worker scratch a chunk of <paramref name="rows"/> rows needs.</summary>
    public abstract int ScratchLength(int rows);

    /// <summary>Solves the chunk <paramref name="x"/> in place over the whole grid; row r is particle <paramref name="firstParticle"/> + r.</summary>
    public abstract ChunkOutcome Run(Batch x, long firstParticle, Span<double> scratch);
}
