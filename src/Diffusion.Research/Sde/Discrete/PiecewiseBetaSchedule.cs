namespace Diffusion.Research.Sde;

/// <summary>
/// The continuous-time VP schedule of a discrete DDPM schedule (<see cref="DiscreteBetaSchedule"/>, Ho et al. 2020 §2):
/// B(t) = ∫_0^t β = −log ᾱ_i at the knots t = (i + 1)/N, so that α_t² = e^{−B(t)} = ᾱ_i there (the knots of
/// <see cref="DiscreteTimeKernel"/>, dpm_solver_pytorch's discrete <c>NoiseScheduleVP</c>), B(0) = 0, and B linear in
/// between: β(t) = N (B_{i+1} − B_i) is constant on each training step [i/N, (i + 1)/N). On [1/N, 1] the kernel is
/// DiscreteTimeKernel's (log α linear between the knots); on [0, 1/N] it starts from α = 1, where DiscreteTimeKernel
/// extends its first segment instead. Every β_i must be below 1 (ᾱ_i &gt; 0): a zero-terminal-SNR schedule has
/// B(1) = ∞ and no VP SDE.
/// </summary>
public sealed class PiecewiseBetaSchedule : IBetaSchedule
{
    private readonly double[] _integrated; // B(i/N), i = 0..N: B(0) = 0, B((i + 1)/N) = −log ᾱ_i

    /// <summary>The schedule of <paramref name="schedule"/>, named <paramref name="name"/> in tables.</summary>
    /// <exception cref="ArgumentException">When some ᾱ_i is 0 (a β_i of 1).</exception>
    public PiecewiseBetaSchedule(DiscreteBetaSchedule schedule, string name)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var n = schedule.Count;
        _integrated = new double[n + 1];
        for (var i = 0; i < n; i++)
        {
            var alphaBar = schedule.AlphasCumprod[i];
            if (!(alphaBar > 0))
                throw new ArgumentException($"alpha_bar_{i} = {alphaBar}: a VP SDE needs every alpha_bar > 0 (every beta below 1; zero-terminal-SNR schedules end at alpha = 0).", nameof(schedule));
            _integrated[i + 1] = -Math.Log(alphaBar); // α² = ᾱ = e^{−B} (001 eq 70 at the knots)
        }
        Discrete = schedule;
        Name = name;
    }

    /// <summary>The discrete schedule.</summary>
    public DiscreteBetaSchedule Discrete { get; }

    /// <inheritdoc />
    public double Beta(double t)
    {
        var i = Step(t, out _);
        return Discrete.Count * (_integrated[i + 1] - _integrated[i]);
    }

    /// <inheritdoc />
    public double IntegratedBeta(double t)
    {
        var i = Step(t, out var w);
        return _integrated[i] + w * (_integrated[i + 1] - _integrated[i]);
    }

    /// <inheritdoc />
    public string Name { get; }

    // The training step i with t in [i/N, (i + 1)/N] (the last one closed at t = 1) and the fraction w of it.
    private int Step(double t, out double w)
    {
        var n = Discrete.Count;
        var u = t * n;
        var i = Math.Clamp((int)Math.Floor(u), 0, n - 1);
        w = u - i;
        return i;
    }
}
