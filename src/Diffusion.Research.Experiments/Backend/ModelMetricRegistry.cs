using Diffusion.Research.Registries;

namespace Diffusion.Research.Experiments.Backend;

/// <summary>Metrics of the score model itself (e.g. <c>nll</c>), listed with the sample metrics under <c>eval.metrics</c>.</summary>
public sealed class ModelMetricRegistry : ParameterRegistry<IModelMetric>
{
    /// <summary>An empty registry.</summary>
    public ModelMetricRegistry()
        : base("metric")
    {
    }

    /// <summary>nll (500 held-out points, 32 RK4 steps) and the exact-law metrics (exact_kl, exact_kl_reverse, exact_w2, disc_kl, disc_w2).</summary>
    public static ModelMetricRegistry CreateDefault()
    {
        var r = new ModelMetricRegistry();
        r.Register("nll", "negative log-likelihood, bits/dim, of held-out data samples: PF-ODE with the exact divergence (RK4, t_eps to T); mlp, ebm and exact models",
            p => new NegativeLogLikelihood(p.Integer("particles"), p.Integer("steps")),
            ParameterSpec.Integer("particles", 500, "held-out data points"), ParameterSpec.Integer("steps", 32, "RK4 steps"));
        foreach (var metric in ExactLawMetric.CreateAll()) // one exact-law computation shared by the five
            r.Register(metric.Name, metric.Description, _ => metric);
        return r;
    }
}
