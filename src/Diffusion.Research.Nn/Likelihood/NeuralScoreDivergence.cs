using Diffusion.Research.Nn.Autodiff;
using Diffusion.Research.Nn.Losses;
using Diffusion.Research.Nn.Models;
using Diffusion.Research.Numerics;
using Diffusion.Research.Scores;

namespace Diffusion.Research.Nn.Likelihood;

/// <summary>
/// The exact divergence ∇·s_θ(x, t) = Tr ∇ₓ s_θ of a neural score model by reverse-mode autodiff: D backward
/// passes per batch (002 "Computing divergence directly costs O(d) backpropagations"; Hutchinson 1989; Grathwohl et al. 2019).
/// Plugs into the core's
/// <see cref="Research.Likelihood.ProbabilityFlowLikelihood"/> (003 Eq 4.2.7; Song et al. 2021, §4.3, App. D.2;
/// Chen et al. 2018) and into the core's ISM objective.
/// Thread-safe: each thread evaluates on its own recycled tape, so steady state allocates nothing.
/// </summary>
public sealed class NeuralScoreDivergence : IScoreDivergence
{
    private readonly ThreadLocal<Tape> _tapes = new(() => new Tape());

    /// <summary>The divergence of <paramref name="model"/>'s score.</summary>
    public NeuralScoreDivergence(INeuralScoreModel model) => Model = model ?? throw new ArgumentNullException(nameof(model));

    /// <summary>The model.</summary>
    public INeuralScoreModel Model { get; }

    /// <inheritdoc />
    public void Divergence(double t, Batch x, Span<double> destination)
    {
        if (destination.Length < x.Count) throw new ArgumentException($"Destination holds {destination.Length} values for {x.Count} particles.", nameof(destination));
        if (x.Dimension != Model.Dimension) throw new ArgumentException($"x has dimension {x.Dimension}, the model {Model.Dimension}.", nameof(x));
        if (x.Count == 0) return;
        var tape = _tapes.Value!;
        tape.Reset();
        var xv = tape.Variable(x);
        var s = Model.Score(tape, xv, tape.Constant(x.Count, 1, t));
        var divergence = ImplicitScoreMatchingLoss.ExactDivergence(tape, s, xv, createGraph: false);
        divergence.Values.CopyTo(destination);
        tape.Reset();
    }
}
