using Diffusion.Research.Numerics;
using Diffusion.Research.Registries;

namespace Diffusion.Research.Data;

/// <summary>
/// swissroll (FFJORD after scikit-learn <c>make_swiss_roll</c>, coordinates x and z, divided by 5):
/// t = 1.5 pi (1 + 2u), x = (t cos t + noise g_0, t sin t + noise g_1) / 5 with u uniform and g standard normal.
/// </summary>
public sealed class SwissRoll : IDataSet, IToyPoint
{
    /// <summary>A swiss roll with Gaussian noise of standard deviation <paramref name="noise"/> before the division by 5 (FFJORD: 1).</summary>
    public SwissRoll(double noise = 1.0)
    {
        Noise = ToyDataSet.RequireNoise(noise);
    }

    /// <summary>Standard deviation of the noise before scaling.</summary>
    public double Noise { get; }

    /// <inheritdoc />
    public int Dimension => 2;

    /// <summary>Particle i: t from uniform draw 0 of stream 0, the noise from Gaussian draws 0, 1 of stream 1.</summary>
    public void Sample(Batch destination, NoiseSource noise, long firstParticle) =>
        ToyDataSet.Sample(this, 1, 2, destination, noise, firstParticle);

    void IToyPoint.Map(ReadOnlySpan<double> u, ReadOnlySpan<double> g, Span<double> row)
    {
        var t = 1.5 * Math.PI * (1.0 + 2.0 * u[0]);
        row[0] = (t * Math.Cos(t) + Noise * g[0]) / 5.0;
        row[1] = (t * Math.Sin(t) + Noise * g[1]) / 5.0;
    }

    /// <summary>Registers swissroll (<see cref="DataSetRegistry.CreateDefault"/>).</summary>
    internal static void Register(DataSetRegistry r) =>
        r.Register("swissroll", "2-D swiss roll (t cos t, t sin t)/5, t in [1.5 pi, 4.5 pi]",
            p => new SwissRoll(p["noise"]), ParameterSpec.Real("noise", 1.0, "std of the added Gaussian noise"));
}
