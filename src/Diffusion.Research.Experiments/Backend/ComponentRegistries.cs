using Diffusion.Research.Data;
using Diffusion.Research.Experiments.Models;
using Diffusion.Research.Metrics;
using Diffusion.Research.Nn.Training;
using Diffusion.Research.Sde;
using Diffusion.Research.Solvers;

namespace Diffusion.Research.Experiments.Backend;

/// <summary>
/// The composition root: the one set of registries an experiment resolves names in. <see cref="CreateDefault"/> is the
/// single place that builds the default registries; the backend, the model builders (and through them the trainers)
/// and <c>diffusion list</c> all read this instance, and plugins (<see cref="Plugins.IDiffusionPlugin"/>) register into it, so a
/// component registered once is seen everywhere.
/// </summary>
public sealed class ComponentRegistries
{
    /// <summary>Registries from their parts.</summary>
    public ComponentRegistries(DataSetRegistry dataSets, SdeRegistry sdes, SolverRegistry solvers, ScheduleRegistry schedules,
        MetricRegistry metrics, ModelMetricRegistry modelMetrics, ModelRegistry models, TrainingRegistries training)
    {
        DataSets = dataSets ?? throw new ArgumentNullException(nameof(dataSets));
        Sdes = sdes ?? throw new ArgumentNullException(nameof(sdes));
        Solvers = solvers ?? throw new ArgumentNullException(nameof(solvers));
        Schedules = schedules ?? throw new ArgumentNullException(nameof(schedules));
        Metrics = metrics ?? throw new ArgumentNullException(nameof(metrics));
        ModelMetrics = modelMetrics ?? throw new ArgumentNullException(nameof(modelMetrics));
        Models = models ?? throw new ArgumentNullException(nameof(models));
        Training = training ?? throw new ArgumentNullException(nameof(training));
    }

    /// <summary>Data sets (<c>data.name</c>).</summary>
    public DataSetRegistry DataSets { get; }

    /// <summary>Forward SDEs (<c>sde.kind</c>).</summary>
    public SdeRegistry Sdes { get; }

    /// <summary>Solvers (<c>sampler.solver</c>).</summary>
    public SolverRegistry Solvers { get; }

    /// <summary>Time schedules (<c>sampler.schedule</c>).</summary>
    public ScheduleRegistry Schedules { get; }

    /// <summary>Sample metrics (<c>eval.metrics</c>).</summary>
    public MetricRegistry Metrics { get; }

    /// <summary>Metrics of the model itself (<c>eval.metrics</c>, e.g. nll).</summary>
    public ModelMetricRegistry ModelMetrics { get; }

    /// <summary>Model kinds (<c>model.kind</c>).</summary>
    public ModelRegistry Models { get; }

    /// <summary>Losses, weightings, t-samplings and optimisers (<c>model.train.*</c>).</summary>
    public TrainingRegistries Training { get; }

    /// <summary>Posterior samplers of the inverse problems (<c>measurement.method</c>).</summary>
    public PosteriorSamplerRegistry PosteriorSamplers { get; init; } = PosteriorSamplerRegistry.CreateDefault();

    /// <summary>Every built-in component; neural training reports to <paramref name="monitor"/>.</summary>
    public static ComponentRegistries CreateDefault(TrainingMonitor? monitor = null)
    {
        var training = TrainingRegistries.CreateDefault();
        return new ComponentRegistries(DataSetRegistry.CreateDefault(), SdeRegistry.CreateDefault(), SolverRegistry.CreateDefault(),
            ScheduleRegistry.CreateDefault(), MetricRegistry.CreateDefault(), ModelMetricRegistry.CreateDefault(),
            ModelRegistry.CreateDefault(monitor, training), training);
    }
}
