using Diffusion.Research.Numerics;

namespace Diffusion.Research.Scores;

/// <summary>
/// A model that predicts one of score, ε, x_0 or v (see <see cref="Prediction"/>) at (x_t, t); wrap it in a
/// <see cref="ParametrisedScoreModel"/> to use it as a score. Same threading and allocation rules as <see cref="IScoreModel"/>.
/// </summary>
public interface IPredictionModel
{
    /// <summary>Writes the prediction for every particle of <paramref name="x"/> into <paramref name="destination"/> (same shape).</summary>
    void Predict(double t, Batch x, Batch destination);
}
