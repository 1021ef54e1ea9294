using Diffusion.Research.Numerics;
using Diffusion.Research.Registries;

namespace Diffusion.Research.Data;

/// <summary>
/// moons (FFJORD after scikit-learn <c>make_moons</c>, then x 2 + (-1, -0.2)): with probability 1/2 the upper
/// moon (cos th, sin th), else the lower (1 - cos th, 1/2 - sin th), th uniform on [0, pi], plus N(0, noise^2 I).
/// </summary>
public sealed class Moons : IDataSet, IToyPoint
{
    /// <summary>Two moons with Gaussian noise of standard deviation <paramref name="noise"/> before scaling (FFJORD: 0.1).</summary>
    public Moons(double noise = 0.1)
    {
        Noise = ToyDataSet.RequireNoise(noise);
    }

    /// <summary>Standard deviation of the noise before scaling.</summary>
    public double Noise { get; }

    /// <inheritdoc />
    public int Dimension => 2;

    /// <summary>Particle i: moon from uniform draw 0 and angle from uniform draw 1 of stream 0; noise from Gaussian draws 0, 1 of stream 1.</summary>
    public void Sample(Batch destination, NoiseSource noise, long firstParticle) =>
        ToyDataSet.Sample(this, 2, 2, destination, noise, firstParticle);

    void IToyPoint.Map(ReadOnlySpan<double> u, ReadOnlySpan<double> g, Span<double> row)
    {
        var (s, c) = Math.SinCos(Math.PI * u[1]);
        double x, y;
        if (u[0] < 0.5) { x = c; y = s; }
        else { x = 1.0 - c; y = 0.5 - s; }
        row[0] = 2.0 * (x + Noise * g[0]) - 1.0;
        row[1] = 2.0 * (y + Noise * g[1]) - 0.2;
    }

    /// <summary>Registers moons (<see cref="DataSetRegistry.CreateDefault"/>).</summary>
    internal static void Register(DataSetRegistry r) =>
        r.Register("moons", "two interleaved half circles", p => new Moons(p["noise"]), ParameterSpec.Real("noise", 0.1, "std of the added Gaussian noise"));
}
