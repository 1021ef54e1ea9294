using System.Globalization;
using Diffusion.Research.Sde;

namespace Diffusion.Research.Experiments.Backend;

/// <summary>
/// Validation that a forward SDE is numerically usable on [t_eps, T] before anything runs: parameters such as
/// beta_max = 1e308 or sigma_max = 1e300 pass every range check of the SDE itself but make the perturbation kernel
/// p_t(x_t | x_0) = N(α(t) x_0, σ(t)² I) (000 "Two Main Types"; 001 eqs 67–70 for VE and VP; Song et al. 2021, eq (29)) overflow
/// or underflow, and the
/// sampler then fails with a misleading message. Checked on 65 uniformly spaced times: α(t), σ(t), σ(t)², α(t)² and
/// g(t)² finite with σ(t) &gt; 0 (the kernel is a proper Gaussian), and α(t_eps) &gt; 0 with a finite log-SNR at t_eps
/// (the data survive at the end of sampling; α(T) = 0, as in flow matching, is allowed). Without a closed-form kernel
/// only g(t) and the drift at x = (1, ..., 1) are checked.
/// </summary>
public static class SdeRangeCheck
{
    private const int Points = 65;

    /// <summary>Throws an <see cref="ArgumentException"/> (ParamName sde.parameters) naming the first non-finite quantity.</summary>
    public static void Check(ISde sde, double tEps, int dimension)
    {
        ArgumentNullException.ThrowIfNull(sde);
        var x = new Numerics.Batch(1, dimension);
        var drift = new Numerics.Batch(1, dimension);
        x.Values.Fill(1.0);
        for (var i = 0; i < Points; i++)
        {
            var t = tEps + (sde.T - tEps) * i / (Points - 1);
            if (i == Points - 1) t = sde.T;
            if (sde.Kernel is { } kernel)
            {
                var alpha = kernel.Alpha(t);
                var sigma = kernel.Sigma(t);
                Finite(alpha, "the kernel mean scale alpha(t)", t);
                Finite(sigma, "the kernel standard deviation sigma(t)", t);
                Finite(alpha * alpha, "alpha(t)^2", t);
                Finite(sigma * sigma, "the kernel variance sigma(t)^2", t);
                if (!(sigma > 0)) Fail($"the kernel standard deviation sigma(t) is {Show(sigma)} at t = {Show(t)}; it must be positive", t);
                if (i == 0)
                {
                    if (!(alpha > 0) || !double.IsFinite(Math.Log(alpha * alpha / (sigma * sigma))))
                        Fail($"at t_eps = {Show(t)} the kernel keeps alpha = {Show(alpha)} of the data against noise sigma = {Show(sigma)} (log-SNR not finite): the data are erased before sampling ends; lower the noise parameters", t);
                }
            }
            if (i < Points - 1)
            {
                var g = sde.Diffusion(t);
                Finite(g * g, "the squared diffusion g(t)^2", t);
                sde.Drift(t, x, drift);
                foreach (var v in drift.Values) Finite(v, "the drift f(x, t) at x = (1, ..., 1)", t);
            }
        }
    }

    private static void Finite(double value, string what, double t)
    {
        if (!double.IsFinite(value)) Fail($"{what} is {Show(value)} at t = {Show(t)}; the parameters are too extreme for double precision", t);
    }

    private static void Fail(string message, double t)
    {
        _ = t;
        throw new ArgumentException($"the forward SDE is not usable on [t_eps, T]: {message}.", "sde.parameters");
    }

    private static string Show(double v) => v.ToString("G4", CultureInfo.InvariantCulture);
}
