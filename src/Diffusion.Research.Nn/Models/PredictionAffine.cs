using Diffusion.Research.Scores;

namespace Diffusion.Research.Nn.Models;

/// <summary>
/// The per-time affine maps between a prediction and the score, s = A x + B o, that the tape needs
/// per particle (each row has its own t). Values come from the one conversion implementation of the
/// core (see <see cref="ScoreSlope"/>); this type only arranges them per row.
/// </summary>
internal static class PredictionAffine
{
    /// <summary>A in s = A x + B o for prediction <paramref name="p"/> at (α, σ).</summary>
    public static double ScoreSlope(Prediction p, double alpha, double sigma) => p switch
    {
        // x = α x₀ + σ ε (003 Lemma 4.4.1); s = −ε/σ (000 "DSM" target −(x − α x₀)/σ²).
        Prediction.Score => 0.0,
        Prediction.Epsilon => 0.0,
        Prediction.Data => -1.0 / (sigma * sigma),
        Prediction.Velocity => -1.0 / (alpha * alpha + sigma * sigma),
        _ => throw new ArgumentOutOfRangeException(nameof(p), p, "Unknown prediction."),
    };

    /// <summary>B in s = A x + B o.</summary>
    public static double ScoreGain(Prediction p, double alpha, double sigma) => p switch
    {
        Prediction.Score => 1.0,
        Prediction.Epsilon => -1.0 / sigma,
        Prediction.Data => alpha / (sigma * sigma),
        Prediction.Velocity => -alpha / (sigma * (alpha * alpha + sigma * sigma)),
        _ => throw new ArgumentOutOfRangeException(nameof(p), p, "Unknown prediction."),
    };
}
