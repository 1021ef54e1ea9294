namespace Diffusion.Research.Nn.Autodiff;

/// <summary>
/// A small pool of persistent background threads that runs the fixed blocks of one job at a time, without allocating
/// (Parallel.For allocates its loop state and closures on every call, about 20 KB per training step). Worker w of T runs
/// blocks w, w + T, w + 2T, …; the caller is worker 0. A job changes no result with the thread count (each block writes its
/// own outputs), so when the pool is busy with another caller's job, <see cref="TryRun"/> returns false and the caller
/// runs its blocks itself.
/// </summary>
internal static class BlockWorkers
{
    // How long a waiting thread spins before it blocks: a training step hands the workers some fifteen jobs a few tens of
    // microseconds apart, and waking a blocked thread costs about as much as a job on a virtual machine, so waiting threads
    // keep polling through those gaps (as OpenMP runtimes and OpenBLAS do) and block only when the pool stays idle.
    private static readonly long SpinTicks = System.Diagnostics.Stopwatch.Frequency / 2000; // 0.5 ms

    private static readonly Lock Gate = new();
    private static readonly List<Helper> Helpers = [];
    private static readonly ManualResetEventSlim Done = new(false);
    private static IBlockJob? _job;
    private static int _blocks;
    private static int _workers;
    private static int _pending;
    private static Exception? _failure;
    private static bool _running; // the gate is re-entrant for its owner: a job that starts a job runs it inline

    /// <summary>
    /// Runs <paramref name="job"/>'s blocks 0..<paramref name="blocks"/>−1 on up to <paramref name="threads"/> threads
    /// (the caller included) and returns true, or returns false at once, having run nothing, when another job holds the pool.
    /// </summary>
    public static bool TryRun(IBlockJob job, int blocks, int threads)
    {
        if (!Gate.TryEnter()) return false;
        if (_running)
        {
            Gate.Exit();
            return false;
        }
        _running = true;
        try
        {
            var workers = Math.Min(threads, blocks);
            while (Helpers.Count < workers - 1) Helpers.Add(new Helper(Helpers.Count + 1));
            _job = job;
            _blocks = blocks;
            _workers = workers;
            _failure = null;
            Done.Reset();
            Volatile.Write(ref _pending, workers - 1);
            for (var w = 1; w < workers; w++) Helpers[w - 1].Post();
            Exception? own = null;
            try
            {
                RunShare(0);
            }
            catch (Exception e)
            {
                own = e;
            }
            if (workers > 1)
            {
                var until = System.Diagnostics.Stopwatch.GetTimestamp() + SpinTicks;
                while (Volatile.Read(ref _pending) != 0 && System.Diagnostics.Stopwatch.GetTimestamp() <= until) Thread.SpinWait(20);
                // A Set may be stale (a helper of the previous job sets Done after its caller saw the count reach 0 by
                // polling), so the count decides: reset, re-check, wait, repeat.
                while (Volatile.Read(ref _pending) != 0)
                {
                    Done.Reset();
                    if (Volatile.Read(ref _pending) != 0) Done.Wait();
                }
            }
            _job = null;
            if (own is not null) throw own;
            if (_failure is not null) throw new AggregateException(_failure);
            return true;
        }
        finally
        {
            _running = false;
            Gate.Exit();
        }
    }

    private static void RunShare(int worker)
    {
        var job = _job!;
        for (var block = worker; block < _blocks; block += _workers) job.Run(block);
    }

    private sealed class Helper
    {
        private readonly ManualResetEventSlim _start = new(false);
        private int _ticket; // one more for every job this helper takes part in (only the caller of that job adds it)

        public Helper(int index)
        {
            var thread = new Thread(() => Loop(index)) { IsBackground = true, Name = $"Diffusion.Research.Nn GEMM worker {index}" };
            thread.Start();
        }

        // Gives this helper its share of the job just published (the job's fields are written before the ticket).
        public void Post()
        {
            Interlocked.Increment(ref _ticket);
            _start.Set();
        }

        private void Loop(int index)
        {
            var seen = 0;
            while (true)
            {
                // Wait for a new ticket: poll for it, then block. The event may be stale (set for a job this helper
                // already took by polling), so the ticket decides: reset, re-check, wait, repeat.
                var until = System.Diagnostics.Stopwatch.GetTimestamp() + SpinTicks;
                while (Volatile.Read(ref _ticket) == seen && System.Diagnostics.Stopwatch.GetTimestamp() <= until) Thread.SpinWait(20);
                while (Volatile.Read(ref _ticket) == seen)
                {
                    _start.Reset();
                    if (Volatile.Read(ref _ticket) == seen) _start.Wait();
                }
                seen = Volatile.Read(ref _ticket); // one ticket at a time: the caller waits for this job before the next
                try
                {
                    RunShare(index);
                }
                catch (Exception e)
                {
                    _failure = e;
                }
                if (Interlocked.Decrement(ref _pending) == 0) Done.Set();
            }
        }
    }
}
