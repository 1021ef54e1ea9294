using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Diffusion.Research.Benchmarks.Throughput;

/// <summary>
/// Measures the float64 arithmetic peak of this machine: 16 independent chains of Vector512 fused multiply-adds per
/// thread (enough to cover the FMA latency on every pipe), and the same with a separate multiply and add (the non-fused
/// c ← c + a·b the matrix kernels use to keep their bits), on 1 and 2 threads. One FMA is 2 flops per lane, 8 lanes.
/// Run: dotnet run -c Release --project tests/Diffusion.Research.Benchmarks -- fma-peak
/// </summary>
public static class FmaPeak
{
    private const int Chains = 16;
    private const long Iterations = 40_000_000; // 16 x 8 x 2 x 4e7 = 10.2 GFLOP per thread per run

    /// <summary>Prints GFLOP/s for fused and separate multiply-add, 1 and 2 threads, best of <paramref name="repeats"/>.</summary>
    public static void Run(int repeats = 5)
    {
        Console.WriteLine($"float64 FMA-throughput microbenchmark: {Chains} independent Vector512 chains per thread, {Iterations:N0} iterations, best of {repeats}");
        Console.WriteLine($"Vector512 hardware-accelerated: {Vector512.IsHardwareAccelerated}; processors: {Environment.ProcessorCount}; load average: {LoadAverage()}");
        var clock = double.MaxValue;
        for (var r = 0; r < repeats; r++) clock = Math.Min(clock, TimeClock());
        var hz = 16.0 * ClockIterations / clock;
        Console.WriteLine($"core clock (a dependent chain of 1-cycle integer add/xor): {hz / 1e9:F2} GHz; derived peak 2 FMA pipes x 8 lanes x 2 flops x clock = {32 * hz / 1e9:F1} GFLOP/s per core");
        foreach (var fused in new[] { true, false })
        foreach (var threads in new[] { 1, 2 })
        {
            var best = double.MaxValue;
            for (var r = 0; r < repeats; r++) best = Math.Min(best, Time(threads, fused));
            var flops = (double)threads * Iterations * Chains * 8 * 2;
            Console.WriteLine($"{(fused ? "fused FMA      " : "mul + add      ")} threads = {threads}: {flops / best / 1e9,7:F1} GFLOP/s ({flops / best / 1e9 / threads,6:F1} per core)");
        }
    }

    /// <summary>The 1-minute load average (Linux), or "n/a".</summary>
    public static string LoadAverage()
    {
        try { return File.ReadAllText("/proc/loadavg").Split(' ')[0]; }
        catch (IOException) { return "n/a"; }
        catch (UnauthorizedAccessException) { return "n/a"; }
    }

    private const long ClockIterations = 50_000_000;

    private static double TimeClock()
    {
        var clock = Stopwatch.StartNew();
        var x = Chain(ClockIterations, Environment.TickCount64 | 1, Environment.ProcessorCount + 0x5bd1e995L);
        var seconds = clock.Elapsed.TotalSeconds;
        if (x == 42) Console.WriteLine("(42)");
        return seconds;
    }

    // 16 dependent single-cycle integer operations per iteration: the loop runs at one operation per clock cycle.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long Chain(long iterations, long a, long b)
    {
        var x = a;
        for (long i = 0; i < iterations; i++)
        {
            x = (x + a) ^ b; x = (x + a) ^ b; x = (x + a) ^ b; x = (x + a) ^ b;
            x = (x + a) ^ b; x = (x + a) ^ b; x = (x + a) ^ b; x = (x + a) ^ b;
        }
        return x;
    }

    private static double Time(int threads, bool fused)
    {
        var sink = new double[threads];
        var workers = new Thread[threads];
        using var start = new Barrier(threads + 1);
        for (var t = 0; t < threads; t++)
        {
            var id = t;
            workers[t] = new Thread(() =>
            {
                start.SignalAndWait();
                sink[id] = fused ? Fused(Iterations) : Separate(Iterations);
            });
            workers[t].Start();
        }
        start.SignalAndWait();
        var clock = Stopwatch.StartNew();
        foreach (var w in workers) w.Join();
        var seconds = clock.Elapsed.TotalSeconds;
        if (sink.Any(double.IsNaN)) Console.WriteLine("(NaN)");
        return seconds;
    }

