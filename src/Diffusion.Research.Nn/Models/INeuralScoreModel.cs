using Diffusion.Research.Nn.Autodiff;
using Diffusion.Research.Scores;

namespace Diffusion.Research.Nn.Models;

/// <summary>
/// A trainable score model: the tape path (per-row times, any derivative order) for losses and
/// divergences, and the <see cref="IScoreModel"/> inference path for solvers.
/// </summary>
public interface INeuralScoreModel : IScoreModel
{
    /// <summary>Dimension D of x.</summary>
    int Dimension { get; }

    /// <summary>The architecture.</summary>
    ModelOptions Options { get; }

    /// <summary>All trainable parameters in a fixed order.</summary>
    IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>What <see cref="Predict"/> returns (an energy model predicts the score).</summary>
    Prediction Output { get; }

    /// <summary>The raw prediction for rows of <paramref name="x"/> (N x D) at per-row <paramref name="times"/> (N x 1).</summary>
    Tensor Predict(Tape tape, Tensor x, Tensor times);

    /// <summary>The score s(x, t) for rows of <paramref name="x"/> at per-row <paramref name="times"/> (N x 1).</summary>
    Tensor Score(Tape tape, Tensor x, Tensor times);
}
