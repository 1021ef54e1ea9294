using System.Numerics.Tensors;
using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;

namespace Diffusion.Research.Solvers;

/// <summary>
/// Euler–Maruyama, x_{n+1} = x_n + a(x_n, t_n) dt + b(t_n) sqrt(|dt|) z (004 §10.1; 002 Euler–Maruyama):
/// weak order 1, strong order 1/2 in general and 1 for additive noise (Kloeden–Platen §10.2). Runs forwards
/// or backwards in time; on the reverse family it is the EM sampler of Song et al. 2021.
/// </summary>
public sealed class EulerMaruyama : FixedStepSolver
{
    /// <summary>Euler–Maruyama drawing its increments from <see cref="Sampling.SolveOptions.Noise"/>, or from <paramref name="path"/> when given.</summary>
    public EulerMaruyama(BrownianPath? path = null) => Path = path;

    /// <summary>The replayed Brownian path, or null for keyed independent draws.</summary>
    public BrownianPath? Path { get; }

    /// <inheritdoc />
    public override SolverTraits Traits { get; } = new("euler_maruyama", 1, 0.5, IsStochastic: true, IsAdaptive: false,
        NfePerStep: 1,
        "Euler-Maruyama (SDE; weak order 1, strong 1/2, strong 1 for additive noise).");

    /// <inheritdoc />
    protected override int Buffers => 2;

    /// <inheritdoc />
    protected override void Validate(SamplingProblem problem, Batch x, TimeGrid grid) => WienerIncrement.Check(Path, grid, x, Traits.Name);

    /// <inheritdoc />
    private protected override FusedChunk? Fuse(SamplingProblem problem, TimeGrid grid, SolveOptions options) =>
        Path is null ? FusedEulerMaruyama.TryCreate(problem, grid, options) : null;

    /// <inheritdoc />
    protected override void Step(SamplingProblem problem, StepInfo step, Batch x, Workspace workspace)
    {
        var drift = workspace.Buffer(0, x.Count);
        var dt = step.Dt;
        problem.Dynamics.Drift(step.Time, x, drift);
        TensorPrimitives.MultiplyAdd(drift.Values, dt, x.Values, x.Values);
        var b = problem.Dynamics.Diffusion(step.Time);
        if (b == 0) return;
        var z = workspace.Buffer(1, x.Count);
        WienerIncrement.Fill(step, Path, z);
        TensorPrimitives.MultiplyAdd(z.Values, b * Math.Sqrt(Math.Abs(dt)), x.Values, x.Values);
    }

    /// <summary>Registers euler_maruyama (the registry reads name and description from the traits; <see cref="SolverRegistry.CreateDefault"/>).</summary>
    [SolverRegistration(30)]
    internal static void Register(SolverRegistry r) => r.Register(_ => new EulerMaruyama());
}
