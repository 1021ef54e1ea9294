namespace Diffusion.Research.Solvers;

/// <summary>
/// A proportional–integral step-size controller (Gustafsson 1991; Hairer–Wanner II §IV.2, eq 2.43;
/// diffrax's PIDController with d = 0), the one controller shared by every adaptive solver:
/// with the scaled error norm E (≤ 1 means within tolerance) of the current step and E_prev of the last
/// accepted step, the next step is
/// h_new = h · clamp(Safety · E^(−Alpha) · E_prev^(Beta), MinFactor, MaxFactor).
/// Beta = 0 is the classical integral ("I") controller h · Safety · E^(−1/k).
/// After a rejection the step may not grow (Hairer–Nørsett–Wanner I §II.4).
/// </summary>
/// <param name="Safety">Safety factor (&lt; 1).</param>
/// <param name="Alpha">Exponent on the current error (1/k for the I controller, k = order of the error estimate + 1).</param>
/// <param name="Beta">Exponent on the previous accepted error (0: no proportional part).</param>
/// <param name="MinFactor">Smallest ratio h_new / h.</param>
/// <param name="MaxFactor">Largest ratio h_new / h.</param>
public sealed record PiController(double Safety, double Alpha, double Beta, double MinFactor, double MaxFactor)
{
    /// <summary>
    /// Hairer's PI settings for a 5(4) pair: Beta = 0.04, Alpha = 1/5 − 0.75 Beta = 0.17, Safety 0.9,
    /// factors in [0.2, 10] (Hairer–Nørsett–Wanner I §II.4 and the DOPRI5 code).
    /// </summary>
    public static PiController DormandPrince { get; } = new(0.9, 0.17, 0.04, 0.2, 10.0);

    /// <summary>
    /// The rule of Jolicoeur-Martineau et al. 2021 (Alg. 1): h_new = θ h E^(−r) with θ = 0.9, r = 0.9, no
    /// proportional part; factors capped to [0.1, 10] so that E = 0 or a huge E stay finite.
    /// </summary>
    public static PiController JolicoeurMartineau { get; } = new(0.9, 0.9, 0.0, 0.1, 10.0);

    /// <summary>
    /// PI settings for a pair whose error estimate has order <paramref name="embeddedOrder"/> q (local error O(h^(q+1))):
    /// Alpha = 1/(q+1) − 0.75 Beta (Hairer–Nørsett–Wanner I §II.4; Hairer–Wanner II §IV.2), Safety 0.9, factors in [0.2, 10].
    /// For q = 4 and Beta = 0.04 this is <see cref="DormandPrince"/> (Alpha 0.17, to rounding).
    /// </summary>
    public static PiController ForErrorOrder(int embeddedOrder, double beta = 0.04)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(embeddedOrder, 1);
        return new PiController(0.9, 1.0 / (embeddedOrder + 1) - 0.75 * beta, beta, 0.2, 10.0);
    }

    /// <summary>A copy with another safety factor.</summary>
    public PiController WithSafety(double safety) => this with { Safety = safety };

    /// <summary>A copy with other exponents.</summary>
    public PiController WithExponents(double alpha, double beta) => this with { Alpha = alpha, Beta = beta };

    /// <summary>A copy with other bounds on h_new / h.</summary>
    public PiController WithFactorBounds(double minFactor, double maxFactor) => this with { MinFactor = minFactor, MaxFactor = maxFactor };

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> unless 0 &lt; Safety ≤ 1, Alpha &gt; 0, Beta ≥ 0 and 0 &lt; MinFactor ≤ 1 ≤ MaxFactor.</summary>
    public void Validate()
    {
        if (!(Safety > 0 && Safety <= 1)) throw new ArgumentOutOfRangeException(nameof(Safety), Safety, "Must lie in (0, 1].");
        if (!(Alpha > 0) || !double.IsFinite(Alpha)) throw new ArgumentOutOfRangeException(nameof(Alpha), Alpha, "Must be positive.");
        if (!(Beta >= 0) || !double.IsFinite(Beta)) throw new ArgumentOutOfRangeException(nameof(Beta), Beta, "Must be >= 0.");
        if (!(MinFactor > 0 && MinFactor <= 1)) throw new ArgumentOutOfRangeException(nameof(MinFactor), MinFactor, "Must lie in (0, 1].");
        if (!(MaxFactor >= 1) || !double.IsFinite(MaxFactor)) throw new ArgumentOutOfRangeException(nameof(MaxFactor), MaxFactor, "Must be finite and >= 1.");
    }

    /// <summary>
    /// Decides about a step of size <paramref name="step"/> (|dt|) whose scaled error norm is
    /// <paramref name="error"/>; <paramref name="previousError"/> is the norm of the last accepted step
    /// (1 before the first), <paramref name="afterRejection"/> whether the previous attempt was rejected.
    /// </summary>
    public StepDecision Decide(double step, double error, double previousError, bool afterRejection)
    {
        var accepted = error <= 1.0;
        double factor;
        if (error == 0) factor = MaxFactor;
        else
        {
            factor = Safety * Math.Pow(error, -Alpha);
            if (accepted && Beta != 0) factor *= Math.Pow(Math.Max(previousError, 1e-4), Beta);
        }
        var max = accepted && !afterRejection ? MaxFactor : 1.0;
        factor = Math.Clamp(factor, MinFactor, max);
        return new StepDecision(accepted, step * factor);
    }
}
