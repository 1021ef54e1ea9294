using Diffusion.Research.Nn.Autodiff;
using Diffusion.Research.Nn.Models;

namespace Diffusion.Research.Nn.Losses;

/// <summary>
/// A score-matching objective: the weighted mean (1/N) Σᵢ wᵢ ℓᵢ of a per-particle loss, as a 1 x 1
/// tensor on the tape (differentiable in the model's parameters).
/// </summary>
public interface IScoreLoss
{
    /// <summary>Registry name.</summary>
    string Name { get; }

    /// <summary>The loss on the tape.</summary>
    Tensor Loss(Tape tape, INeuralScoreModel model, LossBatch batch);
}
