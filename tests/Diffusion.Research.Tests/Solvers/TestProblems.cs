using Diffusion.Research.Numerics;
using Diffusion.Research.Sde;

namespace Diffusion.Research.Tests.Solvers;

/// <summary>dx/dt = −t x per coordinate: x(t) = x(s) exp(−(t² − s²)/2). Linear and time-dependent.</summary>
internal sealed class LinearTimeDependentOde : IDynamics
{
    public void Drift(double t, Batch x, Batch destination)
    {
        var xs = x.Values;
        var ds = destination.Values;
        for (var i = 0; i < xs.Length; i++) ds[i] = -t * xs[i];
    }

    public double Diffusion(double t) => 0;

    public static double Exact(double x0, double s, double t) => x0 * Math.Exp(-(t * t - s * s) / 2);
}

/// <summary>Logistic dx/dt = x (1 − x): x(t) = x0 e^{t−s} / (1 − x0 + x0 e^{t−s}). Nonlinear.</summary>
internal sealed class LogisticOde : IDynamics
{
    public void Drift(double t, Batch x, Batch destination)
    {
        var xs = x.Values;
        var ds = destination.Values;
        for (var i = 0; i < xs.Length; i++) ds[i] = xs[i] * (1 - xs[i]);
    }

    public double Diffusion(double t) => 0;

    public static double Exact(double x0, double s, double t)
    {
        var e = Math.Exp(t - s);
        return x0 * e / (1 - x0 + x0 * e);
    }
}

/// <summary>Ornstein–Uhlenbeck dx = −θ x dt + b(t) dW with b(t) = σ (1 + t/2) (additive, time-dependent noise).</summary>
internal sealed class OrnsteinUhlenbeck(double theta, double sigma) : IDynamics
{
    public double Theta => theta;

    public void Drift(double t, Batch x, Batch destination)
    {
        var xs = x.Values;
        var ds = destination.Values;
        for (var i = 0; i < xs.Length; i++) ds[i] = -theta * xs[i];
    }

    public double Diffusion(double t) => sigma * (1 + 0.5 * t);
}

/// <summary>Returns NaN drift once t passes <paramref name="poisonTime"/> (in the direction of integration).</summary>
internal sealed class PoisonedDynamics(IDynamics inner, double poisonTime, bool backward) : IDynamics
{
    public void Drift(double t, Batch x, Batch destination)
    {
        inner.Drift(t, x, destination);
        if (backward ? t < poisonTime : t > poisonTime) destination.Values.Fill(double.NaN);
    }

    public double Diffusion(double t) => inner.Diffusion(t);
}

/// <summary>A drift that only accepts batches of one dimension and says so.</summary>
internal sealed class FixedDimensionDynamics(int dimension) : IDynamics
{
    public void Drift(double t, Batch x, Batch destination)
    {
        if (x.Dimension != dimension)
            throw new ArgumentException($"This model is {dimension}-dimensional; the batch has dimension {x.Dimension}.", nameof(x));
        destination.Values.Clear();
    }

    public double Diffusion(double t) => 0;
}
