namespace Diffusion.Research.Sde;

/// <summary>
/// β(t) = β_min + t (β_max − β_min) on [0, 1] (003 §4.3.2 "typical instance"; Song et al. 2021),
/// B(t) = β_min t + ½ (β_max − β_min) t². The continuous limit of DDPM's linear schedule (001 eqs 55–58).
/// </summary>
public sealed class LinearBetaSchedule : IBetaSchedule
{
    /// <summary>The schedule with the given end points (defaults 0.1 and 20, as in Song et al. 2021).</summary>
    public LinearBetaSchedule(double betaMin = 0.1, double betaMax = 20.0)
    {
        TimeArgument.RequireNonNegative(betaMin, nameof(betaMin));
        TimeArgument.RequirePositive(betaMax, nameof(betaMax));
        if (betaMax < betaMin)
            throw new ArgumentOutOfRangeException(nameof(betaMax), betaMax, $"beta_max must be >= beta_min = {betaMin}.");
        BetaMin = betaMin;
        BetaMax = betaMax;
    }

    /// <summary>β(0).</summary>
    public double BetaMin { get; }

    /// <summary>β(1).</summary>
    public double BetaMax { get; }

    /// <inheritdoc />
    public double Beta(double t) => BetaMin + t * (BetaMax - BetaMin); // 003 §4.3.2; Song et al. 2021, eq (11)

    /// <inheritdoc />
    public double IntegratedBeta(double t) => t * (BetaMin + 0.5 * t * (BetaMax - BetaMin));

    /// <inheritdoc />
    public string Name => $"linear({BetaMin}, {BetaMax})";
}
