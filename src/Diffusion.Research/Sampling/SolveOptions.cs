using Diffusion.Research.Numerics;

namespace Diffusion.Research.Sampling;

/// <summary>
/// Options shared by all solvers. Construct with <c>new SolveOptions()</c> and adjust with the
/// <c>With...</c> methods (or C# <c>with</c>).
/// </summary>
public sealed record SolveOptions
{
    /// <summary>Noise for stochastic solvers; draws are keyed by (seed, step, particle, coordinate).</summary>
    public NoiseSource Noise { get; init; } = new(0);

    /// <summary>
    /// When set, stochastic solvers take their standard normals from this source instead of <see cref="Noise"/>
    /// (same stream and particle numbering): replays with chosen increments, such as the unit impulses of
    /// <see cref="Exact.AffineResponse"/>. Null (the default) leaves the Philox path untouched.
    /// </summary>
    public IGaussianIncrements? Increments { get; init; }

    /// <summary>Global index of row 0 of the batch, so that a batch solved in pieces sees the same noise.</summary>
    public long FirstParticle { get; init; }

    /// <summary>Worker threads (1 = sequential). Results do not depend on it.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Particles per parallel work item for solvers that treat particles independently.</summary>
    public int ChunkSize { get; init; } = 2048;

    /// <summary>Relative tolerance of adaptive solvers.</summary>
    public double RelativeTolerance { get; init; } = 1e-3;

    /// <summary>Absolute tolerance of adaptive solvers.</summary>
    public double AbsoluteTolerance { get; init; } = 1e-3;

    /// <summary>Step budget of adaptive solvers (accepted plus rejected).</summary>
    public int MaxSteps { get; init; } = 100_000;

    /// <summary>An adaptive step smaller than this (in |dt|) is a collapse.</summary>
    public double MinStepSize { get; init; } = 1e-12;

    /// <summary>
    /// The first step adaptive solvers attempt: <see cref="InitialStep.Automatic"/> (default; Hairer, Nørsett, Wanner I,
    /// §II.4), <see cref="InitialStep.FromGrid"/> (|t_1 − t_0|) or <see cref="InitialStep.Of"/>(dt0).
    /// </summary>
    public InitialStep InitialStep { get; init; } = InitialStep.Automatic;

    /// <summary>
    /// Called after every accepted step with the step count, the time reached and a view of the state (see
    /// <see cref="StepObservation"/>: a fixed-step solve calls it per chunk, possibly from several threads at once, so it
    /// must be thread-safe; adaptive and lock-step solves call it once per step with the whole batch). Null (the default):
    /// nothing is called and nothing is allocated. It must not change the state.
    /// </summary>
    public Action<StepObservation>? Observer { get; init; }

    /// <summary>Intermediate states saved into caller buffers (<see cref="Sampling.SaveAt"/>); null (the default) saves none.</summary>
    public SaveAt? SaveAt { get; init; }

    /// <summary>True when an <see cref="Observer"/> or a <see cref="SaveAt"/> is set (solvers skip the reporting otherwise).</summary>
    public bool IsObserved => Observer is not null || SaveAt is not null;

    /// <summary>Reports an accepted step to <see cref="SaveAt"/> and <see cref="Observer"/>; for solvers (a solver written outside this
    /// library calls it after each accepted step, and with steps = 0 at the start so that <see cref="SaveAt"/> can keep the initial state).</summary>
    public void Observe(int steps, double time, Batch state, int firstRow)
    {
        var observation = new StepObservation(steps, time, state, firstRow);
        SaveAt?.Record(observation);
        if (steps > 0) Observer?.Invoke(observation);
    }

    public SolveOptions WithNoise(NoiseSource noise) => this with { Noise = noise };
    public SolveOptions WithIncrements(IGaussianIncrements? increments) => this with { Increments = increments };
    public SolveOptions WithFirstParticle(long firstParticle) => this with { FirstParticle = firstParticle };
    public SolveOptions WithThreads(int threads) => this with { Threads = threads };
    public SolveOptions WithChunkSize(int chunkSize) => this with { ChunkSize = chunkSize };
    public SolveOptions WithTolerances(double relative, double absolute) => this with { RelativeTolerance = relative, AbsoluteTolerance = absolute };
    public SolveOptions WithMaxSteps(int maxSteps) => this with { MaxSteps = maxSteps };
    public SolveOptions WithObserver(Action<StepObservation>? observer) => this with { Observer = observer };
    public SolveOptions WithSaveAt(SaveAt? saveAt) => this with { SaveAt = saveAt };
    public SolveOptions WithInitialStep(InitialStep initialStep) => this with { InitialStep = initialStep };

    /// <summary>The standard normals of <paramref name="stream"/> for rows <paramref name="firstParticle"/>, ...: from
    /// <see cref="Increments"/> when set, else from <see cref="Noise"/>.</summary>
    public void FillGaussian(uint stream, long firstParticle, Batch destination)
    {
        if (Increments is null) Noise.FillGaussian(stream, firstParticle, destination);
        else Increments.FillGaussian(stream, firstParticle, destination);
    }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for values no solver can use.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Threads, nameof(Threads));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ChunkSize, nameof(ChunkSize));
        ArgumentOutOfRangeException.ThrowIfNegative(FirstParticle, nameof(FirstParticle));
        if (!(RelativeTolerance > 0)) throw new ArgumentOutOfRangeException(nameof(RelativeTolerance), RelativeTolerance, "Must be positive.");
        if (!(AbsoluteTolerance > 0)) throw new ArgumentOutOfRangeException(nameof(AbsoluteTolerance), AbsoluteTolerance, "Must be positive.");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxSteps, nameof(MaxSteps));
        ArgumentNullException.ThrowIfNull(InitialStep, nameof(InitialStep));
        if (!(MinStepSize > 0)) throw new ArgumentOutOfRangeException(nameof(MinStepSize), MinStepSize, "Must be positive.");
    }
}
