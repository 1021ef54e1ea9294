using Diffusion.Research.Registries;
using Diffusion.Research.Sampling;
using Diffusion.Research.Sde;

namespace Diffusion.Research.Solvers;

/// <summary><see cref="PolyExponentialGrid"/>: log σ̂ polynomial (exponent rho) in the step index; rho = 1 is k-diffusion's exponential grid.</summary>
/// <param name="Rho">The exponent rho.</param>
public sealed record PolyExponentialSchedule(double Rho = 1.0) : ITimeSchedule
{
    /// <inheritdoc />
    public TimeGrid Create(ISde sde, double tEps, int steps)
    {
        ArgumentNullException.ThrowIfNull(sde);
        var kernel = sde.Kernel ?? throw new ArgumentException("schedule 'polyexponential' needs an SDE with a closed-form kernel.", nameof(sde));
        return PolyExponentialGrid.Create(kernel, steps, sde.T, tEps, Rho);
    }

    /// <summary>Registers exponential (rho = 1) and polyexponential (<see cref="ScheduleRegistry.CreateDefault"/>).</summary>
    internal static void Register(ScheduleRegistry r)
    {
        r.Register("exponential", "k-diffusion exponential: uniform in log(sigma/alpha), the same grid as logsnr", _ => new PolyExponentialSchedule(1.0));
        r.Register("polyexponential", "k-diffusion polyexponential: log(sigma/alpha) = log smin + (1 - i/n)^rho (log smax - log smin)",
            p => new PolyExponentialSchedule(p["rho"]), ParameterSpec.Real("rho", 1.0, "exponent rho"));
    }
}
