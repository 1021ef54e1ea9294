namespace Diffusion.Research.Sde;

/// <summary>Validation of a time argument against the horizon [0, T] of an SDE or kernel.</summary>
internal static class TimeArgument
{
    /// <summary>Relative slack at the ends, so that a grid end computed as T·(1 ± 1 ulp) is accepted.</summary>
    private const double Slack = 1e-12;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> unless 0 ≤ t ≤ T (up to a relative 1e-12 at the ends).</summary>
    public static void Require(double t, double horizon, string name = "t")
    {
        if (!(t >= -Slack * horizon && t <= horizon * (1 + Slack)))
            throw new ArgumentOutOfRangeException(name, t, $"Time must lie in [0, {horizon}].");
    }

    /// <summary>Throws unless <paramref name="value"/> is finite and strictly positive.</summary>
    public static void RequirePositive(double value, string name)
    {
        if (!(value > 0) || !double.IsFinite(value))
            throw new ArgumentOutOfRangeException(name, value, "Must be finite and > 0.");
    }

    /// <summary>Throws unless <paramref name="value"/> is finite and ≥ 0.</summary>
    public static void RequireNonNegative(double value, string name)
    {
        if (!(value >= 0) || !double.IsFinite(value))
            throw new ArgumentOutOfRangeException(name, value, "Must be finite and >= 0.");
    }
}
