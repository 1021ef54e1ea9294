using Diffusion.Research.Data;
using Diffusion.Research.Kernels;
using Diffusion.Research.Nn.Autodiff;
using Diffusion.Research.Nn.Losses;
using Diffusion.Research.Nn.Models;
using Diffusion.Research.Numerics;
using Diffusion.Research.Scores;
using Diffusion.Research.Sde;

namespace Diffusion.Research.Nn.Training;

/// <summary>
/// One training run in progress: the model, loss, weighting, t-sampling, optimiser, EMA and the buffers
/// reused by every step. <see cref="Step"/> performs one optimiser step: draw x₀ (data stream), t (time
/// stream) and ε/probes (loss stream) as pure functions of (seed, step, particle), build the loss on a
/// recycled tape, back-propagate, clip, update, average. Reductions have a fixed order, so the weights are
/// bit-identical for any <see cref="TrainingOptions.Threads"/>.
/// </summary>
public sealed class TrainingSession
{
    private readonly IDataSet _data;
    private readonly IKernel _kernel;
    private readonly IScoreLoss _loss;
    private readonly ILossWeighting _weighting;
    private readonly ITimeSampling _sampling;
    private readonly IOptimizer _optimizer;
    private readonly ExponentialMovingAverage? _ema;
    private readonly LearningRateSchedule _schedule;
    private readonly IScoreModel? _exactScore;
    private readonly NoiseSource _dataNoise;
    private readonly NoiseSource _timeNoise;
    private readonly NoiseSource _lossNoise;
    private readonly Batch _x0;
    private readonly double[] _times;
    private readonly double[] _weights;
    private readonly Tape _tape;
    private readonly Tensor[] _leaves;
    private readonly Tensor[] _gradients;
    private readonly List<double> _history;

    /// <summary>
    /// Checks <paramref name="options"/> against <paramref name="sde"/> without training: the options' own ranges, then the
    /// loss, weighting and t-sampling built as training builds them (a training time beyond the SDE's horizon, an empty
    /// [t_eps, T], …), then what the combination needs. Errors are <see cref="ArgumentException"/>s naming the option as
    /// <c>train.KEY</c> where it is one (for an experiment file's <c>model.train.KEY</c>).
    /// </summary>
    public static void Check(TrainingOptions options, ISde sde, TrainingRegistries? registries = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(sde);
        Components(options, sde, registries ?? TrainingRegistries.CreateDefault());
    }

    private static (IKernel Kernel, IScoreLoss Loss, ILossWeighting Weighting, ITimeSampling Sampling) Components(TrainingOptions options, ISde sde,
        TrainingRegistries registries)
    {
        options.Validate();
        var kernel = sde.Kernel ?? throw new ArgumentException("Training needs an SDE with a closed-form perturbation kernel (Kernel is null).", nameof(sde));
        var context = new TrainingContext(options, sde, kernel);
        var loss = registries.Losses.Create(options.Loss, context);
        var weighting = registries.Weightings.Create(options.Weighting, context);
        var sampling = registries.TimeSamplings.Create(options.TimeSampling, context);
        // At a fixed time with sigma = 0 (t = 0 for every SDE here) only score matching on the data itself is defined (the
        // FixedTimeSampling case "score matching on the data at t = 0"): the denoising losses divide by sigma, and any output
        // other than the score converts to it through sigma (PredictionConversion).
        if (sampling is FixedTimeSampling fixedTime && kernel.Sigma(fixedTime.Time) == 0
            && (loss is DenoisingScoreMatchingLoss || options.Model.Output != Prediction.Score))
            throw new ArgumentException(
                $"fixed_t = {fixedTime.Time.ToString(System.Globalization.CultureInfo.InvariantCulture)} has sigma = 0, where only score matching on the data is defined: a model with output score trained by esm, ism or ssm (got output {NeuralModelSettings.OutputName(options.Model.Output)}, loss {options.Loss}).",
                "train.fixed_t");
        return (kernel, loss, weighting, sampling);
    }

    /// <summary>Builds everything <paramref name="options"/> names (validated first) for <paramref name="data"/> under <paramref name="sde"/>.</summary>
    public TrainingSession(TrainingOptions options, IDataSet data, ISde sde, IScoreModel? exactScore = null, TrainingRegistries? registries = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(sde);
        registries ??= TrainingRegistries.CreateDefault();
        (_kernel, _loss, _weighting, _sampling) = Components(options, sde, registries);
        if (_loss is ExplicitScoreMatchingLoss && exactScore is null)
            throw new ArgumentException("The esm loss needs the exact score of p_t (exactScore).", nameof(exactScore));
        Options = options;
        _data = data;
        _exactScore = exactScore;
        Model = NeuralScoreModels.Create(options.Model, data.Dimension, _kernel);
        var parameters = Model.Parameters;
        _optimizer = registries.Optimizers.Build(options.Optimizer, new OptimizerContext(options, parameters));
        _ema = options.EmaDecay > 0 ? new ExponentialMovingAverage(parameters, options.EmaDecay) : null;
        _schedule = new LearningRateSchedule(options.LearningRate, options.WarmupSteps, options.Steps, options.CosineDecay, options.MinLearningRate);
        var root = new NoiseSource(options.Seed);
        _dataNoise = root.Derive(1);
        _timeNoise = root.Derive(2);
        _lossNoise = root.Derive(3);
        _x0 = new Batch(options.BatchSize, data.Dimension);
        _times = new double[options.BatchSize];
        _weights = new double[options.BatchSize];
        _tape = new Tape(options.Threads);
        _leaves = new Tensor[parameters.Count];
        _gradients = new Tensor[parameters.Count];
        _history = new List<double>(options.Steps);
    }

