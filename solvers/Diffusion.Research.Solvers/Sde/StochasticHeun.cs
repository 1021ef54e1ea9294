using System.Numerics.Tensors;
using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;
using Diffusion.Research.Sde;

namespace Diffusion.Research.Solvers;

/// <summary>
/// Stochastic Heun (improved Euler) for additive noise dx = a dt + b(t) dW:
/// x' = x + a(x, t) dt + b(t) ΔW, x_{n+1} = x + ½[a(x, t) + a(x', t + dt)] dt + ½[b(t) + b(t + dt)] ΔW,
/// with ΔW = sqrt(|dt|) z (Kloeden–Platen §15.1 weak order-2 scheme for additive noise; strong order 1).
/// The step is shared with the adaptive solver of Jolicoeur-Martineau et al. 2021 (<see cref="AdaptiveStochasticHeun"/>).
/// </summary>
public sealed class StochasticHeun : FixedStepSolver
{
    /// <summary>Stochastic Heun drawing its increments from <see cref="SolveOptions.Noise"/>, or from <paramref name="path"/> when given.</summary>
    public StochasticHeun(BrownianPath? path = null) => Path = path;

    /// <summary>The replayed Brownian path, or null for keyed independent draws.</summary>
    public BrownianPath? Path { get; }

    /// <inheritdoc />
    public override SolverTraits Traits { get; } = new("stochastic_heun", 2, 1.0, IsStochastic: true, IsAdaptive: false,
        NfePerStep: 2,
        "Stochastic Heun for additive noise (weak order 2, strong order 1; order 2 on ODEs).");

    /// <inheritdoc />
    protected override int Buffers => 4;

    /// <inheritdoc />
    protected override void Validate(SamplingProblem problem, Batch x, TimeGrid grid) => WienerIncrement.Check(Path, grid, x, Traits.Name);

    /// <inheritdoc />
    protected override void Step(SamplingProblem problem, StepInfo step, Batch x, Workspace workspace)
    {
        var rows = x.Count;
        var z = workspace.Buffer(1, rows);
        var b0 = problem.Dynamics.Diffusion(step.Time);
        var b1 = problem.Dynamics.Diffusion(step.NextTime);
        if (b0 != 0 || b1 != 0) WienerIncrement.Fill(step, Path, z);
        else z.Values.Clear();
        Propose(problem.Dynamics, step.Time, step.Dt, x, z, workspace.Buffer(0, rows), workspace.Buffer(2, rows), workspace.Buffer(3, rows), x);
    }

    /// <summary>
    /// One stochastic Heun step from x with standard normal z: writes the Euler–Maruyama proposal x' to
    /// <paramref name="eulerMaruyama"/> and the Heun solution to <paramref name="heun"/> (which may be x itself).
    /// Uses <paramref name="drift0"/> and <paramref name="drift1"/> as scratch; two drift evaluations.
    /// </summary>
    internal static void Propose(IDynamics dynamics, double t, double dt, Batch x, Batch z, Batch drift0, Batch eulerMaruyama, Batch drift1, Batch heun)
    {
        var sq = Math.Sqrt(Math.Abs(dt));
        var b0 = dynamics.Diffusion(t);
        var b1 = dynamics.Diffusion(t + dt);
        dynamics.Drift(t, x, drift0);
        // x' = x + a(x, t) dt + b(t) sqrt|dt| z
        TensorPrimitives.MultiplyAdd(drift0.Values, dt, x.Values, eulerMaruyama.Values);
        if (b0 != 0) TensorPrimitives.MultiplyAdd(z.Values, b0 * sq, eulerMaruyama.Values, eulerMaruyama.Values);
        dynamics.Drift(t + dt, eulerMaruyama, drift1);
        // x'' = x + dt/2 [a(x, t) + a(x', t + dt)] + (b(t) + b(t + dt))/2 sqrt|dt| z
        x.Values.CopyTo(heun.Values); // a no-op when heun is x
        TensorPrimitives.MultiplyAdd(drift0.Values, 0.5 * dt, heun.Values, heun.Values);
        TensorPrimitives.MultiplyAdd(drift1.Values, 0.5 * dt, heun.Values, heun.Values);
        var c = 0.5 * (b0 + b1) * sq;
        if (c != 0) TensorPrimitives.MultiplyAdd(z.Values, c, heun.Values, heun.Values);
    }

    /// <summary>Registers stochastic_heun (the registry reads name and description from the traits; <see cref="SolverRegistry.CreateDefault"/>).</summary>
    [SolverRegistration(40)]
    internal static void Register(SolverRegistry r) => r.Register(_ => new StochasticHeun());
}
