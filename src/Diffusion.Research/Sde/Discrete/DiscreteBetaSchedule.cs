namespace Diffusion.Research.Sde;

/// <summary>
/// A discrete-time DDPM noise schedule β_0..β_{N−1} with ᾱ_i = Π_{j≤i} (1 − β_j) (Ho et al. 2020 §2, eq 4), as
/// discrete-time models are trained with: linear (Ho et al. §4: 1e-4 to 0.02 over 1000), scaled-linear (latent
/// diffusion: sqrt(β) linear), squared-cosine (Nichol &amp; Dhariwal 2021 eq 17), and the zero-terminal-SNR rescaling
/// (Lin et al. 2024 Alg. 1). Step i corresponds to continuous time t_i = (i + 1)/N, where
/// <see cref="DiscreteTimeKernel"/> interpolates log α linearly (dpm_solver_pytorch's discrete <c>NoiseScheduleVP</c>),
/// so that α(t_i)² = ᾱ_i exactly.
/// </summary>
public sealed class DiscreteBetaSchedule
{
    private readonly double[] _betas;
    private readonly double[] _alphasCumprod;

    /// <summary>A schedule from explicit betas (each in [0, 1], at least two).</summary>
    public DiscreteBetaSchedule(IReadOnlyList<double> betas)
    {
        ArgumentNullException.ThrowIfNull(betas);
        if (betas.Count < 2) throw new ArgumentException("A discrete schedule needs at least two betas.", nameof(betas));
        _betas = new double[betas.Count];
        _alphasCumprod = new double[betas.Count];
        var product = 1.0;
        for (var i = 0; i < betas.Count; i++)
        {
            var b = betas[i];
            if (!(b >= 0 && b <= 1)) throw new ArgumentOutOfRangeException(nameof(betas), b, $"beta_{i} = {b} lies outside [0, 1].");
            _betas[i] = b;
            product *= 1 - b; // ᾱ_i = Π (1 − β_j) (Ho et al. 2020 eq 4)
            _alphasCumprod[i] = product;
        }
    }

    /// <summary>N, the number of training steps.</summary>
    public int Count => _betas.Length;

    /// <summary>β_i.</summary>
    public IReadOnlyList<double> Betas => _betas;

    /// <summary>ᾱ_i.</summary>
    public IReadOnlyList<double> AlphasCumprod => _alphasCumprod;

    /// <summary>Ho et al. 2020 §4: β linear from <paramref name="betaStart"/> to <paramref name="betaEnd"/> over <paramref name="steps"/>.
    /// Its continuous limit is the linear VP SDE with β_min = N β_start, β_max = N β_end (0.1 and 20 for the defaults).</summary>
    public static DiscreteBetaSchedule Linear(int steps = 1000, double betaStart = 1e-4, double betaEnd = 0.02)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 2);
        var betas = new double[steps];
        for (var i = 0; i < steps; i++) betas[i] = betaStart + (betaEnd - betaStart) * i / (steps - 1);
        return new DiscreteBetaSchedule(betas);
    }

    /// <summary>Latent diffusion's "scaled_linear": sqrt(β) linear from sqrt(<paramref name="betaStart"/>) to sqrt(<paramref name="betaEnd"/>).</summary>
    public static DiscreteBetaSchedule ScaledLinear(int steps = 1000, double betaStart = 0.00085, double betaEnd = 0.012)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 2);
        double a = Math.Sqrt(betaStart), b = Math.Sqrt(betaEnd);
        var betas = new double[steps];
        for (var i = 0; i < steps; i++)
        {
            var r = a + (b - a) * i / (steps - 1);
            betas[i] = r * r;
        }
        return new DiscreteBetaSchedule(betas);
    }

    /// <summary>Nichol &amp; Dhariwal 2021 eq 17: ᾱ(t) = f(t)/f(0), f(t) = cos²((t/N + s)/(1 + s) · π/2),
    /// β_i = min(1 − ᾱ(i + 1)/ᾱ(i), <paramref name="maxBeta"/>) (the clipping of their §3.2).</summary>
    public static DiscreteBetaSchedule SquaredCosine(int steps = 1000, double s = 0.008, double maxBeta = 0.999)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 2);
        double F(double i)
        {
            var c = Math.Cos((i / steps + s) / (1 + s) * Math.PI / 2);
            return c * c;
        }
        var betas = new double[steps];
        for (var i = 0; i < steps; i++) betas[i] = Math.Min(1 - F(i + 1) / F(i), maxBeta);
        return new DiscreteBetaSchedule(betas);
    }

    /// <summary>
    /// Lin et al. 2024 Alg. 1: shift and scale sqrt(ᾱ) so that its last value is 0 (zero terminal SNR) and its first
    /// unchanged, then recover β_i = 1 − ᾱ_i/ᾱ_{i−1} (β_0 = 1 − ᾱ_0).
    /// </summary>
    public DiscreteBetaSchedule RescaledToZeroTerminalSnr()
    {
        var n = Count;
        double first = Math.Sqrt(_alphasCumprod[0]), last = Math.Sqrt(_alphasCumprod[n - 1]);
        var betas = new double[n];
        var previous = 1.0;
        for (var i = 0; i < n; i++)
        {
            var r = (Math.Sqrt(_alphasCumprod[i]) - last) * first / (first - last);
            var cumprod = r * r;
            betas[i] = 1 - cumprod / previous;
            previous = cumprod;
        }
        return new DiscreteBetaSchedule(betas);
    }

    /// <summary>The continuous time t_i = (i + 1)/N of step i (dpm_solver_pytorch, discrete schedules).</summary>
    public double TimeOf(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return (index + 1.0) / Count;
    }

    /// <summary>The <paramref name="steps"/> inference timesteps (indices, decreasing) under <paramref name="spacing"/>
    /// (diffusers <c>set_timesteps</c>; Lin et al. 2024 Table 2). <paramref name="offset"/> shifts the leading spacing.</summary>
    public IReadOnlyList<int> Timesteps(int steps, TimestepSpacing spacing, int offset = 0)
    {
        var n = Count;
        if (steps < 1 || steps > n) throw new ArgumentOutOfRangeException(nameof(steps), steps, $"Need 1 <= steps <= N = {n}.");
        var result = new int[steps];
        for (var k = 0; k < steps; k++)
        {
            result[k] = spacing switch
            {
                TimestepSpacing.Leading => (steps - 1 - k) * (n / steps) + offset,
                TimestepSpacing.Trailing => (int)Math.Round(n - k * ((double)n / steps), MidpointRounding.ToEven) - 1,
                TimestepSpacing.Linspace => (int)Math.Round((n - 1) * (double)(steps - 1 - k) / (steps - 1 == 0 ? 1 : steps - 1), MidpointRounding.ToEven),
                _ => throw new ArgumentOutOfRangeException(nameof(spacing), spacing, "Unknown spacing."),
            };
            if (result[k] < 0 || result[k] >= n)
                throw new ArgumentOutOfRangeException(nameof(offset), offset, $"Timestep {result[k]} lies outside 0..{n - 1}.");
        }
        return result;
    }
}
