namespace Diffusion.Research.Nn.Training;

/// <summary>A first-order optimiser: updates parameter values from their <see cref="Parameter.Gradient"/>.</summary>
public interface IOptimizer
{
    /// <summary>Registry name.</summary>
    string Name { get; }

    /// <summary>Number of steps taken.</summary>
    long Steps { get; }

    /// <summary>One update with learning rate <paramref name="learningRate"/>.</summary>
    void Step(IReadOnlyList<Parameter> parameters, double learningRate);

    /// <summary>The internal state (moment buffers), in a fixed order, for checkpoints.</summary>
    IReadOnlyList<double[]> State { get; }

    /// <summary>Restores <see cref="Steps"/> and the state saved from an optimiser of the same shape.</summary>
    void Restore(long steps, IReadOnlyList<double[]> state);
}
