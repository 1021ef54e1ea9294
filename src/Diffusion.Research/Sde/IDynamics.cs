using Diffusion.Research.Numerics;

namespace Diffusion.Research.Sde;

/// <summary>
/// An Itô SDE with isotropic diffusion, dx = a(x, t) dt + b(t) dW, as a generic integrator sees it:
/// a drift and a scalar diffusion coefficient. b = 0 is an ODE. Integrators run it forwards
/// (dt &gt; 0) or backwards (dt &lt; 0); the noise increment is b(t) sqrt(|dt|) z either way.
/// </summary>
public interface IDynamics
{
    /// <summary>Writes a(x, t) for every particle of <paramref name="x"/> into <paramref name="destination"/> (same shape).
    /// Must be thread-safe for disjoint destinations and allocate nothing in steady state.</summary>
    void Drift(double t, Batch x, Batch destination);

    /// <summary>b(t); zero for an ODE.</summary>
    double Diffusion(double t);
}
