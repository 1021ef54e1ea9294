using System.Numerics.Tensors;
using Diffusion.Research.Kernels;
using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;

namespace Diffusion.Research.Solvers;

/// <summary>
/// The common step of the multistep samplers that integrate dx̂ = ε̂ dρ (ρ = σ_t/α_t, x̂ = x/α_t; Zhang &amp; Chen 2022 eq 11,
/// Karras et al. 2022 eq 3) with ε̂ replaced by the Lagrange polynomial through its last k values:
/// x̂_{i+1} = x̂_i + Σ_{j&lt;k} c_j ε̂_{i−j} (Hairer, Nørsett, Wanner I, §III.1 eq 1.5 on a variable grid). A subclass picks
/// the variable the polynomial lives in (<see cref="Node"/>: t, ρ or log ρ), the weights c_j (<see cref="Weight"/>) and
/// the order of each step (<see cref="StepOrder"/>). The past ε̂ live in a <see cref="BufferRing"/> over all
/// <see cref="FixedStepSolver.Buffers"/>, emptied in the begin hook. One evaluation per step.
/// </summary>
public abstract class EpsilonMultistep : DiffusionSampler
{
    /// <summary>The interpolation variable at time <paramref name="time"/> (the Lagrange node of that grid point).</summary>
    protected abstract double Node(IKernel kernel, double time);

    /// <summary>c_j for the nodes <paramref name="nodes"/> (nodes[0] the newest, at t_i) and the step to the node <paramref name="to"/> of t_{i+1}.</summary>
    protected abstract double Weight(IKernel kernel, ReadOnlySpan<double> nodes, int j, double to);

    /// <summary>k of this step, at most <paramref name="available"/> (the ε̂ in the history, this step's included: min(i + 1, ring length)).</summary>
    protected abstract int StepOrder(StepInfo step, int available);

    /// <inheritdoc />
    protected sealed override void Begin(DiffusionProblem problem, TimeGrid grid, Batch x, Workspace workspace) =>
        workspace.History(0, Buffers).Clear();

    /// <inheritdoc />
    protected sealed override void Step(DiffusionProblem problem, StepInfo step, Batch x, Workspace workspace)
    {
        var kernel = problem.Kernel;
        var rows = x.Count;
        var history = workspace.History(0, Buffers);
        double t = step.Time, s = step.NextTime;
        double alphaT = kernel.Alpha(t), alphaS = kernel.Alpha(s);
        var eps = history.Push(rows);
        problem.PredictNoise(t, x, eps); // ε̂ = −σ_t s = (x̂ − D)/σ̂ (003 §3; Efron 2011; Karras et al. 2022, eq (3))
        TensorPrimitives.Multiply(x.Values, 1 / alphaT, x.Values);
        var k = StepOrder(step, history.Count);
        // The Lagrange nodes of the past values: the grid times of the steps that computed them.
        Span<double> nodes = stackalloc double[k];
        for (var j = 0; j < k; j++) nodes[j] = Node(kernel, step.Grid[step.Index - j]);
        var to = Node(kernel, s);
        for (var j = 0; j < k; j++)
            TensorPrimitives.MultiplyAdd(history.Recent(j, rows).Values, Weight(kernel, nodes, j, to), x.Values, x.Values);
        TensorPrimitives.Multiply(x.Values, alphaS, x.Values);
    }
}
