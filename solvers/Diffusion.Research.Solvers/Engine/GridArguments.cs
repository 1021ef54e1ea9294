using Diffusion.Research.Kernels;

namespace Diffusion.Research.Solvers;

/// <summary>Checks shared by the sampling-grid factories.</summary>
internal static class GridArguments
{
    public static void Check(IKernel kernel, int steps, double start, double end)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(steps);
        if (!double.IsFinite(start) || !double.IsFinite(end) || !(end < start))
            throw new ArgumentException($"A sampling grid runs from start down to the cutoff t_eps: need finite end < start, got start = {start}, end = {end}.", nameof(end));
        if (!(end > 0)) throw new ArgumentOutOfRangeException(nameof(end), end, "The cutoff t_eps must be > 0 (sigma(0) = 0: log-SNR is infinite there).");
        if (!(kernel.Sigma(end) > 0)) throw new ArgumentOutOfRangeException(nameof(end), end, $"sigma(t_eps) = {kernel.Sigma(end)}; need > 0.");
    }
}
