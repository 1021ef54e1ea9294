using Diffusion.Research.Numerics;
using Diffusion.Research.Registries;

namespace Diffusion.Research.Data;

/// <summary>
/// rings (FFJORD): four concentric circles of radii 3, 2.25, 1.5, 0.75, each with probability 1/4, uniform angle,
/// plus N(0, noise^2 I) (FFJORD: noise 0.08).
/// </summary>
public sealed class Rings : IDataSet, IToyPoint
{
    /// <summary>Four rings with Gaussian noise of standard deviation <paramref name="noise"/>.</summary>
    public Rings(double noise = 0.08)
    {
        Noise = ToyDataSet.RequireNoise(noise);
    }

    /// <summary>Standard deviation of the noise.</summary>
    public double Noise { get; }

    /// <inheritdoc />
    public int Dimension => 2;

    /// <summary>Particle i: ring from uniform draw 0 and angle from uniform draw 1 of stream 0; noise from Gaussian draws 0, 1 of stream 1.</summary>
    public void Sample(Batch destination, NoiseSource noise, long firstParticle) =>
        ToyDataSet.Sample(this, 2, 2, destination, noise, firstParticle);

    void IToyPoint.Map(ReadOnlySpan<double> u, ReadOnlySpan<double> g, Span<double> row)
    {
        var ring = Math.Min(3, (int)(4.0 * u[0]));
        var radius = 3.0 * (1.0 - 0.25 * ring);
        var (s, c) = Math.SinCos(2.0 * Math.PI * u[1]);
        row[0] = radius * c + Noise * g[0];
        row[1] = radius * s + Noise * g[1];
    }

    /// <summary>Registers rings (<see cref="DataSetRegistry.CreateDefault"/>).</summary>
    internal static void Register(DataSetRegistry r) =>
        r.Register("rings", "4 concentric circles of radii 3, 2.25, 1.5, 0.75", p => new Rings(p["noise"]), ParameterSpec.Real("noise", 0.08, "std of the added Gaussian noise"));
}
