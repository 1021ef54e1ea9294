using Diffusion.Research.Registries;
using Diffusion.Research.Sampling;
using Diffusion.Research.Sde;

namespace Diffusion.Research.Solvers;

/// <summary>Karras et al. 2022 eq 5 (<see cref="KarrasGrid"/>): uniform in sigma^(1/rho) between sigma(T) and sigma(t_eps).</summary>
/// <param name="Rho">The exponent rho (7 in the paper).</param>
public sealed record KarrasSchedule(double Rho = 7.0) : ITimeSchedule
{
    /// <inheritdoc />
    public TimeGrid Create(ISde sde, double tEps, int steps)
    {
        ArgumentNullException.ThrowIfNull(sde);
        var kernel = sde.Kernel ?? throw new ArgumentException("schedule 'karras' needs an SDE with a closed-form kernel.", nameof(sde));
        return KarrasGrid.Create(kernel, steps, sde.T, tEps, Rho);
    }

    /// <summary>Registers karras (<see cref="ScheduleRegistry.CreateDefault"/>).</summary>
    internal static void Register(ScheduleRegistry r) =>
        r.Register("karras", "Karras et al. 2022 eq 5: uniform in sigma^(1/rho) between sigma(T) and sigma(t_eps)",
            p => new KarrasSchedule(p["rho"]), ParameterSpec.Real("rho", 7.0, "exponent rho"));
}
