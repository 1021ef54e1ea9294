using Diffusion.Research.Data;
using Diffusion.Research.Kernels;
using Diffusion.Research.Nn.Models;
using Diffusion.Research.Scores;
using Diffusion.Research.Sde;

namespace Diffusion.Research.Nn.Training;

/// <summary>
/// The training entry point: runs a <see cref="TrainingSession"/> for <see cref="TrainingOptions.Steps"/>
/// steps, reporting progress, and returns the trained score model (EMA weights when EMA is on), the loss
/// history and the final checkpoint.
/// </summary>
public sealed class ScoreModelTrainer
{
    /// <summary>A trainer resolving names in <paramref name="registries"/> (the built-in ones when null).</summary>
    public ScoreModelTrainer(TrainingRegistries? registries = null) => Registries = registries ?? TrainingRegistries.CreateDefault();

    /// <summary>The registries.</summary>
    public TrainingRegistries Registries { get; }

    /// <summary>Trains with the built-in registries.</summary>
    public static TrainingResult Train(TrainingOptions options, IDataSet data, ISde sde, IProgress<TrainingProgress>? progress = null) =>
        new ScoreModelTrainer().Run(options, data, sde, progress);

    /// <summary>
    /// Trains a model on <paramref name="data"/> under <paramref name="sde"/>'s kernel. <paramref name="exactScore"/>
    /// (∇ log p_t) is needed by explicit score matching only. <paramref name="resume"/> continues a checkpoint
    /// bit-exactly (its options must equal <paramref name="options"/> up to <see cref="TrainingOptions.Steps"/>).
    /// A non-finite loss stops the run; the result says so (<see cref="TrainingResult.Diverged"/>).
    /// </summary>
    public TrainingResult Run(TrainingOptions options, IDataSet data, ISde sde, IProgress<TrainingProgress>? progress = null,
        IScoreModel? exactScore = null, Checkpoint? resume = null)
    {
        var session = new TrainingSession(options, data, sde, exactScore, Registries);
        if (resume is not null) session.Restore(resume);
        var interval = options.ProgressInterval > 0 ? options.ProgressInterval : Math.Max(1, options.Steps / 100);
        var diverged = false;
        var message = "completed";
        while (session.Completed < options.Steps)
        {
            var loss = session.Step();
            if (!double.IsFinite(loss))
            {
                diverged = true;
                message = $"loss is {loss} at step {session.Completed + 1}; stopped";
                break;
            }
            var step = session.Completed;
            if (progress is not null && (step % interval == 0 || step == options.Steps))
                progress.Report(new TrainingProgress(step, options.Steps, loss, session.LearningRate, session.GradientNorm));
        }
        var checkpoint = session.ToCheckpoint();
        session.ApplyAverage();
        return new TrainingResult(session.Model, checkpoint.LossHistory, checkpoint, diverged, message);
    }

    /// <summary>The model a checkpoint describes, with its EMA weights when it has them (else its raw weights).</summary>
    public static INeuralScoreModel ModelFrom(Checkpoint checkpoint, int dimension, IKernel? kernel)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var model = NeuralScoreModels.Create(checkpoint.Options.Model, dimension, kernel);
        NeuralScoreModels.Load(model, checkpoint.Ema.Count > 0 ? checkpoint.Ema : checkpoint.Parameters);
        return model;
    }
}
