using Diffusion.Research.Sampling;
using Diffusion.Research.Sde;

namespace Diffusion.Research.Solvers;

/// <summary><see cref="TimeQuadraticGrid"/>: uniform in sqrt(t) between T and t_eps.</summary>
public sealed record TimeQuadraticSchedule : ITimeSchedule
{
    /// <inheritdoc />
    public TimeGrid Create(ISde sde, double tEps, int steps)
    {
        ArgumentNullException.ThrowIfNull(sde);
        var kernel = sde.Kernel ?? throw new ArgumentException("schedule 'time_quadratic' needs an SDE with a closed-form kernel.", nameof(sde));
        return TimeQuadraticGrid.Create(kernel, steps, sde.T, tEps);
    }

    /// <summary>Registers time_quadratic (<see cref="ScheduleRegistry.CreateDefault"/>).</summary>
    internal static void Register(ScheduleRegistry r) =>
        r.Register("time_quadratic", "uniform in sqrt(t) from T to t_eps (DDIM quadratic; dpm_solver_pytorch time_quadratic)", _ => new TimeQuadraticSchedule());
}
