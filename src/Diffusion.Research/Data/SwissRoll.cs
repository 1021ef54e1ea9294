using Diffusion.Research.Numerics;

namespace Diffusion.Research.Data;

/// <summary>
/// swissroll (FFJORD after scikit-learn <c>make_swiss_roll</c>, coordinates x and z, divided by 5):
/// t = 1.5 pi (1 + 2u), x = (t cos t + noise g_0, t sin t + noise g_1) / 5 with u uniform and g standard normal.
/// </summary>
public sealed class SwissRoll : IDataSet
{
    /// <summary>A swiss roll with Gaussian noise of standard deviation <paramref name="noise"/> before the division by 5 (FFJORD: 1).</summary>
    public SwissRoll(double noise = 1.0)
    {
        if (!double.IsFinite(noise) || noise < 0) throw new ArgumentOutOfRangeException(nameof(noise), noise, "noise must be finite and non-negative.");
        Noise = noise;
    }

    /// <summary>Standard deviation of the noise before scaling.</summary>
    public double Noise { get; }

    /// <inheritdoc />
    public int Dimension => 2;

    /// <summary>Particle i: t from uniform draw 0 of stream 0, the noise from Gaussian draws 0, 1 of stream 1.</summary>
    public void Sample(Batch destination, NoiseSource noise, long firstParticle)
    {
        ToyDataSet.Require(destination, firstParticle);
        Span<double> g = stackalloc double[2];
        for (var i = 0; i < destination.Count; i++)
        {
            var particle = firstParticle + i;
            var t = 1.5 * Math.PI * (1.0 + 2.0 * noise.Uniform(0, particle, 0));
            noise.FillGaussian(1, particle, g);
            var row = destination.Row(i);
            row[0] = (t * Math.Cos(t) + Noise * g[0]) / 5.0;
            row[1] = (t * Math.Sin(t) + Noise * g[1]) / 5.0;
        }
    }
}
