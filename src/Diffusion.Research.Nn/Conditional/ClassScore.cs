using Diffusion.Research.Numerics;
using Diffusion.Research.Scores;

namespace Diffusion.Research.Nn.Conditional;

/// <summary>One class's score x ↦ s_θ(x, t | c) of a <see cref="ConditionalMlpScoreModel"/> (c may be the null class).</summary>
public sealed class ClassScore : IScoreModel
{
    internal ClassScore(ConditionalMlpScoreModel model, int label)
    {
        Model = model;
        Label = label;
    }

    /// <summary>The conditional model.</summary>
    public ConditionalMlpScoreModel Model { get; }

    /// <summary>The class (<see cref="ConditionalMlpScoreModel.NullClass"/>: unconditional).</summary>
    public int Label { get; }

    /// <inheritdoc />
    public void Score(double t, Batch x, Batch destination) => Model.Score(Label, t, x, destination);
}
