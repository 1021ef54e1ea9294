using Diffusion.Research.Kernels;
using Diffusion.Research.Sampling;

namespace Diffusion.Research.Solvers;

/// <summary>
/// k-diffusion's polyexponential noise levels (<c>get_sigmas_polyexponential</c>) in the EDM level σ̂ = σ_t/α_t:
/// log σ̂_i = log σ̂_min + (1 − i/n)^ρ (log σ̂_max − log σ̂_min), i = 0..n, mapped to times through the kernel.
/// ρ = 1 is k-diffusion's "exponential" grid, uniform in log σ̂ = −λ, i.e. the log-SNR grid (<see cref="LogSnrGrid"/>).
/// k-diffusion appends σ = 0 after these levels; here the grid ends at t_eps (σ̂_min = σ̂(t_eps)).
/// </summary>
public static class PolyExponentialGrid
{
    /// <summary>n + 1 times from <paramref name="start"/> down to <paramref name="end"/> (t_eps).</summary>
    public static TimeGrid Create(IKernel kernel, int steps, double start, double end, double rho = 1.0)
    {
        GridArguments.Check(kernel, steps, start, end);
        if (!(rho > 0) || !double.IsFinite(rho)) throw new ArgumentOutOfRangeException(nameof(rho), rho, "rho must be finite and > 0.");
        var logMax = Math.Log(kernel.Sigma(start) / kernel.Alpha(start));
        var logMin = Math.Log(kernel.Sigma(end) / kernel.Alpha(end));
        var times = new double[steps + 1];
        times[0] = start;
        times[steps] = end;
        for (var i = 1; i < steps; i++)
        {
            var ramp = Math.Pow(1 - (double)i / steps, rho);
            times[i] = kernel.TimeAtSigmaRatio(Math.Exp(logMin + ramp * (logMax - logMin)), end, start);
        }
        return new TimeGrid(times);
    }
}
