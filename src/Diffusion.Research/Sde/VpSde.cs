using Diffusion.Research.Data;
using Diffusion.Research.Kernels;
using Diffusion.Research.Numerics;
using Diffusion.Research.Registries;

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

    /// <summary>The VP SDE of the discrete schedule <paramref name="schedule"/> (<see cref="PiecewiseBetaSchedule"/>: β(t)
    /// constant on each training step, α_t² = ᾱ_i at t = (i + 1)/N).</summary>
    public static VpSde Discrete(DiscreteBetaSchedule schedule, string name) => new(new PiecewiseBetaSchedule(schedule, name));

    /// <summary>Registers vp (linear beta), vp-cosine and the discrete schedules vp-discrete-linear,
    /// vp-discrete-scaled-linear and vp-discrete-cosine (<see cref="SdeRegistry.CreateDefault"/>).</summary>
    internal static void Register(SdeRegistry r)
    {
        r.Register("vp", "Variance preserving, linear beta(t) = beta_min + t (beta_max - beta_min) on [0, 1], prior N(0, I)",
            p => Linear(p["beta_min"], p["beta_max"]),
            ParameterSpec.Real("beta_min", 0.1, "beta at t = 0"), ParameterSpec.Real("beta_max", 20.0, "beta at t = 1"));
        r.Register("vp-cosine", "Variance preserving, cosine schedule of Nichol & Dhariwal (offset s, beta clipped at beta_max) on [0, 1], prior N(0, I)",
            p => Cosine(p["s"], p["beta_max"]),
            ParameterSpec.Real("s", 0.008, "offset s"), ParameterSpec.Real("beta_max", 999.0, "clip of beta(t)"));
        r.Register("vp-discrete-linear", "Variance preserving with DDPM's discrete linear schedule (Ho et al. 2020: beta_i from beta_start to beta_end over steps), beta(t) constant on each step, alpha_t^2 = alpha_bar_i at t = (i+1)/steps",
            p => DiscreteRamp("discrete-linear", DiscreteBetaSchedule.Linear, Steps(p), p["beta_start"], p["beta_end"], ClipLambda(p)),
            ParameterSpec.Integer("steps", 1000, "training steps N"), ParameterSpec.Real("beta_start", 1e-4, "beta_0"),
            ParameterSpec.Real("beta_end", 0.02, "beta_{N-1}"), ClipLambdaSpec);
        r.Register("vp-discrete-scaled-linear", "Variance preserving with latent diffusion's discrete scaled-linear schedule (sqrt(beta_i) linear from sqrt(beta_start) to sqrt(beta_end) over steps), beta(t) constant on each step",
            p => DiscreteRamp("discrete-scaled-linear", DiscreteBetaSchedule.ScaledLinear, Steps(p), p["beta_start"], p["beta_end"], ClipLambda(p)),
            ParameterSpec.Integer("steps", 1000, "training steps N"), ParameterSpec.Real("beta_start", 0.00085, "beta_0"),
            ParameterSpec.Real("beta_end", 0.012, "beta_{N-1}"), ClipLambdaSpec);
        r.Register("vp-discrete-cosine", "Variance preserving with Nichol & Dhariwal's discrete cosine schedule (their eq 17, beta_i clipped at max_beta) over steps, beta(t) constant on each step",
            p => DiscreteCosine(Steps(p), p["s"], p["max_beta"], ClipLambda(p)),
            ParameterSpec.Integer("steps", 1000, "training steps N"), ParameterSpec.Real("s", 0.008, "offset s"),
            ParameterSpec.Real("max_beta", 0.999, "clip of beta_i"), ClipLambdaSpec);
    }

    private static readonly ParameterSpec ClipLambdaSpec = ParameterSpec.OptionalReal("clip_lambda",
        "dpm-solver's convention: drop the last steps whose half-log-SNR lies below it and space t over the rest (-5.1 there); absent: keep all steps");

    private static double? ClipLambda(ParameterValues p) => p.Contains("clip_lambda") ? p["clip_lambda"] : null;

    // dpm_solver_pytorch's NoiseScheduleVP.numerical_clip_alpha (LuChengTHU/dpm-solver, 52bc3fb): the steps whose
    // half-log-SNR λ_i = log α_i − log σ_i = ½ log(ᾱ_i / (1 − ᾱ_i)) (decreasing in i) lies below the clip are dropped,
    // and the schedule has the N' steps kept, so t_i = (i + 1)/N'.
    private static DiscreteBetaSchedule Clipped(DiscreteBetaSchedule schedule, double? clipLambda)
    {
        if (clipLambda is not { } clip) return schedule;
        if (!double.IsFinite(clip)) throw new ArgumentOutOfRangeException("clip_lambda", clip, "clip_lambda must be a finite number.");
        var kept = 0;
        while (kept < schedule.Count && 0.5 * Math.Log(schedule.AlphasCumprod[kept] / (1 - schedule.AlphasCumprod[kept])) >= clip) kept++;
        if (kept < 2)
            throw new ArgumentOutOfRangeException("clip_lambda", clip, $"clip_lambda = {clip.ToString(System.Globalization.CultureInfo.InvariantCulture)} keeps {kept} of the {schedule.Count} steps; a schedule needs at least two.");
        return kept == schedule.Count ? schedule : new DiscreteBetaSchedule(schedule.Betas.Take(kept).ToArray());
    }

    private static int Steps(ParameterValues p)
    {
        var steps = p.Integer("steps");
        if (steps < 2 || steps > 1_000_000)
            throw new ArgumentOutOfRangeException("steps", steps, $"steps (the training steps N) must lie in [2, 1000000], got {steps}.");
        return steps;
    }

    // β_start and β_end of a linear or scaled-linear discrete schedule: in [0, 1), so that every β_i is (ᾱ > 0).
    private static void RequireBeta(double beta, string name)
    {
        if (!(beta >= 0 && beta < 1)) throw new ArgumentOutOfRangeException(name, beta, $"{name} must lie in [0, 1), got {beta.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
    }

    // A schedule that runs from β_start to β_end (linear, scaled-linear), named label(steps, β_start, β_end[, clip]).
    private static VpSde DiscreteRamp(string label, Func<int, double, double, DiscreteBetaSchedule> schedule, int steps,
        double betaStart, double betaEnd, double? clipLambda)
    {
        RequireBeta(betaStart, "beta_start");
        RequireBeta(betaEnd, "beta_end");
        return Discrete(Clipped(schedule(steps, betaStart, betaEnd), clipLambda), $"{label}({steps}, {betaStart}, {betaEnd}{Clip(clipLambda)})");
    }

    private static string Clip(double? clipLambda) => clipLambda is { } c ? $", clip_lambda {c}" : "";

    private static VpSde DiscreteCosine(int steps, double s, double maxBeta, double? clipLambda)
    {
        // s ≥ 0 keeps the angle (i/N + s)/(1 + s)·π/2 in [0, π/2] and every f(i) > 0; max_beta < 1 keeps the clipped β_i below 1.
        if (!(s >= 0 && s <= 1e6)) throw new ArgumentOutOfRangeException(nameof(s), s, $"s must lie in [0, 1e6], got {s.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
        if (!(maxBeta > 0 && maxBeta < 1)) throw new ArgumentOutOfRangeException("max_beta", maxBeta, $"max_beta must lie in (0, 1), got {maxBeta.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
        return Discrete(Clipped(DiscreteBetaSchedule.SquaredCosine(steps, s, maxBeta), clipLambda), $"discrete-cosine({steps}, {s}, {maxBeta}{Clip(clipLambda)})");
    }
}
