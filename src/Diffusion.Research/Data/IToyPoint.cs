namespace Diffusion.Research.Data;

/// <summary>The per-particle map of a 2-D toy generator: one point from its uniform and Gaussian draws
/// (see <see cref="ToyDataSet.Sample"/> for the streams they come from).</summary>
internal interface IToyPoint
{
    /// <summary>Writes the point of the draws <paramref name="uniforms"/> and <paramref name="gaussians"/> into <paramref name="point"/>.</summary>
    void Map(ReadOnlySpan<double> uniforms, ReadOnlySpan<double> gaussians, Span<double> point);
}
