namespace Diffusion.Research.Sde;

/// <summary>
/// The cosine schedule of Nichol &amp; Dhariwal (2021) in continuous time: ᾱ(t) = α_t² = cos²φ(t) / cos²φ(0),
/// φ(t) = (t + s)/(1 + s)·π/2, so B(t) = −log ᾱ(t) and β(t) = B'(t) = π/(1 + s)·tan φ(t).
/// β diverges at t = 1, so it is clipped at β_max (Nichol &amp; Dhariwal clip the discrete β_t at 0.999; with
/// 1000 steps that is a rate of 999 per unit time, the default here): past the time t* where β(t*) = β_max,
/// β = β_max and B grows linearly, keeping the kernel exact for the clipped SDE.
/// This is NOT the schedule that 000 (Nichol and Dhariwal 2021, eq (17)) ("Cosine: β_t = β_1/2 (1 + cos(...))") calls cosine; see
/// docs/errata.md entry 15.
/// </summary>
public sealed class CosineBetaSchedule : IBetaSchedule
{
    private readonly double _phi0;
    private readonly double _cosPhi0;
    private readonly double _rate; // φ'(t) = π / (2 (1 + s))

    /// <summary>The schedule with offset <paramref name="s"/> (0.008 in Nichol &amp; Dhariwal) and clip <paramref name="betaMax"/>.</summary>
    public CosineBetaSchedule(double s = 0.008, double betaMax = 999.0)
    {
        TimeArgument.RequirePositive(s, nameof(s));
        TimeArgument.RequirePositive(betaMax, nameof(betaMax));
        Offset = s;
        BetaMax = betaMax;
        _rate = Math.PI / (2 * (1 + s));
        _phi0 = s * _rate;
        _cosPhi0 = Math.Cos(_phi0);
        if (2 * _rate * Math.Tan(_phi0) >= betaMax)
            throw new ArgumentOutOfRangeException(nameof(betaMax), betaMax, $"beta_max must exceed beta(0) = {2 * _rate * Math.Tan(_phi0)}.");
        // β(t*) = β_max  ⇔  tan φ(t*) = β_max / (2 φ')
        ClipTime = Math.Min(1.0, Math.Atan(betaMax / (2 * _rate)) / _rate - s);
        _bAtClip = Unclipped(ClipTime);
    }

    private readonly double _bAtClip;

    /// <summary>s.</summary>
    public double Offset { get; }

    /// <summary>The clip on β.</summary>
    public double BetaMax { get; }

    /// <summary>t*, where β reaches β_max (1 when it does not on [0, 1]).</summary>
    public double ClipTime { get; }

    /// <inheritdoc />
    public double Beta(double t) => t >= ClipTime ? BetaMax : 2 * _rate * Math.Tan(_phi0 + t * _rate);

    /// <inheritdoc />
    public double IntegratedBeta(double t) => t >= ClipTime ? _bAtClip + BetaMax * (t - ClipTime) : Unclipped(t);

    // B(t) = −2 log(cos φ / cos φ0) = −2 log1p((cos φ − cos φ0)/cos φ0), with
    // cos φ − cos φ0 = −2 sin((φ + φ0)/2) sin((φ − φ0)/2) to keep full precision as t → 0.
    private double Unclipped(double t)
    {
        var phi = _phi0 + t * _rate;
        var diff = -2 * Math.Sin(0.5 * (phi + _phi0)) * Math.Sin(0.5 * t * _rate);
        return -2 * ElementaryFunctions.Log1p(diff / _cosPhi0);
    }

    /// <inheritdoc />
    public string Name => $"cosine(s={Offset}, beta_max={BetaMax})";
}
