using Diffusion.Research.Nn.Autodiff;
using Diffusion.Research.Numerics;

namespace Diffusion.Research.Nn.Losses;

/// <summary>Draws Hutchinson probes u with E[u] = 0, E[u uᵀ] = I (003 "Hutchinson identity"; Song, Garg, Shi and Ermon 2019;
/// Hutchinson 1989).</summary>
public static class HutchinsonProbes
{
    /// <summary>Fills <paramref name="destination"/> (row i = particle firstParticle + i) with probes.</summary>
    public static void Fill(ProbeKind kind, NoiseSource noise, uint stream, long firstParticle, Batch destination)
    {
        switch (kind)
        {
            case ProbeKind.Gaussian:
                noise.FillGaussian(stream, firstParticle, destination);
                break;
            case ProbeKind.Rademacher:
                for (var i = 0; i < destination.Count; i++)
                {
                    var row = destination.Row(i);
                    noise.FillUniform(stream, firstParticle + i, row);
                    for (var j = 0; j < row.Length; j++) row[j] = row[j] < 0.5 ? -1.0 : 1.0;
                }
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown probe kind.");
        }
    }

    /// <summary>A constant N x D tensor of probes.</summary>
    public static Tensor Draw(Tape tape, ProbeKind kind, NoiseSource noise, uint stream, long firstParticle, int rows, int columns)
    {
        ArgumentNullException.ThrowIfNull(tape);
        var u = tape.Constant(rows, columns);
        Fill(kind, noise, stream, firstParticle, u.AsBatch());
        return u;
    }
}
