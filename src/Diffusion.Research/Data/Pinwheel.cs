using Diffusion.Research.Numerics;

namespace Diffusion.Research.Data;

/// <summary>
/// pinwheel (FFJORD): 5 arms. For arm k (probability 1/5) draw f = (1 + 0.3 g_0, 0.1 g_1), turn it by
/// -(2 pi k / 5 + 0.25 exp(f_0)) and scale by 2: x = 2 (f_0 cos a + f_1 sin a, -f_0 sin a + f_1 cos a).
/// </summary>
public sealed class Pinwheel : IDataSet, IToyPoint
{
    private const double RadialStd = 0.3;
    private const double TangentialStd = 0.1;
    private const int Arms = 5;
    private const double Rate = 0.25;

    /// <inheritdoc />
    public int Dimension => 2;

    /// <summary>Particle i: arm from uniform draw 0 of stream 0; f from Gaussian draws 0, 1 of stream 1.</summary>
    public void Sample(Batch destination, NoiseSource noise, long firstParticle) =>
        ToyDataSet.Sample(this, 1, 2, destination, noise, firstParticle);

    void IToyPoint.Map(ReadOnlySpan<double> u, ReadOnlySpan<double> g, Span<double> row)
    {
        var arm = Math.Min(Arms - 1, (int)(Arms * u[0]));
        var f0 = 1.0 + RadialStd * g[0];
        var f1 = TangentialStd * g[1];
        var angle = 2.0 * Math.PI * arm / Arms + Rate * Math.Exp(f0);
        var (s, c) = Math.SinCos(angle);
        row[0] = 2.0 * (f0 * c + f1 * s);
        row[1] = 2.0 * (-f0 * s + f1 * c);
    }

    /// <summary>Registers pinwheel (<see cref="DataSetRegistry.CreateDefault"/>).</summary>
    internal static void Register(DataSetRegistry r) =>
        r.Register("pinwheel", "5 spiral arms (radial std 0.3, tangential std 0.1, rate 0.25)", _ => new Pinwheel());
}
