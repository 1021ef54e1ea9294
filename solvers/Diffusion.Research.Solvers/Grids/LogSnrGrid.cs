using Diffusion.Research.Kernels;
using Diffusion.Research.Sampling;

namespace Diffusion.Research.Solvers;

/// <summary>
/// A sampling grid uniform in log-SNR (equivalently in λ = log(α/σ); Lu et al. 2022 §3.3, 003 Lemma 4.4.1),
/// from <c>start</c> (usually T) down to the cutoff t_eps &gt; 0, mapped to times through the kernel.
/// </summary>
public static class LogSnrGrid
{
    /// <summary>n + 1 times from <paramref name="start"/> down to <paramref name="end"/> (t_eps) with log-SNR equally spaced.</summary>
    public static TimeGrid Create(IKernel kernel, int steps, double start, double end)
    {
        GridArguments.Check(kernel, steps, start, end);
        var hi = kernel.LogSnr(end);
        var lo = kernel.LogSnr(start);
        var times = new double[steps + 1];
        times[0] = start;
        times[steps] = end;
        for (var i = 1; i < steps; i++)
            times[i] = kernel.TimeAtLogSnr(lo + (hi - lo) * i / steps, end, start);
        return new TimeGrid(times);
    }
}
