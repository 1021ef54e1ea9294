using System.Buffers;
using System.Numerics.Tensors;
using Diffusion.Research.Numerics;
using Diffusion.Research.Scores;

namespace Diffusion.Research.Likelihood;

/// <summary>
/// The Hutchinson–Skilling estimate of ∇·s (002 "ODE Enables Exact Likelihood Computation"; 003 sliced score matching;
/// Hutchinson 1989; Grathwohl et al. 2019; Song, Garg, Shi and Ermon 2019):
/// ∇·s(x) ≈ (1/M) Σ_j ε_jᵀ J_s(x) ε_j, with the Jacobian–vector product by a central difference
/// J_s(x) ε ≈ [s(x + h ε) − s(x − h ε)]/(2h), h = <see cref="Step"/>·max(1, ‖x‖_∞). The difference has truncation
/// error ≈ h²/6 ‖∂³s‖ and round-off ≈ 1e-16 ‖s‖/h; the default h = 1e-5 balances them for fields that vary on
/// length scales ≳ 1e-2 (relative error ≲ 1e-6 of the JVP there). Unbiased up to that difference error.
/// As an <see cref="IScoreDivergence"/>, probe j of row i is keyed by (stream j, particle <see cref="FirstParticle"/> + i);
/// <see cref="ProbabilityFlowLikelihood"/> instead carries each particle's probes in the ODE state, so its estimate does not
/// depend on how a solver cuts the batch.
/// </summary>
public sealed class HutchinsonDivergence : IScoreDivergence
{
    /// <summary>An estimator for <paramref name="score"/> with <paramref name="probes"/> probes per particle.</summary>
    public HutchinsonDivergence(IScoreModel score, NoiseSource noise, int probes = 1,
        ProbeDistribution distribution = ProbeDistribution.Rademacher, double step = 1e-5)
    {
        ArgumentNullException.ThrowIfNull(score);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(probes);
        if (!Enum.IsDefined(distribution)) throw new ArgumentOutOfRangeException(nameof(distribution), distribution, "Unknown probe distribution.");
        if (!(step > 0 && step < 1)) throw new ArgumentOutOfRangeException(nameof(step), step, "The difference step must lie in (0, 1).");
        Score = score;
        Noise = noise;
        Probes = probes;
        Distribution = distribution;
        Step = step;
    }

    /// <summary>The score model whose divergence is estimated.</summary>
    public IScoreModel Score { get; }

    /// <summary>Source of the probes.</summary>
    public NoiseSource Noise { get; }

    /// <summary>M, probes per particle.</summary>
    public int Probes { get; }

    /// <summary>Rademacher or Gaussian probes.</summary>
    public ProbeDistribution Distribution { get; }

    /// <summary>Relative finite-difference step.</summary>
    public double Step { get; }

    /// <summary>Global index of row 0 (for keying probes when used as an <see cref="IScoreDivergence"/>).</summary>
    public long FirstParticle { get; init; }

    /// <summary>A copy keyed from another first particle.</summary>
    public HutchinsonDivergence WithFirstParticle(long firstParticle) => new(Score, Noise, Probes, Distribution, Step) { FirstParticle = firstParticle };

    /// <summary>Fills <paramref name="probes"/> (rows = particles, M·D columns: probe j in columns [jD, (j+1)D)) for particles
    /// <paramref name="firstParticle"/> + i; probe j of a particle is draw block j·D.. of stream j.</summary>
    public void FillProbes(long firstParticle, Batch probes)
    {
        if (probes.Dimension % Probes != 0)
            throw new ArgumentException($"Probe batch has {probes.Dimension} columns, not a multiple of {Probes} probes.", nameof(probes));
        var d = probes.Dimension / Probes;
        for (var i = 0; i < probes.Count; i++)
        {
            var row = probes.Row(i);
            for (var j = 0; j < Probes; j++)
            {
                var p = row.Slice(j * d, d);
                if (Distribution == ProbeDistribution.Gaussian)
                    Noise.FillGaussian((uint)j, firstParticle + i, p);
                else
                {
                    Noise.FillUniform((uint)j, firstParticle + i, p);
                    for (var k = 0; k < d; k++) p[k] = p[k] < 0.5 ? -1.0 : 1.0;
                }
            }
        }
    }

    /// <inheritdoc />
    public void Divergence(double t, Batch x, Span<double> destination)
    {
        var rented = ArrayPool<double>.Shared.Rent(x.Length * Probes);
        try
        {
            var probes = new Batch(rented, x.Count, x.Dimension * Probes);
            FillProbes(FirstParticle, probes);
            Estimate(t, x, probes, destination);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(rented);
        }
    }

    /// <summary>The estimate with given probes (rows = particles, M·D columns).</summary>
    public void Estimate(double t, Batch x, Batch probes, Span<double> destination)
    {
        if (probes.Count != x.Count || probes.Dimension != x.Dimension * Probes)
            throw new ArgumentException($"Probes are {probes.Count} x {probes.Dimension}, expected {x.Count} x {x.Dimension * Probes}.", nameof(probes));
        if (destination.Length != x.Count)
            throw new ArgumentException($"Destination has {destination.Length} entries, expected {x.Count}.", nameof(destination));
        int n = x.Count, d = x.Dimension;
        var rented = ArrayPool<double>.Shared.Rent(4 * x.Length + n);
        try
        {
            var all = new Batch(rented, 4 * n, d);
            Batch plus = all.Slice(0, n), minus = all.Slice(n, n), sPlus = all.Slice(2 * n, n), sMinus = all.Slice(3 * n, n);
            var steps = rented.AsSpan(4 * x.Length, n);
            for (var i = 0; i < n; i++)
                steps[i] = Step * Math.Max(1.0, TensorPrimitives.MaxMagnitude((ReadOnlySpan<double>)x.Row(i)));
            destination.Clear();
            for (var j = 0; j < Probes; j++)
            {
                for (var i = 0; i < n; i++)
                {
                    ReadOnlySpan<double> xi = x.Row(i);
                    ReadOnlySpan<double> e = probes.Row(i).Slice(j * d, d);
                    TensorPrimitives.MultiplyAdd(e, steps[i], xi, plus.Row(i));
                    TensorPrimitives.MultiplyAdd(e, -steps[i], xi, minus.Row(i));
                }
                Score.Score(t, plus, sPlus);
                Score.Score(t, minus, sMinus);
                for (var i = 0; i < n; i++)
                {
                    ReadOnlySpan<double> e = probes.Row(i).Slice(j * d, d);
                    // εᵀ J ε ≈ εᵀ [s(x + hε) − s(x − hε)] / (2h)
                    var diff = sPlus.Row(i);
                    TensorPrimitives.Subtract(diff, sMinus.Row(i), diff);
                    var jvp = TensorPrimitives.Dot(e, diff);
                    destination[i] += jvp / (2 * steps[i] * Probes);
                }
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(rented);
        }
    }
}
