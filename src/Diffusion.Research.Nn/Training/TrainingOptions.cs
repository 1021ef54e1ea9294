using Diffusion.Research.Nn.Losses;
using Diffusion.Research.Nn.Models;

namespace Diffusion.Research.Nn.Training;

/// <summary>
/// Everything that determines a training run (saved in checkpoints). Names of the loss, weighting and
/// t-sampling are looked up in <see cref="TrainingRegistries"/>. Build with <c>new TrainingOptions()</c>
/// and the <c>With...</c> methods.
/// </summary>
public sealed record TrainingOptions
{
    /// <summary>The network.</summary>
    public ModelOptions Model { get; init; } = new();

    /// <summary>Loss name (esm, ism, ssm, dsm, eps, x0, v).</summary>
    public string Loss { get; init; } = "dsm";

    /// <summary>Weighting name (uniform, sigma2, likelihood, snr, min-snr).</summary>
    public string Weighting { get; init; } = "sigma2";

    /// <summary>t-sampling name (uniform, importance, lognormal, fixed, ncsn).</summary>
    public string TimeSampling { get; init; } = "uniform";

    /// <summary>Optimiser name (adam, adamw, sgd).</summary>
    public string Optimizer { get; init; } = "adam";

    /// <summary>Number of optimiser steps.</summary>
    public int Steps { get; init; } = 2000;

    /// <summary>Particles per step.</summary>
    public int BatchSize { get; init; } = 256;

    /// <summary>Peak learning rate.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Final learning rate of the cosine decay.</summary>
    public double MinLearningRate { get; init; }

    /// <summary>Linear warm-up steps.</summary>
    public int WarmupSteps { get; init; }

    /// <summary>Cosine decay after warm-up.</summary>
    public bool CosineDecay { get; init; }

    /// <summary>Adam β₁.</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>Adam β₂.</summary>
    public double Beta2 { get; init; } = 0.999;

    /// <summary>Weight decay (decoupled for adamw, L2 otherwise).</summary>
    public double WeightDecay { get; init; }

    /// <summary>SGD momentum.</summary>
    public double Momentum { get; init; } = 0.9;

    /// <summary>Global gradient-norm clip (0 = off).</summary>
    public double ClipNorm { get; init; }

    /// <summary>EMA decay of the weights (0 = off); the returned model carries the averaged weights.</summary>
    public double EmaDecay { get; init; }

    /// <summary>Seed of data, times, noise and probes.</summary>
    public ulong Seed { get; init; }

    /// <summary>Worker threads of the matrix products (results do not depend on it).</summary>
    public int Threads { get; init; } = 1;

    /// <summary>t_ε: the smallest training time (002 time cut-off η; Song, Durkan, Murray and Ermon 2021).</summary>
    public double TimeEpsilon { get; init; } = 1e-3;

    /// <summary>The time of the "fixed" t-sampling.</summary>
    public double FixedTime { get; init; } = 0.1;

    /// <summary>Hutchinson probes K of sliced score matching.</summary>
    public int Probes { get; init; } = 1;

    /// <summary>Probe distribution of sliced score matching.</summary>
    public ProbeKind ProbeKind { get; init; } = ProbeKind.Rademacher;

    /// <summary>Sliced score matching with ½‖s‖² in place of ½(uᵀs)².</summary>
    public bool VarianceReduced { get; init; }

    /// <summary>γ of min-SNR weighting.</summary>
    public double MinSnrGamma { get; init; } = 5.0;

    /// <summary>Number L of NCSN noise levels.</summary>
    public int NoiseLevels { get; init; } = 10;

    /// <summary>Smallest NCSN σ (0 = σ at t_ε).</summary>
    public double SigmaMin { get; init; }

    /// <summary>Largest NCSN σ (0 = σ at T).</summary>
    public double SigmaMax { get; init; }

    /// <summary>EDM log-normal P_mean.</summary>
    public double LogNormalMean { get; init; } = -1.2;

    /// <summary>EDM log-normal P_std.</summary>
    public double LogNormalStd { get; init; } = 1.2;

    /// <summary>Steps between progress reports (0 = about 100 reports per run).</summary>
    public int ProgressInterval { get; init; }

