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
        var r = new ScheduleRegistry(); // each schedule registers itself from a static member in its own file
        UniformSchedule.Register(r);
        KarrasSchedule.Register(r);
        LogSnrSchedule.Register(r);
        UniformSchedule.RegisterTimeUniform(r);
        TimeQuadraticSchedule.Register(r);
        PolyExponentialSchedule.Register(r); // exponential, polyexponential
        return r;
    }
}
