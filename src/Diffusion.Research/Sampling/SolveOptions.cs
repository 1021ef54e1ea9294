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

    public SolveOptions WithNoise(NoiseSource noise) => this with { Noise = noise };
    public SolveOptions WithIncrements(IGaussianIncrements? increments) => this with { Increments = increments };
    public SolveOptions WithFirstParticle(long firstParticle) => this with { FirstParticle = firstParticle };
    public SolveOptions WithThreads(int threads) => this with { Threads = threads };
    public SolveOptions WithChunkSize(int chunkSize) => this with { ChunkSize = chunkSize };
    public SolveOptions WithTolerances(double relative, double absolute) => this with { RelativeTolerance = relative, AbsoluteTolerance = absolute };
    public SolveOptions WithMaxSteps(int maxSteps) => this with { MaxSteps = maxSteps };
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
