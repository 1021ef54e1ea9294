using Diffusion.Research.Kernels;
using Diffusion.Research.Sampling;

namespace Diffusion.Research.Solvers;

/// <summary>
/// The noise-level schedule of Karras et al. 2022 (eq 5): σ_i = (σ_max^{1/ρ} + i/n (σ_min^{1/ρ} − σ_max^{1/ρ}))^ρ,
/// i = 0..n, in the EDM noise level σ = σ_t/α_t (e^{−λ}), mapped to times through the kernel; σ_max and
/// σ_min are those of <c>start</c> (usually T) and the cutoff t_eps. ρ = 7 is the paper's default; ρ = 1
/// is uniform in σ, ρ → ∞ uniform in log σ.
/// </summary>
public static class KarrasGrid
{
    /// <summary>n + 1 times from <paramref name="start"/> down to <paramref name="end"/> (t_eps) following the ρ-schedule.</summary>
    public static TimeGrid Create(IKernel kernel, int steps, double start, double end, double rho = 7.0)
    {
        GridArguments.Check(kernel, steps, start, end);
        if (!(rho > 0) || !double.IsFinite(rho)) throw new ArgumentOutOfRangeException(nameof(rho), rho, "rho must be finite and > 0.");
        var sigmaMax = kernel.Sigma(start) / kernel.Alpha(start);
        var sigmaMin = kernel.Sigma(end) / kernel.Alpha(end);
        double a = Math.Pow(sigmaMax, 1 / rho), b = Math.Pow(sigmaMin, 1 / rho);
        var times = new double[steps + 1];
        times[0] = start;
        times[steps] = end;
        for (var i = 1; i < steps; i++)
            times[i] = kernel.TimeAtSigmaRatio(Math.Pow(a + (b - a) * i / steps, rho), end, start); // Karras eq 5
        return new TimeGrid(times);
    }
}
