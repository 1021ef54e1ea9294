namespace Diffusion.Research.Kernels;

/// <summary>
/// What follows from α_t and σ_t alone: SNR and log-SNR (003 §4.4), their inverses (for log-SNR, Karras and
/// geometric-σ grids and DPM-Solver), the kernel at one time, the between-time kernel (003 Eq 4.4.5) and the
/// posterior of Lemma 4.4.2.
/// </summary>
public static class KernelExtensions
{
    /// <summary>The kernel N(α_t x_0, σ_t² I) at time t as a value with batched sampling, density and score.</summary>
    public static TransitionKernel At(this IKernel kernel, double t)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        return new TransitionKernel(kernel.Alpha(t), kernel.Sigma(t));
    }

    /// <summary>SNR(t) = α_t²/σ_t² (003 §4.4 item 8; Kingma et al. 2021).</summary>
    public static double Snr(this IKernel kernel, double t)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        var a = kernel.Alpha(t);
        var s = kernel.Sigma(t);
        return a * a / (s * s);
    }

    /// <summary>log SNR(t) = 2 log(α_t/σ_t) = 2 λ_t of 003 Lemma 4.4.1 (Kingma et al. 2021; Lu et al. 2022, §2) (+∞ where σ_t =
    /// 0).</summary>
    public static double LogSnr(this IKernel kernel, double t)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        return 2 * (Math.Log(kernel.Alpha(t)) - Math.Log(kernel.Sigma(t)));
    }

    /// <summary>
    /// The time in [<paramref name="start"/>, <paramref name="end"/>] where log SNR equals <paramref name="logSnr"/>,
    /// by bisection to the last bit (log SNR must decrease in t, as for every built-in kernel; 003 §4.4 item 9; Kingma
    /// et al. 2021).
    /// Throws when the value lies outside [log SNR(end), log SNR(start)].
    /// </summary>
    public static double TimeAtLogSnr(this IKernel kernel, double logSnr, double start, double end)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        if (double.IsNaN(logSnr)) throw new ArgumentOutOfRangeException(nameof(logSnr), logSnr, "log-SNR is NaN.");
        if (!(start < end)) throw new ArgumentException($"Need start < end, got [{start}, {end}].", nameof(start));
        double hiValue = kernel.LogSnr(start), loValue = kernel.LogSnr(end);
        // accept values a few ulps outside the range (e.g. from exp/log round trips) as the end points
        var slack = 1e-13 * Math.Max(1.0, Math.Max(Math.Abs(loValue), double.IsFinite(hiValue) ? Math.Abs(hiValue) : 0));
        if (logSnr > hiValue && logSnr <= hiValue + slack) return start;
        if (logSnr < loValue && logSnr >= loValue - slack) return end;
        if (!(logSnr <= hiValue && logSnr >= loValue))
            throw new ArgumentOutOfRangeException(nameof(logSnr), logSnr,
                $"log-SNR must lie in [{loValue}, {hiValue}], its range over [{start}, {end}].");
        if (logSnr == hiValue) return start;
        if (logSnr == loValue) return end;
        double lo = start, hi = end;
        for (var i = 0; i < 2000; i++)
        {
            var mid = 0.5 * (lo + hi);
            if (mid <= lo || mid >= hi) break;
            if (kernel.LogSnr(mid) > logSnr) lo = mid;
            else hi = mid;
        }
        return 0.5 * (lo + hi);
    }

    /// <summary>
    /// The time where σ_t/α_t equals <paramref name="ratio"/> (the EDM noise level σ = e^{−λ}; for VE, α = 1, it is σ_t itself).
    /// Same method and conditions as <see cref="TimeAtLogSnr"/>.
    /// </summary>
    public static double TimeAtSigmaRatio(this IKernel kernel, double ratio, double start, double end)
    {
        if (!(ratio > 0) || !double.IsFinite(ratio))
            throw new ArgumentOutOfRangeException(nameof(ratio), ratio, "sigma/alpha must be finite and > 0.");
        return kernel.TimeAtLogSnr(-2 * Math.Log(ratio), start, end);
    }

    /// <summary>p(x_t | x_s) for s ≤ t (003 Eq 4.4.5; Kingma et al. 2021): α_{t|s} = α_t/α_s, σ_{t|s}² = σ_t² − α_{t|s}²
    /// σ_s².</summary>
    public static TransitionKernel Between(this IKernel kernel, double s, double t)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        if (!(s <= t)) throw new ArgumentException($"Need s <= t, got s = {s}, t = {t}.", nameof(s));
        var a = kernel.Alpha(t) / kernel.Alpha(s);
        var st = kernel.Sigma(t);
        var ss = kernel.Sigma(s);
        var variance = Math.Max(0.0, st * st - a * a * ss * ss);
        return new TransitionKernel(a, Math.Sqrt(variance));
    }

    /// <summary>p(x_s | x_t, x_0) for s &lt; t, t &gt; 0 (003 Lemma 4.4.2; Kingma et al. 2021).</summary>
    public static GaussianPosterior Posterior(this IKernel kernel, double s, double t)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        if (!(s < t)) throw new ArgumentException($"Need s < t, got s = {s}, t = {t}.", nameof(s));
        var between = kernel.Between(s, t);
        var st2 = kernel.Sigma(t);
        st2 *= st2;
        if (!(st2 > 0)) throw new ArgumentException($"sigma_t = 0 at t = {t}: no posterior.", nameof(t));
        var ss = kernel.Sigma(s);
        var ss2 = ss * ss;
        var bv = between.Variance;
        // 003 Lemma 4.4.2 (Kingma et al. 2021) (with its t < s renamed s < t here)
        return new GaussianPosterior(
            NoisyWeight: between.Alpha * ss2 / st2,
            DataWeight: kernel.Alpha(s) * bv / st2,
            Variance: bv * ss2 / st2);
    }
}
