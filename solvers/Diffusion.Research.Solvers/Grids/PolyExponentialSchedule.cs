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
}
