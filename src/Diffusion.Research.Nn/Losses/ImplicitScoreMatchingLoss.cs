using Diffusion.Research.Nn.Autodiff;
using Diffusion.Research.Nn.Models;
using Diffusion.Research.Nn.Training;

namespace Diffusion.Research.Nn.Losses;

/// <summary>
/// Implicit score matching (Hyvärinen 2005): λ(t) [½ ‖s_θ(x_t, t)‖² + Tr ∇ₓ s_θ(x_t, t)] on samples of
/// p_t (000 "Implicit Score Matching": J_ISM; 001 ISM, J_ISM = J_ESM − C; 003 §3.3 "trace-of-Jacobian").
/// The trace is exact: D backward passes, each recorded (create-graph) so the loss is differentiable in θ.
/// </summary>
public sealed class ImplicitScoreMatchingLoss : IScoreLoss
{
    /// <inheritdoc />
    public string Name => "ism";

    /// <inheritdoc />
    public Tensor Loss(Tape tape, INeuralScoreModel model, LossBatch batch)
    {
        ArgumentNullException.ThrowIfNull(model);
        var p = PerturbedSamples.Draw(tape, batch, variable: true);
        var s = model.Score(tape, p.X, p.Times);
        var trace = ExactDivergence(tape, s, p.X);
        var perRow = tape.Add(tape.Scale(tape.SumColumns(tape.Square(s)), 0.5), trace);
        return p.WeightedMean(tape, perRow);
    }

    /// <summary>
    /// Per-row divergence Σ_d ∂s_d/∂x_d (N x 1) of a field <paramref name="s"/> of <paramref name="x"/>
    /// with independent rows: pass d back-propagates column d of s and keeps column d of the result.
    /// With <paramref name="createGraph"/> the divergence is itself differentiable (for training).
    /// </summary>
    public static Tensor ExactDivergence(Tape tape, Tensor s, Tensor x, bool createGraph = true)
    {
        ArgumentNullException.ThrowIfNull(tape);
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(x);
        if (!x.RequiresGrad) throw new ArgumentException("x must be a tape variable to differentiate with respect to it.", nameof(x));
        Tensor? trace = null;
        for (var d = 0; d < x.Columns; d++)
        {
            var column = tape.Sum(tape.SliceColumns(s, d, 1));
            var g = tape.Gradients(column, [x], createGraph)[0];
            var diagonal = tape.SliceColumns(g, d, 1);
            trace = trace is null ? diagonal : tape.Add(trace, diagonal);
        }
        return trace!;
    }

    /// <summary>Registers the loss ism (<see cref="TrainingRegistries.CreateDefault"/>).</summary>
    internal static void Register(TrainingRegistries r) =>
        r.Losses.Register("ism", "implicit score matching, exact trace by D backward passes (000 J_ISM; 001 ISM; Hyvarinen 2005 Thm 1)", _ => new ImplicitScoreMatchingLoss());
}
