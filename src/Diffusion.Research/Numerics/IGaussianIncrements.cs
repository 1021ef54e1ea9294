namespace Diffusion.Research.Numerics;

/// <summary>
/// Where a stochastic solver takes its standard normals from: row i of a request gets the draws 0..D−1 of
/// particle <c>firstParticle + i</c> in stream <c>stream</c>. <see cref="NoiseSource"/> (Philox, the default) is one;
/// a source that returns chosen increments (for example unit impulses, <see cref="Exact.UnitImpulses"/>) replays a
/// solver with them, which is how <see cref="Exact.AffineResponse"/> reads off the noise part of a linear solve.
/// Solvers see it through <see cref="Sampling.SolveOptions.Increments"/>; when that is null they call the
/// <see cref="NoiseSource"/> directly, so the default path is unchanged.
/// </summary>
public interface IGaussianIncrements
{
    /// <summary>Fills every row of <paramref name="destination"/> (row i: particle <paramref name="firstParticle"/> + i).</summary>
    void FillGaussian(uint stream, long firstParticle, Batch destination);
}