    // acc ← acc·m + c converges to c/(1 − m): no overflow, no subnormals, and the JIT cannot drop the chains.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static double Fused(long iterations)
    {
        var m = Vector512.Create(0.999999);
        var c = Vector512.Create(1e-6);
        Vector512<double> a0 = Vector512.Create(0.0), a1 = Vector512.Create(0.1), a2 = Vector512.Create(0.2), a3 = Vector512.Create(0.3);
        Vector512<double> a4 = Vector512.Create(0.4), a5 = Vector512.Create(0.5), a6 = Vector512.Create(0.6), a7 = Vector512.Create(0.7);
        Vector512<double> a8 = Vector512.Create(0.8), a9 = Vector512.Create(0.9), a10 = Vector512.Create(1.0), a11 = Vector512.Create(1.1);
        Vector512<double> a12 = Vector512.Create(1.2), a13 = Vector512.Create(1.3), a14 = Vector512.Create(1.4), a15 = Vector512.Create(1.5);
        for (long i = 0; i < iterations; i++)
        {
            a0 = Vector512.FusedMultiplyAdd(a0, m, c); a1 = Vector512.FusedMultiplyAdd(a1, m, c);
            a2 = Vector512.FusedMultiplyAdd(a2, m, c); a3 = Vector512.FusedMultiplyAdd(a3, m, c);
            a4 = Vector512.FusedMultiplyAdd(a4, m, c); a5 = Vector512.FusedMultiplyAdd(a5, m, c);
            a6 = Vector512.FusedMultiplyAdd(a6, m, c); a7 = Vector512.FusedMultiplyAdd(a7, m, c);
            a8 = Vector512.FusedMultiplyAdd(a8, m, c); a9 = Vector512.FusedMultiplyAdd(a9, m, c);
            a10 = Vector512.FusedMultiplyAdd(a10, m, c); a11 = Vector512.FusedMultiplyAdd(a11, m, c);
            a12 = Vector512.FusedMultiplyAdd(a12, m, c); a13 = Vector512.FusedMultiplyAdd(a13, m, c);
            a14 = Vector512.FusedMultiplyAdd(a14, m, c); a15 = Vector512.FusedMultiplyAdd(a15, m, c);
        }
        var s = ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)) + ((a8 + a9) + (a10 + a11)) + ((a12 + a13) + (a14 + a15));
        return Vector512.Sum(s);
    }

    // The same chains with the product rounded before the add (a multiply and an add instruction per step).
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static double Separate(long iterations)
    {
        var m = Vector512.Create(0.999999);
        var c = Vector512.Create(1e-6);
        Vector512<double> a0 = Vector512.Create(0.0), a1 = Vector512.Create(0.1), a2 = Vector512.Create(0.2), a3 = Vector512.Create(0.3);
        Vector512<double> a4 = Vector512.Create(0.4), a5 = Vector512.Create(0.5), a6 = Vector512.Create(0.6), a7 = Vector512.Create(0.7);
        Vector512<double> a8 = Vector512.Create(0.8), a9 = Vector512.Create(0.9), a10 = Vector512.Create(1.0), a11 = Vector512.Create(1.1);
        Vector512<double> a12 = Vector512.Create(1.2), a13 = Vector512.Create(1.3), a14 = Vector512.Create(1.4), a15 = Vector512.Create(1.5);
        for (long i = 0; i < iterations; i++)
        {
            a0 = a0 * m + c; a1 = a1 * m + c; a2 = a2 * m + c; a3 = a3 * m + c;
            a4 = a4 * m + c; a5 = a5 * m + c; a6 = a6 * m + c; a7 = a7 * m + c;
            a8 = a8 * m + c; a9 = a9 * m + c; a10 = a10 * m + c; a11 = a11 * m + c;
            a12 = a12 * m + c; a13 = a13 * m + c; a14 = a14 * m + c; a15 = a15 * m + c;
        }
        var s = ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)) + ((a8 + a9) + (a10 + a11)) + ((a12 + a13) + (a14 + a15));
        return Vector512.Sum(s);
    }
}
