using Diffusion.Research.Sampling;

namespace Diffusion.Research.Experiments.Backend;

/// <summary>A named time schedule (the value of <c>sampler.schedule</c>): builds the backward grid T → t_eps.</summary>
public sealed record TimeSchedule(string Name, string Description, Func<ScheduleRequest, TimeGrid> Create);
