using Diffusion.Research.Nn.Models;

namespace Diffusion.Research.Nn.Training;

/// <summary>
/// The outcome of training: the model to sample with (EMA weights when EMA is on), the per-step loss
/// history, the checkpoint of the final state, and whether the loss stayed finite.
/// </summary>
public sealed record TrainingResult(INeuralScoreModel Model, IReadOnlyList<double> LossHistory, Checkpoint Checkpoint, bool Diverged, string Message);
