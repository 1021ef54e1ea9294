using Diffusion.Research.Kernels;
using Diffusion.Research.Numerics;
using Diffusion.Research.Sde;

using static Diffusion.Research.Tests.Contracts.Contract;

namespace Diffusion.Research.Tests.Contracts;

/// <summary>Every argument check of src/Diffusion.Research/Kernels: the boundary, the parameter name and the message.</summary>
public class KernelsContractTests
{
    private static void Refused<T>(string? param, string message, Action act)
        where T : Exception
    {
        var e = Assert.Throws<T>(act);
        if (e is ArgumentException a) Assert.Equal(param, a.ParamName);
        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
    }

    /// <summary>α = 1, σ_t = max(0, t − 0.5): no noise up to t = 0.5.</summary>
    private sealed class LateNoise : IKernel
    {
        public double Alpha(double t) => 1.0;

        public double Sigma(double t) => Math.Max(0.0, t - 0.5);
    }

    [Fact]
    public void KernelExtensions_refuse_a_null_kernel()
    {
        Action[] calls =
        [
            () => KernelExtensions.At(null!, 0.37),
            () => KernelExtensions.Snr(null!, 0.37),
            () => KernelExtensions.LogSnr(null!, 0.37),
            () => KernelExtensions.TimeAtLogSnr(null!, 0.37, 0.1, 0.9),
            () => KernelExtensions.TimeAtSigmaRatio(null!, 0.37, 0.1, 0.9),
            () => KernelExtensions.Between(null!, 0.2, 0.37),
            () => KernelExtensions.Posterior(null!, 0.2, 0.37),
        ];
        foreach (var call in calls) Assert.Equal("kernel", Assert.Throws<ArgumentNullException>(call).ParamName);
        Assert.Equal(Vp.Alpha(0.37), Vp.At(0.37).Alpha);
        Assert.True(Vp.Snr(0.37) > 0);
        Assert.Equal(Math.Log(Vp.Snr(0.37)), Vp.LogSnr(0.37), 12);
    }

    [Fact]
    public void TimeAtLogSnr_checks_its_arguments()
    {
        double start = 0.1, end = 0.9;
        double hi = Vp.LogSnr(start), lo = Vp.LogSnr(end);
        Refused<ArgumentOutOfRangeException>("logSnr", "log-SNR is NaN.", () => Vp.TimeAtLogSnr(double.NaN, start, end));
        Refused<ArgumentException>("start", $"Need start < end, got [{0.5}, {0.5}].", () => Vp.TimeAtLogSnr(0.0, 0.5, 0.5));
        Refused<ArgumentException>("start", $"Need start < end, got [{0.9}, {0.1}].", () => Vp.TimeAtLogSnr(0.0, 0.9, 0.1));
        Refused<ArgumentException>("start", $"Need start < end, got [{double.NaN}, {0.9}].", () => Vp.TimeAtLogSnr(0.0, double.NaN, 0.9));
        var message = $"log-SNR must lie in [{lo}, {hi}], its range over [{start}, {end}].";
        Refused<ArgumentOutOfRangeException>("logSnr", message, () => Vp.TimeAtLogSnr(hi + 0.25, start, end));
        Refused<ArgumentOutOfRangeException>("logSnr", message, () => Vp.TimeAtLogSnr(lo - 0.25, start, end));
        Refused<ArgumentOutOfRangeException>("logSnr", message, () => Vp.TimeAtLogSnr(double.PositiveInfinity, start, end));
        Refused<ArgumentOutOfRangeException>("logSnr", message, () => Vp.TimeAtLogSnr(double.NegativeInfinity, start, end));
        // The ends and values a few ulps outside them are the end points.
        Assert.Equal(start, Vp.TimeAtLogSnr(hi, start, end));
        Assert.Equal(end, Vp.TimeAtLogSnr(lo, start, end));
        Assert.Equal(start, Vp.TimeAtLogSnr(hi + 1e-14 * Math.Abs(hi), start, end));
        Assert.Equal(end, Vp.TimeAtLogSnr(lo - 1e-14 * Math.Abs(lo), start, end));
        Assert.Equal(0.37, Vp.TimeAtLogSnr(Vp.LogSnr(0.37), start, end), 10);
    }

    [Fact]
    public void TimeAtSigmaRatio_checks_the_ratio()
    {
        foreach (var bad in new[] { 0.0, -0.37, double.NaN, double.PositiveInfinity, double.NegativeInfinity })
            Refused<ArgumentOutOfRangeException>("ratio", "sigma/alpha must be finite and > 0.", () => Vp.TimeAtSigmaRatio(bad, 0.1, 0.9));
        var ratio = Vp.Sigma(0.37) / Vp.Alpha(0.37);
        Assert.Equal(0.37, Vp.TimeAtSigmaRatio(ratio, 0.1, 0.9), 10);
    }

