using Diffusion.Research.Data;
using Diffusion.Research.Kernels;
using Diffusion.Research.Numerics;

namespace Diffusion.Research.Sde;

/// <summary>
/// Overdamped Langevin dynamics dx = ½ ∇log p(x) dt + dB for a target p (001 eqs 3, 95–96; 000 Langevin MCMC;
/// Roberts and Tweedie 1996),
/// whose stationary law is p itself (001 eqs 97–101; Roberts and Tweedie 1996). No closed-form kernel (null); the prior
/// is the target,
/// so a chain started from p stays at p. Drift is thread-safe when the target's Score is.
/// </summary>
public sealed class OverdampedLangevinSde : ISde
{
    /// <summary>Langevin dynamics for <paramref name="target"/> on [0, <paramref name="t"/>].</summary>
    public OverdampedLangevinSde(IDistribution target, double t = 1.0)
    {
        ArgumentNullException.ThrowIfNull(target);
        TimeArgument.RequirePositive(t, nameof(t));
        Target = target;
        T = t;
    }

    /// <summary>The target distribution p.</summary>
    public IDistribution Target { get; }

    /// <inheritdoc />
    public double T { get; }

    /// <inheritdoc />
    public IKernel? Kernel => null;

    /// <inheritdoc />
    public void Drift(double t, Batch x, Batch destination)
    {
        x.RequireShape(destination, nameof(destination));
        Target.Score(x, destination);
        // 001 eq 96: Roberts and Tweedie 1996.
        System.Numerics.Tensors.TensorPrimitives.Multiply(destination.Values, 0.5, destination.Values); // 001 eq 96
    }

    /// <inheritdoc />
    public double Diffusion(double t)
    {
        TimeArgument.Require(t, T);
        return 1.0;
    }

    /// <inheritdoc />
    public IDistribution Prior(int dimension)
    {
        if (dimension != Target.Dimension)
            throw new ArgumentException($"The target has dimension {Target.Dimension}, not {dimension}.", nameof(dimension));
        return Target;
    }
}
