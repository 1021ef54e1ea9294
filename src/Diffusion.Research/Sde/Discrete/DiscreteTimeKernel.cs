using Diffusion.Research.Kernels;

namespace Diffusion.Research.Sde;

/// <summary>
/// The continuous-time kernel of a discrete schedule (dpm_solver_pytorch <c>NoiseScheduleVP(schedule="discrete")</c>):
/// log α(t) is the piecewise-linear interpolation of ½ log ᾱ_i at t_i = (i + 1)/N, extended linearly to t = 0 from the
/// first two knots (so α(0) = 1 only in the limit), and σ(t) = sqrt(1 − α(t)²). α(t_i)² = ᾱ_i exactly.
/// Defined on [t_0, 1] = [1/N, 1]; the last ᾱ must be &gt; 0 (a zero-terminal-SNR schedule has log ᾱ = −∞ at t = 1).
/// </summary>
public sealed class DiscreteTimeKernel : IKernel
{
    private readonly double[] _logAlpha;

    /// <summary>The kernel of <paramref name="schedule"/>.</summary>
    public DiscreteTimeKernel(DiscreteBetaSchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        _logAlpha = new double[schedule.Count];
        for (var i = 0; i < schedule.Count; i++)
        {
            var a = schedule.AlphasCumprod[i];
            if (!(a > 0)) throw new ArgumentException($"alpha_bar_{i} = {a}: the continuous-time kernel needs alpha_bar > 0 (zero-terminal-SNR schedules end at alpha = 0).", nameof(schedule));
            _logAlpha[i] = 0.5 * Math.Log(a);
        }
        Schedule = schedule;
    }

    /// <summary>The discrete schedule.</summary>
    public DiscreteBetaSchedule Schedule { get; }

    /// <inheritdoc />
    public double Alpha(double t)
    {
        var n = _logAlpha.Length;
        if (!(t >= 1.0 / n && t <= 1)) throw new ArgumentOutOfRangeException(nameof(t), t, $"t must lie in [1/N, 1] = [{1.0 / n}, 1].");
        var u = t * n - 1; // knot coordinate: t_i = (i + 1)/N  <=>  u = i
        var i = Math.Min((int)Math.Floor(u), n - 2);
        var w = u - i;
        return Math.Exp(_logAlpha[i] + w * (_logAlpha[i + 1] - _logAlpha[i]));
    }

    /// <inheritdoc />
    public double Sigma(double t)
    {
        var a = Alpha(t);
        return Math.Sqrt(Math.Max(0, 1 - a * a));
    }
}
