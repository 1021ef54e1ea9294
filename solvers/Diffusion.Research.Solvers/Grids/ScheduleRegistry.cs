using Diffusion.Research.Registries;
using Diffusion.Research.Sampling;

namespace Diffusion.Research.Solvers;

/// <summary>Time schedules by name (the values of <c>sampler.schedule</c>; parameters from <c>sampler.schedule_parameters</c>).</summary>
public sealed class ScheduleRegistry : ParameterRegistry<ITimeSchedule>
{
    /// <summary>An empty registry.</summary>
    public ScheduleRegistry()
        : base("time schedule")
    {
    }

    /// <summary>uniform (alias time_uniform), karras (rho), logsnr, time_quadratic, exponential and polyexponential (rho).</summary>
    public static ScheduleRegistry CreateDefault()
    {
        var r = new ScheduleRegistry();
        r.Register("uniform", "uniform in t from T to t_eps", _ => new UniformSchedule());
        r.Register("karras", "Karras et al. 2022 eq 5: uniform in sigma^(1/rho) between sigma(T) and sigma(t_eps)",
            p => new KarrasSchedule(p["rho"]), ParameterSpec.Real("rho", 7.0, "exponent rho"));
        r.Register("logsnr", "uniform in log-SNR log(alpha^2/sigma^2) between T and t_eps", _ => new LogSnrSchedule());
        r.Register("time_uniform", "uniform in t from T to t_eps (dpm_solver_pytorch's name for 'uniform')", _ => new UniformSchedule());
        r.Register("time_quadratic", "uniform in sqrt(t) from T to t_eps (DDIM quadratic; dpm_solver_pytorch time_quadratic)", _ => new TimeQuadraticSchedule());
        r.Register("exponential", "k-diffusion exponential: uniform in log(sigma/alpha), the same grid as logsnr", _ => new PolyExponentialSchedule(1.0));
        r.Register("polyexponential", "k-diffusion polyexponential: log(sigma/alpha) = log smin + (1 - i/n)^rho (log smax - log smin)",
            p => new PolyExponentialSchedule(p["rho"]), ParameterSpec.Real("rho", 1.0, "exponent rho"));
        return r;
    }
}
