using Diffusion.Research.Scores;

namespace Diffusion.Research.Experiments.Models;

/// <summary>
/// Builds the score model of a cell from its <c>model:</c> block (kind <c>exact</c> now; <c>mlp</c>, <c>ebm</c> with a
/// <c>train:</c> block are one more registration). <see cref="Check"/> validates the block without building.
/// </summary>
public interface IModelBuilder
{
    /// <summary>A one-line description for <c>diffusion list models</c>.</summary>
    string Description { get; }

    /// <summary>
    /// Validates the block against the data set and SDE; throws <see cref="ArgumentException"/> whose ParamName is the
    /// dotted key at fault (e.g. "model.train.epochs").
    /// </summary>
    void Check(ModelContext context);

    /// <summary>Builds (and, for learned models, trains) the score model.</summary>
    IScoreModel Build(ModelContext context);
}
