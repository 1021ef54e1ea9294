using Diffusion.Research.Sampling;
using Diffusion.Research.Sde;

namespace Diffusion.Research.Solvers;

/// <summary>Uniform in t from T down to t_eps.</summary>
public sealed class UniformSchedule : ITimeSchedule
{
    /// <inheritdoc />
    public TimeGrid Create(ISde sde, double tEps, int steps)
    {
        ArgumentNullException.ThrowIfNull(sde);
        return TimeGrid.Uniform(sde.T, tEps, steps);
    }

    /// <summary>Registers uniform (<see cref="ScheduleRegistry.CreateDefault"/>).</summary>
    internal static void Register(ScheduleRegistry r) => r.Register("uniform", "uniform in t from T to t_eps", _ => new UniformSchedule());

    /// <summary>Registers time_uniform, dpm_solver_pytorch's name for uniform (<see cref="ScheduleRegistry.CreateDefault"/>).</summary>
    internal static void RegisterTimeUniform(ScheduleRegistry r) =>
        r.Register("time_uniform", "uniform in t from T to t_eps (dpm_solver_pytorch's name for 'uniform')", _ => new UniformSchedule());
}
