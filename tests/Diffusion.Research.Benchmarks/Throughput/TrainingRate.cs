using System.Diagnostics;
using Diffusion.Research.Data;
using Diffusion.Research.Nn.Autodiff;
using Diffusion.Research.Nn.Models;
using Diffusion.Research.Nn.Training;
using Diffusion.Research.Sde;

namespace Diffusion.Research.Benchmarks.Throughput;

/// <summary>
/// Achieved flop rate of one DSM training step (sample, forward, backward, Adam) of the 3 x 128 SiLU MLP at batch 512,
/// D = 2, Fourier time features (2 x 16), ε output, VP SDE: a Stopwatch harness with warm-up, then repeats of a block of
/// steps; the best and median step times are reported with the flop count of <see cref="FlopsPerStep"/>.
/// Run: dotnet run -c Release --project tests/Diffusion.Research.Benchmarks -- train-rate [threads] [peak GFLOP/s per core] [repeats]
/// </summary>
public static class TrainingRate
{
    private const int Batch = 512, Dimension = 2, Width = 128, HiddenLayers = 3, Features = 32;

    /// <summary>
    /// Flops of one step, by parts. GEMMs (2mnk each): forward X W per layer; backward dW = Xᵀ dY per layer and
    /// dX = dY Wᵀ for every layer but the first (its input is data, no gradient). Elementwise (nominal counts per
    /// entry): bias add 1, SiLU 5 (σ: negate, exp, add, divide; product), SiLU' 8 (σ again, then 4), g ⊙ SiLU' 1,
    /// bias-gradient sum 1; Adam 13 per parameter. The loss, the perturbation and the time features (O(B·D), O(B·F))
    /// are left out (&lt; 0.2%).
    /// </summary>
    public static (double Gemm, double Elementwise) FlopsPerStep()
    {
        double inputs = Dimension + Features;
        var perRow = inputs * Width + (HiddenLayers - 1) * (double)Width * Width + Width * Dimension; // mults per row, forward
        var forward = 2.0 * Batch * perRow;
        var weightGradients = forward;
        var inputGradients = 2.0 * Batch * ((HiddenLayers - 1) * (double)Width * Width + Width * Dimension);
        var hidden = (double)Batch * Width * HiddenLayers;
        var parameters = inputs * Width + Width + (HiddenLayers - 1) * ((double)Width * Width + Width) + Width * Dimension + Dimension;
        var elementwise = hidden * (1 + 5 + 8 + 1 + 1) + Batch * Dimension * 2.0 /* output bias and its gradient */ + 13 * parameters;
        return (forward + weightGradients + inputGradients, elementwise);
    }

    /// <summary>Times the step for each thread count and prints steps/s, GFLOP/s and % of the given per-core peak.</summary>
    public static void Run(int[] threadCounts, double peakPerCore, int repeats = 15, int stepsPerRepeat = 20)
    {
        var (gemm, elementwise) = FlopsPerStep();
        var flops = gemm + elementwise;
        Console.WriteLine($"DSM step, 3 x {Width} SiLU MLP, batch {Batch}, D = {Dimension}: {gemm / 1e6:F2} MFLOP GEMM + {elementwise / 1e6:F2} MFLOP elementwise = {flops / 1e6:F2} MFLOP per step");
        Console.WriteLine($"load average: {FmaPeak.LoadAverage()}; repeats {repeats} x {stepsPerRepeat} steps after 30 warm-up steps; peak {peakPerCore:F1} GFLOP/s per core");
        foreach (var threads in threadCounts)
        {
            var session = Create(threads);
            for (var i = 0; i < 30; i++) session.Step();
            var times = new double[repeats];
            var allocated = GC.GetAllocatedBytesForCurrentThread();
            for (var r = 0; r < repeats; r++)
            {
                var clock = Stopwatch.StartNew();
                for (var i = 0; i < stepsPerRepeat; i++) session.Step();
                times[r] = clock.Elapsed.TotalSeconds / stepsPerRepeat;
            }
            allocated = (GC.GetAllocatedBytesForCurrentThread() - allocated) / ((long)repeats * stepsPerRepeat);
            Array.Sort(times);
            var best = times[0];
            var median = times[repeats / 2];
            var peak = peakPerCore * threads * 1e9;
            Console.WriteLine($"threads = {threads}: best {best * 1e3:F3} ms ({1 / best:F0} steps/s, {flops / best / 1e9:F1} GFLOP/s, {100 * flops / best / peak:F1}% of peak); "
                + $"median {median * 1e3:F3} ms ({flops / median / 1e9:F1} GFLOP/s, {100 * flops / median / peak:F1}%); {allocated} B allocated per step (this thread)");
            Console.WriteLine($"RESULT threads={threads} best_s={best:R} median_s={median:R} flops={flops:R}");
        }
    }

