using System.Runtime.ExceptionServices;
using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;

namespace Diffusion.Research.Solvers;

/// <summary>
/// Base of every fixed-step solver, and the one place where the fixed-step loop, the chunking and the
/// parallelism live. Particles are independent under a fixed grid, so the batch is cut into fixed
/// chunks of <see cref="SolveOptions.ChunkSize"/> rows and each chunk runs the WHOLE solve (all steps)
/// on one worker: cache friendly, no per-step synchronisation, and bit-identical whatever the thread
/// count, the chunk size or the split of a batch into several solves (noise is keyed by the global
/// particle index). A subclass implements one step on one chunk.
/// </summary>
public abstract class FixedStepSolver : ISolver
{
    /// <inheritdoc />
    public abstract SolverTraits Traits { get; }

    /// <summary>Number of scratch batches (of the chunk's shape) that <see cref="Step"/> needs.</summary>
    protected abstract int Buffers { get; }

    /// <summary>
    /// Advances the chunk <paramref name="x"/> in place from <see cref="StepInfo.Time"/> to
    /// <see cref="StepInfo.NextTime"/>. Must not allocate; may use the registers of <paramref name="workspace"/>
    /// (sliced to the chunk's rows with <see cref="Workspace.Buffer"/>).
    /// </summary>
    protected abstract void Step(SamplingProblem problem, StepInfo step, Batch x, Workspace workspace);

    /// <summary>
    /// A whole-chunk fast path for this problem (issue 9), or null (the default) for the step-by-step loop. It must give
    /// the bits and the outcome the loop gives.
    /// </summary>
    private protected virtual FusedChunk? Fuse(SamplingProblem problem, TimeGrid grid, SolveOptions options) => null;

    /// <summary>Solver-specific checks before the loop (after the shared ones); throw an <see cref="ArgumentException"/> to refuse.</summary>
    protected virtual void Validate(SamplingProblem problem, Batch x, TimeGrid grid)
    {
    }

    /// <summary>
    /// Called once per chunk before its first step (each chunk runs the whole solve on one worker, and a worker's
    /// <paramref name="workspace"/> serves several chunks in turn): where a multistep sampler empties its history
    /// (<see cref="BufferRing.Clear"/>). Must not allocate per call.
    /// </summary>
    protected virtual void Begin(SamplingProblem problem, TimeGrid grid, Batch x, Workspace workspace)
    {
    }

    /// <summary>
    /// Score/drift evaluations beyond <see cref="SolverTraits.NfePerStep"/> per step taken in the first
    /// <paramref name="steps"/> steps of <paramref name="grid"/> (Restart sampling's restart intervals); 0 by default.
    /// </summary>
    protected virtual long ExtraEvaluations(SamplingProblem problem, TimeGrid grid, int steps) => 0;

    /// <inheritdoc />
    public Solution Solve(SamplingProblem problem, Batch x, TimeGrid grid, SolveOptions options)
    {
        var traits = Traits;
        ProblemGuard.Check(this, problem, x, grid, options);
        Validate(problem, x, grid);

        var chunks = new ChunkPartition(x.Count, options.ChunkSize);
        var outcomes = new ChunkOutcome[chunks.Count];
        var registers = Buffers;
        var fused = options.IsObserved ? null : Fuse(problem, grid, options); // an observed solve reports every step: the loop

        if (options.Threads == 1 || chunks.Count == 1)
        {
            var workspace = new Workspace(registers, chunks.Size, x.Dimension);
            for (var c = 0; c < chunks.Count; c++)
                outcomes[c] = RunChunk(problem, x, grid, options, chunks, c, workspace, fused);
        }
        else
        {
            // At most one workspace per concurrently running worker: a task takes one from the stack (or
            // allocates it) and gives it back when it ends, so the per-solve allocation is bounded by Threads.
            var spare = new System.Collections.Concurrent.ConcurrentStack<Workspace>();
            try
            {
                Parallel.For(0, chunks.Count, new ParallelOptions { MaxDegreeOfParallelism = options.Threads },
                    () => spare.TryPop(out var w) ? w : new Workspace(registers, chunks.Size, x.Dimension),
                    (c, _, workspace) =>
                    {
                        outcomes[c] = RunChunk(problem, x, grid, options, chunks, c, workspace, fused);
                        return workspace;
                    },
                    spare.Push);
            }
            catch (AggregateException e) when (e.InnerExceptions.Count == 1)
            {
                ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
                throw;
            }
        }

        return Summarise(problem, traits, x, grid, outcomes);
    }

    private ChunkOutcome RunChunk(SamplingProblem problem, Batch x, TimeGrid grid, SolveOptions options, ChunkPartition chunks, int chunk, Workspace workspace,
        FusedChunk? fused)
    {
        var view = chunks.Slice(x, chunk);
        var first = options.FirstParticle + chunks.Start(chunk);
        if (fused is not null) return fused.Run(view, first, workspace.Scratch(fused.ScratchLength(chunks.Size)));
        var times = grid.Times;
        Begin(problem, grid, view, workspace);
        // Observer and SaveAt (SolveOptions): the chunk's rows after each step; nothing is done when neither is set.
        var observed = options.IsObserved;
        if (observed) options.Observe(0, times[0], view, chunks.Start(chunk));
        for (var i = 0; i < grid.Steps; i++)
        {
            Step(problem, new StepInfo(i, grid, options.Noise, first) { Increments = options.Increments }, view, workspace);
            if (!view.IsFinite()) return new ChunkOutcome(SolveStatus.NonFinite, i, times[i]);
            if (observed) options.Observe(i + 1, times[i + 1], view, chunks.Start(chunk));
        }
        return new ChunkOutcome(SolveStatus.Success, grid.Steps, grid.End);
    }

    // The earliest failing step over all chunks does not depend on the chunking: every particle
    // evolves independently, and a chunk stops at the first step where one of its particles fails.
    private Solution Summarise(SamplingProblem problem, SolverTraits traits, Batch x, TimeGrid grid, ChunkOutcome[] outcomes)
    {
        var failed = -1;
        for (var c = 0; c < outcomes.Length; c++)
            if (outcomes[c].Status != SolveStatus.Success && (failed < 0 || outcomes[c].CompletedSteps < outcomes[failed].CompletedSteps))
                failed = c;
        if (failed < 0)
            return new Solution(x, SolveStatus.Success, new SolverStatistics((long)traits.NfePerStep * grid.Steps + ExtraEvaluations(problem, grid, grid.Steps), grid.Steps, 0), grid.End, null);
        var o = outcomes[failed];
        var steps = o.CompletedSteps + 1; // the failing step was taken
        return new Solution(x, o.Status, new SolverStatistics((long)traits.NfePerStep * steps + ExtraEvaluations(problem, grid, steps), steps, 0), o.ReachedTime,
            $"{traits.Name}: non-finite state in step {o.CompletedSteps} (t = {o.ReachedTime} -> {grid[o.CompletedSteps + 1]}); the particles of the affected chunks stopped there.");
    }
}
