namespace Diffusion.Research.Experiments.Backend;

/// <summary>
/// A metric of the score model itself rather than of its samples (e.g. <c>nll</c>, the negative log-likelihood of
/// held-out data). Listed with the sample metrics under <c>eval.metrics</c>.
/// </summary>
public interface IModelMetric
{
    /// <summary>The name used in <c>eval.metrics</c>.</summary>
    string Name { get; }

    /// <summary>A one-line description for <c>diffusion list metrics</c>.</summary>
    string Description { get; }

    /// <summary>Throws <see cref="ArgumentException"/> (ParamName a dotted key) when the metric cannot apply to the cell's SDE.</summary>
    void Check(ModelMetricInput input);

    /// <summary>The metric's value.</summary>
    double Compute(ModelMetricInput input);
}
