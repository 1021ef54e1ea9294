using Diffusion.Research.Data;
using Diffusion.Research.Nn.Autodiff;
using Diffusion.Research.Nn.Losses;
using Diffusion.Research.Nn.Models;
using Diffusion.Research.Numerics;
using Diffusion.Research.Scores;
using Diffusion.Research.Sde;

namespace Diffusion.Research.Nn.Training;

/// <summary>
/// The training entry point: builds the model, loss, weighting, t-sampling and optimiser named by a
/// <see cref="TrainingOptions"/>, runs the steps and returns the trained score model. Each step draws
/// x₀ (data stream), t (time stream) and ε/probes (loss stream) as pure functions of (seed, step,
/// particle), and every reduction has a fixed order, so the weights are bit-identical for any
/// <see cref="TrainingOptions.Threads"/>.
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
    /// </summary>
    public TrainingResult Run(TrainingOptions options, IDataSet data, ISde sde, IProgress<TrainingProgress>? progress = null,
        IScoreModel? exactScore = null, Checkpoint? resume = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(sde);
        options.Validate();
        var kernel = sde.Kernel ?? throw new ArgumentException("Training needs an SDE with a closed-form perturbation kernel (Kernel is null).", nameof(sde));
        var context = new TrainingContext(options, sde, kernel);
        var loss = Registries.Losses.Create(options.Loss, context);
        var weighting = Registries.Weightings.Create(options.Weighting, context);
        var sampling = Registries.TimeSamplings.Create(options.TimeSampling, context);
        if (loss is ExplicitScoreMatchingLoss && exactScore is null)
            throw new ArgumentException("The esm loss needs the exact score of p_t (exactScore).", nameof(exactScore));

        var dimension = data.Dimension;
        var model = NeuralScoreModels.Create(options.Model, dimension, kernel);
        var parameters = model.Parameters;
        var optimizer = CreateOptimizer(options, parameters);
        var ema = options.EmaDecay > 0 ? new ExponentialMovingAverage(parameters, options.EmaDecay) : null;
        var schedule = new LearningRateSchedule(options.LearningRate, options.WarmupSteps, options.Steps, options.CosineDecay, options.MinLearningRate);
        var history = new List<double>(options.Steps);
        var start = 0;
        if (resume is not null)
        {
            if (resume.Options with { Steps = options.Steps } != options)
                throw new ArgumentException("The checkpoint was made with different options (only Steps may change when resuming).", nameof(resume));
            if (resume.Step > options.Steps) throw new ArgumentException($"The checkpoint is at step {resume.Step}, beyond Steps = {options.Steps}.", nameof(resume));
            NeuralScoreModels.Load(model, resume.Parameters);
            optimizer.Restore(resume.OptimizerSteps, resume.OptimizerState);
            if (ema is not null) ema.Restore(resume.Ema);
            history.AddRange(resume.LossHistory);
            start = resume.Step;
        }

        var root = new NoiseSource(options.Seed);
        var dataNoise = root.Derive(1);
        var timeNoise = root.Derive(2);
        var lossNoise = root.Derive(3);
        var batchSize = options.BatchSize;
        var x0 = new Batch(batchSize, dimension);
        var times = new double[batchSize];
        var weights = new double[batchSize];
        var tape = new Tape(options.Threads);
        var leaves = new Tensor[parameters.Count];
        var gradients = new Tensor[parameters.Count];
        var interval = options.ProgressInterval > 0 ? options.ProgressInterval : Math.Max(1, options.Steps / 100);
        var diverged = false;
        var message = "completed";

        for (var step = start; step < options.Steps; step++)
        {
            long first = (long)step * batchSize;
            data.Sample(x0, dataNoise, first);
            for (var i = 0; i < batchSize; i++)
            {
                var t = sampling.Sample(timeNoise, 0, first + i);
                times[i] = t;
                weights[i] = weighting.Weight(t) * sampling.Correction(t);
            }
            var batch = new LossBatch(x0, times, weights, kernel, lossNoise, (uint)step, first) { ExactScore = exactScore };

            tape.Reset();
            var value = loss.Loss(tape, model, batch);
            var lossValue = value.Scalar;
            if (!double.IsFinite(lossValue))
            {
                diverged = true;
                message = $"loss is {lossValue} at step {step + 1}; stopped";
                break;
            }
            for (var p = 0; p < parameters.Count; p++) leaves[p] = tape.Parameter(parameters[p]);
            tape.Gradients(value, null, leaves, gradients);
            for (var p = 0; p < parameters.Count; p++) gradients[p].Values.CopyTo(parameters[p].Gradient);

            var norm = GradientClipping.ClipByGlobalNorm(parameters, options.ClipNorm > 0 ? options.ClipNorm : double.PositiveInfinity);
            var rate = schedule.Rate(step);
            optimizer.Step(parameters, rate);
            ema?.Update(parameters);
            history.Add(lossValue);
            if (progress is not null && ((step + 1) % interval == 0 || step + 1 == options.Steps))
                progress.Report(new TrainingProgress(step + 1, options.Steps, lossValue, rate, norm));
        }

        var checkpoint = new Checkpoint
        {
            Options = options,
            Step = history.Count,
            Parameters = parameters.Select(p => (double[])p.Values.Clone()).ToArray(),
            OptimizerName = optimizer.Name,
            OptimizerSteps = optimizer.Steps,
            OptimizerState = optimizer.State.Select(s => (double[])s.Clone()).ToArray(),
            Ema = ema?.Shadow.Select(s => (double[])s.Clone()).ToArray() ?? [],
            LossHistory = history.ToArray(),
        };
        if (ema is not null) ema.CopyTo(parameters);
        return new TrainingResult(model, checkpoint.LossHistory, checkpoint, diverged, message);
    }

    /// <summary>The model a checkpoint describes, with its EMA weights when it has them (else its raw weights).</summary>
    public static INeuralScoreModel ModelFrom(Checkpoint checkpoint, int dimension, Kernels.IKernel? kernel)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var model = NeuralScoreModels.Create(checkpoint.Options.Model, dimension, kernel);
        NeuralScoreModels.Load(model, checkpoint.Ema.Count > 0 ? checkpoint.Ema : checkpoint.Parameters);
        return model;
    }

    private static IOptimizer CreateOptimizer(TrainingOptions o, IReadOnlyList<Parameter> parameters) => o.Optimizer.ToLowerInvariant() switch
    {
        "adam" => new Adam(parameters, o.Beta1, o.Beta2, 1e-8, o.WeightDecay, decoupled: false),
        "adamw" => new Adam(parameters, o.Beta1, o.Beta2, 1e-8, o.WeightDecay, decoupled: true),
        "sgd" => new Sgd(parameters, o.Momentum, o.WeightDecay),
        _ => throw new ArgumentException($"Unknown optimizer '{o.Optimizer}'. Known: adam, adamw, sgd.", nameof(o)),
    };
}
