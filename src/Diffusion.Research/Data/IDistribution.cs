using Diffusion.Research.Numerics;

namespace Diffusion.Research.Data;

/// <summary>A distribution with an exact log-density and score grad_x log p(x).</summary>
public interface IDistribution : IDataSet
{
    /// <summary>Writes log p(x_i) into <paramref name="destination"/>[i].</summary>
    void LogDensity(Batch x, Span<double> destination);

    /// <summary>Writes grad_x log p(x_i) into row i of <paramref name="destination"/>.</summary>
    void Score(Batch x, Batch destination);
}
