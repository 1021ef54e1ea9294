using Diffusion.Research.Kernels;

namespace Diffusion.Research.Nn.Losses;

/// <summary>The time at which an increasing σ_t reaches a given value, by bisection.</summary>
internal static class SigmaInverse
{
    public static double Time(IKernel kernel, double sigma, double start, double end)
    {
        double lo = start, hi = end;
        for (var i = 0; i < 200 && hi - lo > 1e-15 * Math.Max(1.0, Math.Abs(hi)); i++)
        {
            var mid = 0.5 * (lo + hi);
            if (kernel.Sigma(mid) < sigma) lo = mid;
            else hi = mid;
        }
        return 0.5 * (lo + hi);
    }

    public static void RequireIncreasing(IKernel kernel, double start, double end, string name)
    {
        if (!(kernel.Sigma(end) > kernel.Sigma(start)))
            throw new ArgumentException($"σ_t must increase on [{start}, {end}] (σ({start}) = {kernel.Sigma(start)}, σ({end}) = {kernel.Sigma(end)}).", name);
    }
}
