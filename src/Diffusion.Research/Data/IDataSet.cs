using Diffusion.Research.Numerics;

namespace Diffusion.Research.Data;

/// <summary>A data distribution we can draw from (toy sets need not have a density).</summary>
public interface IDataSet
{
    /// <summary>Dimension of a sample.</summary>
    int Dimension { get; }

    /// <summary>Row i of <paramref name="destination"/> gets sample number <c>firstParticle + i</c> of the stream
    /// determined by <paramref name="noise"/>: the same index gives the same sample whatever the batch.</summary>
    void Sample(Batch destination, NoiseSource noise, long firstParticle);
}
