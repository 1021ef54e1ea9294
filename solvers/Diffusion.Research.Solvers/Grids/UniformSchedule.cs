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
}
