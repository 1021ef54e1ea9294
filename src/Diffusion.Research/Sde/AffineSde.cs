using Diffusion.Research.Data;
using Diffusion.Research.Kernels;
using Diffusion.Research.Numerics;

namespace Diffusion.Research.Sde;

/// <summary>
/// The linear SDE whose perturbation kernel is a prescribed N(α_t x0, σ_t² I) (003 Eq 4.4.1 and Lemma 4.4.1; Kingma et al. 2021;
/// Lu et al. 2022, §2):
/// f(t) = d log α_t/dt, g²(t) = dσ_t²/dt − 2 (d log α_t/dt) σ_t². Derivatives are taken from the functions
/// given, or else by a five-point finite difference (about 1e-12 relative for schedules smooth on scale 1).
/// Prior N(0, σ_T² I). The schedule must satisfy α_t &gt; 0 and σ_t²/α_t² non-decreasing on [0, T]
/// (g² = α² d(σ²/α²)/dt ≥ 0); both are checked at 257 points at construction.
/// </summary>
public sealed class AffineSde : ILinearSde, IKernel
{
    private readonly Func<double, double> _alpha;
    private readonly Func<double, double> _sigma;
    private readonly Func<double, double>? _alphaDot;
    private readonly Func<double, double>? _sigmaDot;

    /// <summary>The SDE of the kernel (<paramref name="alpha"/>, <paramref name="sigma"/>) on [0, <paramref name="t"/>],
    /// with optional analytic derivatives dα/dt and dσ/dt.</summary>
    public AffineSde(Func<double, double> alpha, Func<double, double> sigma, double t,
        Func<double, double>? alphaDerivative = null, Func<double, double>? sigmaDerivative = null, string name = "affine")
    {
        ArgumentNullException.ThrowIfNull(alpha);
        ArgumentNullException.ThrowIfNull(sigma);
        ArgumentNullException.ThrowIfNull(name);
        TimeArgument.RequirePositive(t, nameof(t));
        _alpha = alpha;
        _sigma = sigma;
        _alphaDot = alphaDerivative;
        _sigmaDot = sigmaDerivative;
        T = t;
        Name = name;
        Validate();
    }

    /// <summary>
    /// The flow-matching / rectified-flow kernel α_t = 1 − t, σ_t = t (003 §4.4 "FM kernel"; Lipman et al. 2023;
    /// Liu, Gong and Liu 2023) on [0, T], T &lt; 1:
    /// f = −1/(1 − t) and g² = 2t/(1 − t) blow up at t = 1 because α_1 = 0 (003 §4.4 item 4 (Lipman et al. 2023;
    /// Liu, Gong and Liu 2023): an exact Gaussian
    /// prior at a finite time needs an infinite drift), so the horizon stops short of 1 (default 0.999).
    /// </summary>
    public static AffineSde FlowMatching(double t = 0.999)
    {
        if (!(t > 0 && t < 1))
            throw new ArgumentOutOfRangeException(nameof(t), t, "The flow-matching horizon T must lie in (0, 1): f and g blow up at t = 1.");
        return new AffineSde(static u => 1 - u, static u => u, t, static _ => -1.0, static _ => 1.0, "flow-matching");
    }

    /// <summary>A short name for tables.</summary>
    public string Name { get; }

    /// <inheritdoc />
    public double T { get; }

    /// <inheritdoc />
    public IKernel Kernel => this;

    /// <inheritdoc />
    public void Drift(double t, Batch x, Batch destination) => LinearDrift.Apply(x, DriftCoefficient(t), destination);

    /// <inheritdoc />
    public double DriftCoefficient(double t)
    {
        TimeArgument.Require(t, T);
        return AlphaDot(t) / _alpha(t); // 003 Lemma 4.4.1 (Kingma et al. 2021; Lu et al. 2022, §2): f = d log α/dt
    }

    /// <inheritdoc />
    public double Diffusion(double t)
    {
        TimeArgument.Require(t, T);
        return Math.Sqrt(Math.Max(0.0, DiffusionSquared(t)));
    }

    private double DiffusionSquared(double t)
    {
        var s = _sigma(t);
        // 003 Lemma 4.4.1 (Kingma et al. 2021; Lu et al. 2022, §2): g² = dσ²/dt − 2 (d log α/dt) σ² = 2σσ' − 2 (α'/α) σ²
        return 2 * s * SigmaDot(t) - 2 * (AlphaDot(t) / _alpha(t)) * s * s;
    }

    /// <inheritdoc />
    public double Alpha(double t)
    {
        TimeArgument.Require(t, T);
        return _alpha(t);
    }

    /// <inheritdoc />
    public double Sigma(double t)
    {
        TimeArgument.Require(t, T);
        return _sigma(t);
    }

    /// <inheritdoc />
    public IDistribution Prior(int dimension) => Gaussian.Centered(dimension, _sigma(T));

    private double AlphaDot(double t) => _alphaDot?.Invoke(t) ?? FiniteDifference.Derivative(_alpha, t, 0, T);

    private double SigmaDot(double t) => _sigmaDot?.Invoke(t) ?? FiniteDifference.Derivative(_sigma, t, 0, T);

    private void Validate()
    {
        const int points = 256;
        for (var i = 0; i <= points; i++)
        {
            var t = T * i / points;
            var a = _alpha(t);
            var s = _sigma(t);
            if (!(a > 0) || !double.IsFinite(a))
                throw new ArgumentException($"alpha({t}) = {a}; alpha_t must be finite and > 0 on [0, T].", "alpha");
            if (!(s >= 0) || !double.IsFinite(s) || (t > 0 && s == 0))
                throw new ArgumentException($"sigma({t}) = {s}; sigma_t must be finite, >= 0, and > 0 for t > 0.", "sigma");
            var g2 = DiffusionSquared(t);
            var scale = 1e-8 * Math.Max(1.0, s * s / Math.Max(t, 1e-300));
            if (!double.IsFinite(g2) || g2 < -scale)
                throw new ArgumentException($"g^2({t}) = {g2} < 0: sigma_t^2/alpha_t^2 must be non-decreasing for a real SDE (003 Lemma 4.4.1).", "sigma");
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"AffineSde({Name}, T={T})";
}