    /// <summary>
    /// GFLOP/s of the three GEMM shapes of a hidden layer's training step through the tape (X W, dY Wᵀ, Xᵀ dY with
    /// X, dY 512 x 128 and W 128 x 128), best of <paramref name="repeats"/> blocks of 50 products.
    /// </summary>
    public static void RunGemm(int threads, double peakPerCore, int repeats = 15)
    {
        var tape = new Tape(threads);
        var x = tape.Constant(Batch, Width, 0.3);
        var w = tape.Constant(Width, Width, -0.7);
        var dy = tape.Constant(Batch, Width, 1.1);
        var flops = 2.0 * Batch * Width * Width;
        foreach (var (name, product) in new (string, Func<Tensor>)[]
                 {
                     ("X W   (512x128 . 128x128)", () => tape.MatMul(x, w)),
                     ("dY W^T (512x128 . 128x128^T)", () => tape.MatMulTransposeB(dy, w)),
                     ("X^T dY (512x128^T . 512x128)", () => tape.MatMulTransposeA(x, dy)),
                 })
        {
            var best = double.MaxValue;
            for (var r = 0; r < repeats + 3; r++)
            {
                var clock = Stopwatch.StartNew();
                for (var i = 0; i < 50; i++) product();
                var seconds = clock.Elapsed.TotalSeconds / 50;
                if (r >= 3) best = Math.Min(best, seconds);
                tape.Reset();
                x = tape.Constant(Batch, Width, 0.3);
                w = tape.Constant(Width, Width, -0.7);
                dy = tape.Constant(Batch, Width, 1.1);
            }
            Console.WriteLine($"GEMM {name}, threads = {threads}: {best * 1e6:F1} us, {flops / best / 1e9:F1} GFLOP/s ({100 * flops / best / (peakPerCore * threads * 1e9):F1}% of peak)");
        }
    }

    /// <summary>Microseconds of the elementwise tape operations of one hidden layer (512 x 128), best of 15 blocks of 50.</summary>
    public static void RunElementwise()
    {
        var tape = new Tape(1);
        var network = new MlpNetwork(Dimension, Dimension, new ModelOptions());
        var times = Enumerable.Range(0, Batch).Select(i => (i + 0.5) / Batch).ToArray();
        Tensor x = null!, b = null!, g = null!;
        void Fill()
        {
            tape.Reset();
            x = tape.Constant(Batch, Width, 0.3);
            b = tape.Constant(1, Width, -0.2);
            g = tape.Constant(Batch, Width, 1.1);
        }
        foreach (var (name, op) in new (string, Func<Tensor>)[]
                 {
                     ("add bias (broadcast row)", () => tape.Add(x, b)),
                     ("SiLU", () => tape.Silu(x)),
                     ("SiLU'", () => tape.SiluPrime(x)),
                     ("g * SiLU'", () => tape.Multiply(g, x)),
                     ("bias gradient (sum rows)", () => tape.SumRows(g)),
                     ("time features (512 x 32)", () => network.EmbedTimes(tape, times)),
                 })
        {
            var best = double.MaxValue;
            for (var r = 0; r < 18; r++)
            {
                Fill();
                var clock = Stopwatch.StartNew();
                for (var i = 0; i < 50; i++) op();
                if (r >= 3) best = Math.Min(best, clock.Elapsed.TotalSeconds / 50);
            }
            Console.WriteLine($"elementwise {name,-26}: {best * 1e6,7:F1} us");
        }
    }

    /// <summary>SHA-256 of every parameter's bits after <paramref name="steps"/> DSM steps (to compare kernels and thread counts).</summary>
    public static string Digest(int threads, int steps)
    {
        var session = Create(threads);
        for (var i = 0; i < steps; i++) session.Step();
        using var sha = System.Security.Cryptography.SHA256.Create();
        foreach (var p in session.Model.Parameters)
        {
            var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(p.Values.AsSpan()).ToArray();
            sha.TransformBlock(bytes, 0, bytes.Length, null, 0);
        }
        sha.TransformFinalBlock([], 0, 0);
        return Convert.ToHexString(sha.Hash!);
    }

    /// <summary>The benchmark's training session (the same configuration as NnTrainingBenchmarks.DsmStep).</summary>
    public static TrainingSession Create(int threads)
    {
        var sde = VpSde.Linear();
        var data = GaussianMixture.Isotropic([0.5, 0.5], [[1.0, 1.0], [-1.0, -1.0]], [0.1, 0.1]);
        var options = new TrainingOptions()
            .WithModel(new ModelOptions().WithWidth(Width).WithHiddenLayers(HiddenLayers).WithActivation(Activation.Silu))
            .WithBatchSize(Batch).WithSteps(1_000_000).WithThreads(threads).WithLoss("dsm");
        return new TrainingSession(options, data, sde);
    }
}
