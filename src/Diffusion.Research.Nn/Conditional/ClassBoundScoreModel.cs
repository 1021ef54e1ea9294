using Diffusion.Research.Nn.Autodiff;
using Diffusion.Research.Nn.Models;
using Diffusion.Research.Numerics;
using Diffusion.Research.Scores;

namespace Diffusion.Research.Nn.Conditional;

/// <summary>
/// A <see cref="ConditionalMlpScoreModel"/> with its per-row classes fixed to a one-hot tape constant, so the project's
/// losses (<see cref="Losses.IScoreLoss"/>), which see an <see cref="INeuralScoreModel"/>, train it unchanged. Tape path only.
/// </summary>
internal sealed class ClassBoundScoreModel(ConditionalMlpScoreModel model, Tensor oneHot) : INeuralScoreModel
{
    public int Dimension => model.Dimension;

    public ModelOptions Options => model.Options;

    public IReadOnlyList<Parameter> Parameters => model.Parameters;

    public Prediction Output => model.Options.Output;

    public Tensor Predict(Tape tape, Tensor x, Tensor times) => model.Predict(tape, x, times, oneHot);

    public Tensor Score(Tape tape, Tensor x, Tensor times)
    {
        var o = Predict(tape, x, times);
        if (Output == Prediction.Score) return o;
        // Per row: s = A x + B o (001 eqs 37–38; Ho et al. 2020, §3.2; Karras et al. 2022, eq (3)), as MlpScoreModel.Score.
        var a = tape.Constant(x.Rows, 1);
        var b = tape.Constant(x.Rows, 1);
        for (var r = 0; r < x.Rows; r++)
        {
            var map = PredictionConversion.Map(Output, Prediction.Score, model.Kernel!, times[r, 0]);
            a[r, 0] = map.StateWeight;
            b[r, 0] = map.PredictionWeight;
        }
        return tape.Add(tape.Multiply(x, a), tape.Multiply(o, b));
    }

    public void Score(double t, Batch x, Batch destination) =>
        throw new NotSupportedException("A class-bound view is for training; sample with ConditionalMlpScoreModel.ForClass.");
}
