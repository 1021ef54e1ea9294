using Diffusion.Research.Sampling;
using Diffusion.Research.Sde;

namespace Diffusion.Research.Solvers;

/// <summary>Uniform in log-SNR log(alpha^2/sigma^2) between T and t_eps (<see cref="LogSnrGrid"/>).</summary>
public sealed class LogSnrSchedule : ITimeSchedule
{
    /// <inheritdoc />
    public TimeGrid Create(ISde sde, double tEps, int steps)
    {
        ArgumentNullException.ThrowIfNull(sde);
        var kernel = sde.Kernel ?? throw new ArgumentException("schedule 'logsnr' needs an SDE with a closed-form kernel.", nameof(sde));
        return LogSnrGrid.Create(kernel, steps, sde.T, tEps);
    }

    /// <summary>Registers logsnr (<see cref="ScheduleRegistry.CreateDefault"/>).</summary>
    internal static void Register(ScheduleRegistry r) =>
        r.Register("logsnr", "uniform in log-SNR log(alpha^2/sigma^2) between T and t_eps", _ => new LogSnrSchedule());
}
