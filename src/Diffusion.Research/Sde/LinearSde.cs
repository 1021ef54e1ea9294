using Diffusion.Research.Data;
using Diffusion.Research.Kernels;
using Diffusion.Research.Numerics;

namespace Diffusion.Research.Sde;

/// <summary>
/// Any linear SDE dx = f(t) x dt + g(t) dW on [0, T] (003 §4.3.3; 001 eq 65; Särkkä and Solin 2019, §6.1; Song et al. 2021,
/// App. B), its kernel from the moment ODEs
/// (<see cref="MomentOdeKernel"/>, about 1e-11 relative). Prior N(0, σ_T² I), the law of the noise part at T.
/// </summary>
public sealed class LinearSde : ILinearSde
{
    private readonly Func<double, double> _f;
    private readonly Func<double, double> _g;
    private readonly MomentOdeKernel _kernel;

    /// <summary>The SDE with coefficients <paramref name="f"/>, <paramref name="g"/> on [0, <paramref name="t"/>].</summary>
    public LinearSde(Func<double, double> f, Func<double, double> g, double t, double tolerance = 1e-11)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(g);
        TimeArgument.RequirePositive(t, nameof(t));
        _f = f;
        _g = g;
        T = t;
        _kernel = new MomentOdeKernel(f, g, t, tolerance);
        if (!(_kernel.Sigma(t) > 0))
            throw new ArgumentException("g vanishes on [0, T]: the SDE adds no noise and has no Gaussian prior.", nameof(g));
    }

    /// <inheritdoc />
    public double T { get; }

    /// <inheritdoc />
    public IKernel Kernel => _kernel;

    /// <inheritdoc />
    public void Drift(double t, Batch x, Batch destination) => LinearDrift.Apply(x, DriftCoefficient(t), destination);

    /// <inheritdoc />
    public double DriftCoefficient(double t)
    {
        TimeArgument.Require(t, T);
        return _f(t);
    }

    /// <inheritdoc />
    public double Diffusion(double t)
    {
        TimeArgument.Require(t, T);
        return _g(t);
    }

    /// <inheritdoc />
    public IDistribution Prior(int dimension) => Gaussian.Centered(dimension, _kernel.Sigma(T));
}
