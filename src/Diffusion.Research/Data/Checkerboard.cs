using Diffusion.Research.Numerics;

namespace Diffusion.Research.Data;

/// <summary>
/// checkerboard (FFJORD): uniform on the 8 squares of side 2 of a 4 x 4 chessboard on [-4, 4]^2.
/// x_1 = 4 u_0 - 2, x_2 = u_1 - 2 b + (floor(x_1) mod 2) with b a fair bit, then both times 2.
/// </summary>
public sealed class Checkerboard : IDataSet, IToyPoint
{
    /// <inheritdoc />
    public int Dimension => 2;

    /// <summary>Particle i uses uniform draws 0, 1, 2 of stream 0.</summary>
    public void Sample(Batch destination, NoiseSource noise, long firstParticle) =>
        ToyDataSet.Sample(this, 3, 0, destination, noise, firstParticle);

    void IToyPoint.Map(ReadOnlySpan<double> u, ReadOnlySpan<double> g, Span<double> row)
    {
        var x1 = 4.0 * u[0] - 2.0;
        var bit = u[2] < 0.5 ? 0.0 : 1.0;
        var parity = Math.Floor(x1) - 2.0 * Math.Floor(Math.Floor(x1) / 2.0); // Python's floor(x1) % 2, in {0, 1}
        row[0] = 2.0 * x1;
        row[1] = 2.0 * (u[1] - 2.0 * bit + parity);
    }

    /// <summary>Registers checkerboard (<see cref="DataSetRegistry.CreateDefault"/>).</summary>
    internal static void Register(DataSetRegistry r) =>
        r.Register("checkerboard", "uniform on 8 squares of a 4 x 4 board on [-4, 4]^2", _ => new Checkerboard());
}
