using Diffusion.Research.Data;
using Diffusion.Research.Kernels;
using Diffusion.Research.Numerics;

namespace Diffusion.Research.Sde;

/// <summary>
/// The sub-VP SDE of Song et al. (2021, eq 29): dx = −½ β(t) x dt + sqrt(β(t)(1 − e^{−2B(t)})) dW on [0, 1].
/// Kernel α_t = e^{−B/2}, σ_t = 1 − e^{−B} (its variance (1 − e^{−B})² is below the VP one, hence the name);
/// prior N(0, I). Consistent with 003 Lemma 4.4.1 (Kingma et al. 2021; Lu et al. 2022, §2): dσ²/dt − 2 f σ² = β(1 − e^{−B})(1 +
/// e^{−B}) = g².
/// (The documents do not treat sub-VP; the kernel is checked against the moment ODEs in the tests.)
/// </summary>
public sealed class SubVpSde : ILinearSde, IKernel
{
    // Sub-VP has the drift of VP (Song et al. 2021 eq 29), hence the same mean factor alpha_t: both come from it.
    private readonly VpSde _vp;

    /// <summary>The sub-VP SDE with the given β schedule.</summary>
    public SubVpSde(IBetaSchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        Schedule = schedule;
        _vp = new VpSde(schedule);
    }

    /// <summary>With the linear schedule (defaults 0.1, 20).</summary>
    public static SubVpSde Linear(double betaMin = 0.1, double betaMax = 20.0) => new(new LinearBetaSchedule(betaMin, betaMax));

    /// <summary>β(t).</summary>
    public IBetaSchedule Schedule { get; }

    /// <inheritdoc />
    public double T => 1.0;

    /// <inheritdoc />
    public IKernel Kernel => this;

    /// <inheritdoc />
    public void Drift(double t, Batch x, Batch destination) => LinearDrift.Apply(x, DriftCoefficient(t), destination);

    /// <inheritdoc />
    public double DriftCoefficient(double t) => _vp.DriftCoefficient(t); // f = −½ β(t), as VP

    /// <inheritdoc />
    public double Diffusion(double t)
    {
        TimeArgument.Require(t, T);
        // g² = β (1 − e^{−2B})
        return Math.Sqrt(Schedule.Beta(t) * -ElementaryFunctions.Expm1(-2 * Schedule.IntegratedBeta(t)));
    }

    /// <inheritdoc />
    public double Alpha(double t) => _vp.Alpha(t); // α_t = e^{−B/2}, as VP (001 eq 70; Song et al. 2021, eq (29))

    /// <inheritdoc />
    public double Sigma(double t)
    {
        TimeArgument.Require(t, T);
        return -ElementaryFunctions.Expm1(-Schedule.IntegratedBeta(t)); // σ_t = 1 − e^{−B}
    }

    /// <inheritdoc />
    public IDistribution Prior(int dimension) => Gaussian.Centered(dimension, 1.0);

    /// <inheritdoc />
    public override string ToString() => $"SubVpSde({Schedule.Name})";
}