    public TrainingOptions WithModel(ModelOptions model) => this with { Model = model };
    public TrainingOptions WithLoss(string loss) => this with { Loss = loss };
    public TrainingOptions WithWeighting(string weighting) => this with { Weighting = weighting };
    public TrainingOptions WithTimeSampling(string timeSampling) => this with { TimeSampling = timeSampling };
    public TrainingOptions WithOptimizer(string optimizer) => this with { Optimizer = optimizer };
    public TrainingOptions WithSteps(int steps) => this with { Steps = steps };
    public TrainingOptions WithBatchSize(int batchSize) => this with { BatchSize = batchSize };
    public TrainingOptions WithLearningRate(double learningRate) => this with { LearningRate = learningRate };
    public TrainingOptions WithSchedule(int warmupSteps, bool cosineDecay, double minLearningRate = 0) => this with { WarmupSteps = warmupSteps, CosineDecay = cosineDecay, MinLearningRate = minLearningRate };
    public TrainingOptions WithClipNorm(double clipNorm) => this with { ClipNorm = clipNorm };
    public TrainingOptions WithEmaDecay(double emaDecay) => this with { EmaDecay = emaDecay };
    public TrainingOptions WithSeed(ulong seed) => this with { Seed = seed };
    public TrainingOptions WithThreads(int threads) => this with { Threads = threads };
    public TrainingOptions WithTimeEpsilon(double timeEpsilon) => this with { TimeEpsilon = timeEpsilon };
    public TrainingOptions WithProbes(int probes, ProbeKind kind) => this with { Probes = probes, ProbeKind = kind };

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first unusable option (names are checked by the registries).</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Model, nameof(Model));
        Model.Validate();
        ArgumentException.ThrowIfNullOrWhiteSpace(Loss, nameof(Loss));
        ArgumentException.ThrowIfNullOrWhiteSpace(Weighting, nameof(Weighting));
        ArgumentException.ThrowIfNullOrWhiteSpace(TimeSampling, nameof(TimeSampling));
        ArgumentException.ThrowIfNullOrWhiteSpace(Optimizer, nameof(Optimizer));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Steps, nameof(Steps));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(BatchSize, nameof(BatchSize));
        new LearningRateSchedule(LearningRate, WarmupSteps, Steps, CosineDecay, MinLearningRate).Validate();
        if (!(Beta1 >= 0 && Beta1 < 1)) throw new ArgumentOutOfRangeException(nameof(Beta1), Beta1, "Need 0 <= β₁ < 1.");
        if (!(Beta2 >= 0 && Beta2 < 1)) throw new ArgumentOutOfRangeException(nameof(Beta2), Beta2, "Need 0 <= β₂ < 1.");
        if (!(WeightDecay >= 0) || !double.IsFinite(WeightDecay)) throw new ArgumentOutOfRangeException(nameof(WeightDecay), WeightDecay, "Must be >= 0.");
        if (!(Momentum >= 0 && Momentum < 1)) throw new ArgumentOutOfRangeException(nameof(Momentum), Momentum, "Need 0 <= momentum < 1.");
        if (!(ClipNorm >= 0) || !double.IsFinite(ClipNorm)) throw new ArgumentOutOfRangeException(nameof(ClipNorm), ClipNorm, "Must be >= 0 (0 = off).");
        if (!(EmaDecay >= 0 && EmaDecay < 1)) throw new ArgumentOutOfRangeException(nameof(EmaDecay), EmaDecay, "Need 0 <= decay < 1 (0 = off).");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Threads, nameof(Threads));
        if (!(TimeEpsilon >= 0) || !double.IsFinite(TimeEpsilon)) throw new ArgumentOutOfRangeException(nameof(TimeEpsilon), TimeEpsilon, "Must be finite and >= 0.");
        if (!(FixedTime >= 0) || !double.IsFinite(FixedTime)) throw new ArgumentOutOfRangeException(nameof(FixedTime), FixedTime, "Must be finite and >= 0.");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Probes, nameof(Probes));
        if (!Enum.IsDefined(ProbeKind)) throw new ArgumentOutOfRangeException(nameof(ProbeKind), ProbeKind, "Unknown probe kind.");
        Positive(MinSnrGamma, nameof(MinSnrGamma));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(NoiseLevels, nameof(NoiseLevels));
        if (!(SigmaMin >= 0) || !(SigmaMax >= 0)) throw new ArgumentOutOfRangeException(nameof(SigmaMin), "NCSN σ bounds must be >= 0 (0 = from the kernel).");
        if (!double.IsFinite(LogNormalMean)) throw new ArgumentOutOfRangeException(nameof(LogNormalMean), LogNormalMean, "Must be finite.");
        Positive(LogNormalStd, nameof(LogNormalStd));
        ArgumentOutOfRangeException.ThrowIfNegative(ProgressInterval, nameof(ProgressInterval));
    }

    private static void Positive(double value, string name)
    {
        if (!(value > 0) || !double.IsFinite(value)) throw new ArgumentOutOfRangeException(name, value, "Must be positive and finite.");
    }
}
