using Diffusion.Research.Numerics;

namespace Diffusion.Research.Data;

/// <summary>The sampling loop and argument checks shared by the 2-D toy generators.</summary>
internal static class ToyDataSet
{
    /// <summary>Throws unless <paramref name="destination"/> is 2-D and <paramref name="firstParticle"/> is not negative.</summary>
    public static void Require(Batch destination, long firstParticle)
    {
        if (destination.Dimension != 2)
            throw new ArgumentException($"Toy data sets are 2-D; the destination has dimension {destination.Dimension}.", nameof(destination));
        ArgumentOutOfRangeException.ThrowIfNegative(firstParticle);
    }

    /// <summary>
    /// The sampling loop of every 2-D toy set: row i is <paramref name="generator"/>'s point of particle
    /// <c>firstParticle + i</c> from its uniform draws 0..<paramref name="uniforms"/>-1 of stream 0 and Gaussian draws
    /// 0..<paramref name="gaussians"/>-1 of stream 1, so a row depends on its particle index only.
    /// </summary>
    public static void Sample(IToyPoint generator, int uniforms, int gaussians, Batch destination, NoiseSource noise, long firstParticle)
    {
        Require(destination, firstParticle);
        Span<double> u = stackalloc double[uniforms];
        Span<double> g = stackalloc double[gaussians];
        for (var i = 0; i < destination.Count; i++)
        {
            var particle = firstParticle + i;
            noise.FillUniform(0, particle, u);
            noise.FillGaussian(1, particle, g);
            generator.Map(u, g, destination.Row(i));
        }
    }

    /// <summary>Returns <paramref name="noise"/>, the standard deviation of a toy set's Gaussian noise, unless it is
    /// negative or not finite.</summary>
    public static double RequireNoise(double noise) =>
        double.IsFinite(noise) && noise >= 0
            ? noise
            : throw new ArgumentOutOfRangeException(nameof(noise), noise, "noise must be finite and non-negative.");
}
