using Diffusion.Research.Kernels;
using Diffusion.Research.Sampling;

namespace Diffusion.Research.Solvers;

/// <summary>
/// A grid uniform in sqrt(t): t_i = (sqrt(start) + i/n (sqrt(end) − sqrt(start)))², denser near t_eps
/// (Song, Meng, Ermon 2021 §D.2 "quadratic" sequence; dpm_solver_pytorch <c>skip_type="time_quadratic"</c>).
/// </summary>
public static class TimeQuadraticGrid
{
    /// <summary>n + 1 times from <paramref name="start"/> down to <paramref name="end"/> (t_eps).</summary>
    public static TimeGrid Create(IKernel kernel, int steps, double start, double end)
    {
        GridArguments.Check(kernel, steps, start, end);
        double a = Math.Sqrt(start), b = Math.Sqrt(end);
        var times = new double[steps + 1];
        times[0] = start;
        times[steps] = end;
        for (var i = 1; i < steps; i++)
        {
            var r = a + (b - a) * i / steps;
            times[i] = r * r;
        }
        return new TimeGrid(times);
    }
}
