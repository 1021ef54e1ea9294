using Diffusion.Research.Nn.Autodiff;
using Diffusion.Research.Nn.Models;
using Diffusion.Research.Nn.Training;

namespace Diffusion.Research.Nn.Losses;

/// <summary>
/// Explicit score matching against the exact score of p_t: ½ λ(t) ‖s_θ(x_t, t) − ∇ log p_t(x_t)‖²
/// (000 "Explicit Score Matching": J_ESM; 001 eq 8; Hyvärinen 2005, §2).
/// </summary>
public sealed class ExplicitScoreMatchingLoss : IScoreLoss
{
    /// <inheritdoc />
    public string Name => "esm";

    /// <inheritdoc />
    public Tensor Loss(Tape tape, INeuralScoreModel model, LossBatch batch)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(batch);
        var exact = batch.ExactScore ?? throw new ArgumentException("Explicit score matching needs the exact score of p_t (LossBatch.ExactScore).", nameof(batch));
        var p = PerturbedSamples.Draw(tape, batch, variable: false);
        var s = model.Score(tape, p.X, p.Times);
        var target = tape.Constant(p.X.Rows, p.X.Columns);
        var xb = p.X.AsBatch();
        var tb = target.AsBatch();
        for (var i = 0; i < batch.Count; i++)
            exact.Score(batch.Times[i], xb.Slice(i, 1), tb.Slice(i, 1));
        var perRow = tape.Scale(tape.SumColumns(tape.Square(tape.Subtract(s, target))), 0.5);
        return p.WeightedMean(tape, perRow);
    }

    /// <summary>Registers the loss esm (<see cref="TrainingRegistries.CreateDefault"/>).</summary>
    internal static void Register(TrainingRegistries r) =>
        r.Losses.Register("esm", "explicit score matching against the exact score of p_t (000 J_ESM; 001 eq 8; Hyvarinen 2005)", _ => new ExplicitScoreMatchingLoss());
}
