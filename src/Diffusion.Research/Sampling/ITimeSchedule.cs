using Diffusion.Research.Sde;

namespace Diffusion.Research.Sampling;

/// <summary>
/// A time schedule (the value of <c>sampler.schedule</c>): builds the backward sampling grid from T down to t_eps
/// for an SDE and a number of steps. Schedules are values outside the SDE, as in k-diffusion.
/// </summary>
public interface ITimeSchedule
{
    /// <summary>The grid of <paramref name="steps"/> steps from <paramref name="sde"/>.T down to <paramref name="tEps"/>.</summary>
    TimeGrid Create(ISde sde, double tEps, int steps);
}
