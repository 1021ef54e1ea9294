using Diffusion.Research.Data;
using Diffusion.Research.Kernels;
using Diffusion.Research.Numerics;

namespace Diffusion.Research.Sde;

/// <summary>
/// Variance-preserving SDE dx = −½ β(t) x dt + sqrt(β(t)) dW on [0, 1] (003 §4.3.2 and Table 4.1; 001 eqs 58, 64; Song
/// et al. 2021, eq (11) and eqs (10)–(11)),
/// kernel α_t = e^{−B(t)/2}, σ_t² = 1 − e^{−B(t)} with B(t) = ∫_0^t β (001 eq 70; 003 §4.3.2; Song et al. 2021, eq (29) and
/// eq (11)), prior N(0, I).
/// </summary>
public sealed class VpSde : ILinearSde, IKernel
{
    /// <summary>The VP SDE with the given β schedule.</summary>
    public VpSde(IBetaSchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        Schedule = schedule;
    }

    /// <summary>The linear schedule β(t) = β_min + t (β_max − β_min) (Song et al. 2021 defaults 0.1, 20).</summary>
    public static VpSde Linear(double betaMin = 0.1, double betaMax = 20.0) => new(new LinearBetaSchedule(betaMin, betaMax));

    /// <summary>The cosine schedule of Nichol &amp; Dhariwal with offset s and clip β_max.</summary>
    public static VpSde Cosine(double s = 0.008, double betaMax = 999.0) => new(new CosineBetaSchedule(s, betaMax));

    /// <summary>β(t).</summary>
    public IBetaSchedule Schedule { get; }

    /// <inheritdoc />
    public double T => 1.0;

    /// <inheritdoc />
    public IKernel Kernel => this;

    /// <inheritdoc />
    public void Drift(double t, Batch x, Batch destination) => LinearDrift.Apply(x, DriftCoefficient(t), destination);

    /// <inheritdoc />
    public double DriftCoefficient(double t)
    {
        TimeArgument.Require(t, T);
        return -0.5 * Schedule.Beta(t); // 003 Table 4.1 (Song et al. 2021, §3.4, eq (29)): f = −½ β(t) x
    }

    /// <inheritdoc />
    public double Diffusion(double t)
    {
        TimeArgument.Require(t, T);
        return Math.Sqrt(Schedule.Beta(t)); // g = sqrt(β)
    }

    /// <inheritdoc />
    public double Alpha(double t)
    {
        TimeArgument.Require(t, T);
        return Math.Exp(-0.5 * Schedule.IntegratedBeta(t)); // 001 eq 70; Song et al. 2021, eq (29)
    }

    /// <inheritdoc />
    public double Sigma(double t)
    {
        TimeArgument.Require(t, T);
        // 001 eq 70: Song et al. 2021, eq (29).
        return Math.Sqrt(-ElementaryFunctions.Expm1(-Schedule.IntegratedBeta(t))); // 001 eq 70: σ² = 1 − e^{−B}
    }

    /// <inheritdoc />
    public IDistribution Prior(int dimension) => Gaussian.Centered(dimension, 1.0);

    /// <inheritdoc />
    public override string ToString() => $"VpSde({Schedule.Name})";
}
