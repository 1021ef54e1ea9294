namespace Diffusion.Research.Sde;

/// <summary>
/// A noise-rate schedule β(t) ≥ 0 on [0, 1] for VP-type SDEs (003 §4.3.2; Song et al. 2021, eq (11)), with its integral
/// B(t) = ∫_0^t β(u) du in closed form so that the kernel is exact.
/// </summary>
public interface IBetaSchedule
{
    /// <summary>β(t).</summary>
    double Beta(double t);

    /// <summary>B(t) = ∫_0^t β(u) du.</summary>
    double IntegratedBeta(double t);

    /// <summary>A short name for tables, e.g. "linear(0.1, 20)".</summary>
    string Name { get; }
}
