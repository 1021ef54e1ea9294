using Diffusion.Research.Numerics;

namespace Diffusion.Research.Data;

/// <summary>Argument checks shared by the 2-D toy generators.</summary>
internal static class ToyDataSet
{
    /// <summary>Throws unless <paramref name="destination"/> is 2-D and <paramref name="firstParticle"/> is not negative.</summary>
    public static void Require(Batch destination, long firstParticle)
    {
        if (destination.Dimension != 2)
            throw new ArgumentException($"Toy data sets are 2-D; the destination has dimension {destination.Dimension}.", nameof(destination));
        ArgumentOutOfRangeException.ThrowIfNegative(firstParticle);
    }
}
