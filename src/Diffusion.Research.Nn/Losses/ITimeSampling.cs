using Diffusion.Research.Numerics;

namespace Diffusion.Research.Nn.Losses;

/// <summary>
/// How training times are drawn (002 "The Choice of Time Weighting": π(t); Song, Durkan, Murray and Ermon 2021). A sampler
/// either defines the
/// objective (uniform, log-normal, discrete levels: <see cref="Correction"/> = 1) or is an importance
/// sampler of the uniform-time objective (its correction is p_uniform(t)/π(t), so the expected loss is
/// unchanged and only the variance moves).
/// </summary>
public interface ITimeSampling
{
    /// <summary>Registry name.</summary>
    string Name { get; }

    /// <summary>The time of one particle: a pure function of (noise, stream, particle).</summary>
    double Sample(NoiseSource noise, uint stream, long particle);

    /// <summary>The factor multiplied into λ(t) for a time drawn from this sampler.</summary>
    double Correction(double t);
}