    /// <summary>The options.</summary>
    public TrainingOptions Options { get; }

    /// <summary>The model being trained (raw weights; see <see cref="ApplyAverage"/>).</summary>
    public INeuralScoreModel Model { get; }

    /// <summary>Steps completed.</summary>
    public int Completed => _history.Count;

    /// <summary>Loss of every completed step.</summary>
    public IReadOnlyList<double> LossHistory => _history;

    /// <summary>Learning rate of the last step.</summary>
    public double LearningRate { get; private set; }

    /// <summary>Gradient norm (before clipping) of the last step.</summary>
    public double GradientNorm { get; private set; }

    /// <summary>
    /// One optimiser step; returns its loss. A non-finite loss leaves the weights untouched and is returned
    /// (the caller decides to stop).
    /// </summary>
    public double Step()
    {
        var step = _history.Count;
        var batchSize = Options.BatchSize;
        long first = (long)step * batchSize;
        _data.Sample(_x0, _dataNoise, first);
        for (var i = 0; i < batchSize; i++)
        {
            var t = _sampling.Sample(_timeNoise, 0, first + i);
            _times[i] = t;
            _weights[i] = _weighting.Weight(t) * _sampling.Correction(t);
        }
        var batch = new LossBatch(_x0, _times, _weights, _kernel, _lossNoise, (uint)step, first) { ExactScore = _exactScore };

        _tape.Reset();
        var value = _loss.Loss(_tape, Model, batch);
        var lossValue = value.Scalar;
        if (!double.IsFinite(lossValue)) return lossValue;
        var parameters = Model.Parameters;
        for (var p = 0; p < parameters.Count; p++) _leaves[p] = _tape.Parameter(parameters[p]);
        _tape.Gradients(value, null, _leaves, _gradients);
        for (var p = 0; p < parameters.Count; p++) _gradients[p].Values.CopyTo(parameters[p].Gradient);
        _tape.Reset();

        GradientNorm = GradientClipping.ClipByGlobalNorm(parameters, Options.ClipNorm > 0 ? Options.ClipNorm : double.PositiveInfinity);
        LearningRate = _schedule.Rate(step);
        _optimizer.Step(parameters, LearningRate);
        _ema?.Update(parameters);
        _history.Add(lossValue);
        return lossValue;
    }

    /// <summary>The complete state (copies) as a checkpoint.</summary>
    public Checkpoint ToCheckpoint() => new()
    {
        Options = Options,
        Step = _history.Count,
        Parameters = Model.Parameters.Select(p => (double[])p.Values.Clone()).ToArray(),
        OptimizerName = _optimizer.Name,
        OptimizerSteps = _optimizer.Steps,
        OptimizerState = _optimizer.State.Select(s => (double[])s.Clone()).ToArray(),
        Ema = _ema?.Shadow.Select(s => (double[])s.Clone()).ToArray() ?? [],
        LossHistory = _history.ToArray(),
    };

    /// <summary>Continues from <paramref name="checkpoint"/>, whose options must equal these up to <see cref="TrainingOptions.Steps"/>.</summary>
    public void Restore(Checkpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        if (checkpoint.Options with { Steps = Options.Steps } != Options)
            throw new ArgumentException("The checkpoint was made with different options (only Steps may change when resuming).", nameof(checkpoint));
        if (checkpoint.Step > Options.Steps) throw new ArgumentException($"The checkpoint is at step {checkpoint.Step}, beyond Steps = {Options.Steps}.", nameof(checkpoint));
        if (checkpoint.LossHistory.Count != checkpoint.Step) throw new ArgumentException("The checkpoint's loss history does not match its step.", nameof(checkpoint));
        NeuralScoreModels.Load(Model, checkpoint.Parameters);
        _optimizer.Restore(checkpoint.OptimizerSteps, checkpoint.OptimizerState);
        _ema?.Restore(checkpoint.Ema);
        _history.Clear();
        _history.AddRange(checkpoint.LossHistory);
    }

    /// <summary>Replaces the model's weights by their EMA (no-op without EMA).</summary>
    public void ApplyAverage() => _ema?.CopyTo(Model.Parameters);
}
