using Diffusion.Research.Nn.Autodiff;
using Diffusion.Research.Nn.Models;
using Diffusion.Research.Scores;

namespace Diffusion.Research.Nn.Losses;

/// <summary>
/// Denoising score matching and its regression forms: ½ λ(t) ‖q_θ − q*‖² where q is the score
/// (DSM: target ∇ log p_t(x_t | x₀) = −ε/σ_t; 000 "DSM", 001 eqs 12, 41, 61; 002 eq 3; 003 "DSM objective"; Vincent 2011;
/// Ho et al. 2020, eq (14)),
/// or ε, x₀, v (v = α ε − σ x₀). The network output and the true ε are mapped to the target's
/// parametrisation per row by the one conversion (<see cref="PredictionConversion"/>), so any output
/// parametrisation trains against any target. Single-σ, multi-σ (NCSN) and continuous-time
/// DSM are this loss with a fixed, discrete or continuous t-sampling.
/// </summary>
public sealed class DenoisingScoreMatchingLoss : IScoreLoss
{
    /// <summary>A loss whose regression target is <paramref name="target"/>.</summary>
    public DenoisingScoreMatchingLoss(Prediction target)
    {
        if (!Enum.IsDefined(target)) throw new ArgumentOutOfRangeException(nameof(target), target, "Unknown prediction.");
        Target = target;
    }

    /// <summary>What is regressed.</summary>
    public Prediction Target { get; }

    /// <inheritdoc />
    public string Name => Target switch
    {
        Prediction.Score => "dsm",
        Prediction.Epsilon => "eps",
        Prediction.Data => "x0",
        _ => "v",
    };

    /// <inheritdoc />
    public Tensor Loss(Tape tape, INeuralScoreModel model, LossBatch batch)
    {
        ArgumentNullException.ThrowIfNull(model);
        var p = PerturbedSamples.Draw(tape, batch, variable: false);
        var n = p.X.Rows;
        var output = model.Output;
        var raw = model.Predict(tape, p.X, p.Times);

        // Per row, with the maps of the one conversion (001 eqs 37–38; Ho et al. 2020, §3.2; Karras et al. 2022, eq (3)): q_θ =
        // cx x + co o and q* = tx x + te ε.
        var cx = tape.Constant(n, 1);
        var co = tape.Constant(n, 1);
        var tx = tape.Constant(n, 1);
        var te = tape.Constant(n, 1);
        var needX = false;
        for (var i = 0; i < n; i++)
        {
            var alpha = p.Alpha[i, 0];
            var sigma = p.Sigma[i, 0];
            var fromModel = PredictionConversion.Map(output, Target, alpha, sigma);
            var fromNoise = PredictionConversion.Map(Prediction.Epsilon, Target, alpha, sigma);
            cx[i, 0] = fromModel.StateWeight;
            co[i, 0] = fromModel.PredictionWeight;
            tx[i, 0] = fromNoise.StateWeight;
            te[i, 0] = fromNoise.PredictionWeight;
            needX |= cx[i, 0] != tx[i, 0];
        }
        var prediction = tape.Multiply(raw, co);
        var target = tape.Multiply(p.Epsilon, te);
        Tensor residual;
        if (needX)
        {
            // (cx − tx) x + co o − te ε
            var xs = tape.Multiply(p.X, tape.Subtract(cx, tx));
            residual = tape.Subtract(tape.Add(prediction, xs), target);
        }
        else
        {
            residual = tape.Subtract(prediction, target);
        }
        var perRow = tape.Scale(tape.SumColumns(tape.Square(residual)), 0.5);
        return p.WeightedMean(tape, perRow);
    }
}
