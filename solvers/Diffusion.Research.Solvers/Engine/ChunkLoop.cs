using System.Runtime.ExceptionServices;

namespace Diffusion.Research.Solvers;

/// <summary>
/// Runs a body over chunk indices 0..chunks−1, in parallel with at most <c>threads</c> workers, or inline
/// when there is one thread or one chunk (used by the lock-step solvers; <see cref="FixedStepSolver"/> keeps
/// worker-local workspaces with its own Parallel.For). An
/// exception from a chunk is rethrown as itself (not wrapped in an <see cref="AggregateException"/>).
/// Results must be written per chunk so that the order in which chunks run does not matter.
/// </summary>
internal static class ChunkLoop
{
    public static void Run(int chunks, ParallelOptions options, Action<int> body)
    {
        if (options.MaxDegreeOfParallelism == 1 || chunks == 1)
        {
            for (var c = 0; c < chunks; c++) body(c);
            return;
        }
        try
        {
            Parallel.For(0, chunks, options, body);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count == 1)
        {
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
            throw;
        }
    }
}