    [Fact]
    public void Between_and_Posterior_check_the_times()
    {
        Refused<ArgumentException>("s", $"Need s <= t, got s = {0.6}, t = {0.5}.", () => Vp.Between(0.6, 0.5));
        Refused<ArgumentException>("s", $"Need s <= t, got s = {double.NaN}, t = {0.5}.", () => Vp.Between(double.NaN, 0.5));
        var same = Vp.Between(0.37, 0.37);
        Assert.Equal(1.0, same.Alpha, 12);
        Assert.True(Vp.Between(0.2, 0.37).Sigma > 0);

        Refused<ArgumentException>("s", $"Need s < t, got s = {0.5}, t = {0.5}.", () => Vp.Posterior(0.5, 0.5));
        Refused<ArgumentException>("s", $"Need s < t, got s = {0.6}, t = {0.5}.", () => Vp.Posterior(0.6, 0.5));
        Assert.True(Vp.Posterior(0.2, 0.37).Variance > 0);

        var late = new LateNoise();
        Refused<ArgumentException>("t", $"sigma_t = 0 at t = {0.4}: no posterior.", () => late.Posterior(0.2, 0.4));
        Refused<ArgumentException>("t", $"sigma_t = 0 at t = {0.5}: no posterior.", () => late.Posterior(0.2, 0.5));
        var posterior = late.Posterior(0.2, 0.75);
        Assert.Equal(0.0, posterior.NoisyWeight);
        Assert.Equal(1.0, posterior.DataWeight, 12);
    }

    [Fact]
    public void MomentOdeKernel_checks_its_arguments()
    {
        Func<double, double> f = t => -0.5 * (0.1 + 19.9 * t), g = t => Math.Sqrt(0.1 + 19.9 * t);
        Assert.Equal("f", Assert.Throws<ArgumentNullException>(() => new MomentOdeKernel(null!, g, 1.0)).ParamName);
        Assert.Equal("g", Assert.Throws<ArgumentNullException>(() => new MomentOdeKernel(f, null!, 1.0)).ParamName);
        foreach (var bad in new[] { 0.0, -0.37, double.NaN, double.PositiveInfinity })
            Refused<ArgumentOutOfRangeException>("horizon", "Must be finite and > 0.", () => new MomentOdeKernel(f, g, bad));
        foreach (var bad in new[] { 0.0, -1e-12, 1e-3, 2.5e-3, double.NaN })
            Refused<ArgumentOutOfRangeException>("tolerance", "Tolerance must lie in (0, 1e-3).", () => new MomentOdeKernel(f, g, 1.0, bad));
        Assert.Equal(9.9e-4, new MomentOdeKernel(f, g, 1.0, 9.9e-4).Tolerance);
        Assert.Equal(1e-9, new MomentOdeKernel(f, g, 1.0, 1e-9).Tolerance);
        Assert.Equal("sde", Assert.Throws<ArgumentNullException>(() => MomentOdeKernel.Of(null!)).ParamName);
        Assert.Equal(Vp.Alpha(0.37), MomentOdeKernel.Of(Vp).Alpha(0.37), 9);
    }

    [Fact]
    public void MomentOdeKernel_refuses_bad_coefficients()
    {
        Refused<ArgumentException>(null, $"f({0.0}) = {double.NaN}, g({0.0}) = {1.0}: the coefficients must be finite on [0, T].",
            () => new MomentOdeKernel(_ => double.NaN, _ => 1.0, 1.0));
        Refused<ArgumentException>(null, $"f({0.0}) = {-0.5}, g({0.0}) = {double.PositiveInfinity}: the coefficients must be finite on [0, T].",
            () => new MomentOdeKernel(_ => -0.5, _ => double.PositiveInfinity, 1.0));
        Refused<ArgumentException>(null, $"The moment ODEs produced a non-finite value near t = {0.0}.",
            () => new MomentOdeKernel(_ => 1e300, _ => 1.0, 1.0));
        Refused<ArgumentException>(null, "The moment ODE step collapsed near t = ",
            () => new MomentOdeKernel(t => t < 0.3 ? 0.0 : -1e6, _ => 1.0, 1.0));
    }

    /// <summary>An oscillation of period 6e-5 needs steps of about 1e-7 at the default tolerance: more than 10^6 on [0, 1].</summary>
    [Fact]
    public void MomentOdeKernel_gives_up_after_a_million_steps()
    {
        Refused<ArgumentException>(null, "The moment ODEs needed more than 1000000 steps near t = ",
            () => new MomentOdeKernel(t => 10 * Math.Sin(1e5 * t), _ => 1.0, 1.0));
    }

    [Fact]
    public void TransitionKernel_checks_the_destination_and_sigma()
    {
        var kernel = new TransitionKernel(0.8, 0.37);
        var x = new Batch(3, 2);
        var noisy = new Batch(3, 2);
        Refused<ArgumentException>("destination", "Destination has 2 entries, expected 3.", () => kernel.LogDensity(x, noisy, new double[2]));
        Refused<ArgumentException>("destination", "Destination has 4 entries, expected 3.", () => kernel.LogDensity(x, noisy, new double[4]));
        var logp = new double[3];
        kernel.LogDensity(x, noisy, logp);
        Assert.True(double.IsFinite(logp[2]));
        foreach (var sigma in new[] { 0.0, -0.37, double.NaN })
        {
            var flat = new TransitionKernel(0.8, sigma);
            Refused<InvalidOperationException>(null, $"The kernel has sigma = {sigma}: no density (use t > 0).", () => flat.LogDensity(x, noisy, new double[3]));
            Refused<InvalidOperationException>(null, $"The kernel has sigma = {sigma}: no density (use t > 0).", () => flat.Score(x, noisy, new Batch(3, 2)));
        }
        var score = new Batch(3, 2);
        noisy.Set(1, 1, 0.37);
        new TransitionKernel(0.8, 0.5).Score(x, noisy, score);
        Assert.Equal(-0.37 / 0.25, score[1, 1], 12);
    }
}
