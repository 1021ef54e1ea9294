using System.Globalization;

namespace Diffusion.Research.Sampling;

/// <summary>
/// The first step an adaptive solver attempts (diffrax's <c>dt0</c>, torchdiffeq's <c>first_step</c>):
/// <see cref="Automatic"/> (the default of <see cref="SolveOptions"/>: Hairer, Nørsett, Wanner I, §II.4, "starting step
/// size"), <see cref="FromGrid"/> (|t_1 − t_0| of the grid, the behaviour before this option existed and the experiment
/// backend's default, so that committed tables keep their numbers) or <see cref="Of"/> a given |dt0|. Fixed-step solvers
/// ignore it.
/// </summary>
public sealed record InitialStep
{
    private InitialStep(InitialStepRule rule, double value)
    {
        Rule = rule;
        Value = value;
    }

    /// <summary>Which rule.</summary>
    public InitialStepRule Rule { get; }

    /// <summary>|dt0| for <see cref="InitialStepRule.Given"/>; NaN otherwise.</summary>
    public double Value { get; }

    /// <summary>Hairer, Nørsett, Wanner I, §II.4: h from ‖x_0‖, ‖f(t_0, x_0)‖ and a difference quotient of f.</summary>
    public static InitialStep Automatic { get; } = new(InitialStepRule.Automatic, double.NaN);

    /// <summary>The grid's first step |t_1 − t_0|.</summary>
    public static InitialStep FromGrid { get; } = new(InitialStepRule.Grid, double.NaN);

    /// <summary>The first attempt has |dt| = <paramref name="dt0"/> (finite, &gt; 0; capped at the interval).</summary>
    public static InitialStep Of(double dt0)
    {
        if (!(dt0 > 0) || !double.IsFinite(dt0)) throw new ArgumentOutOfRangeException(nameof(dt0), dt0, "dt0 must be finite and > 0.");
        return new InitialStep(InitialStepRule.Given, dt0);
    }

    /// <inheritdoc />
    public override string ToString() => Rule switch
    {
        InitialStepRule.Automatic => "auto",
        InitialStepRule.Grid => "grid",
        _ => Value.ToString("R", CultureInfo.InvariantCulture),
    };
}
