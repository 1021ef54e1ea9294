using Diffusion.Research.Exact;

namespace Diffusion.Research.Experiments.Backend;

/// <summary>
/// A distance computed from the sampler's exact output law instead of from samples (no Monte-Carlo noise): Gaussian
/// data, the exact score, a fixed-step solver (<see cref="ExactSolverLaw"/>). <c>exact_kl</c> = KL(output ‖ data),
/// <c>exact_kl_reverse</c> = KL(data ‖ output), <c>exact_w2</c> = W2(output, data), all with the sampler started from
/// the SDE prior and stopped at t_eps as it runs; <c>disc_kl</c> and <c>disc_w2</c> start from the exact p_T and compare
/// with the exact p_{t_eps}: the discretisation error alone (<see cref="GaussianDistance"/>).
/// </summary>
public sealed class ExactLawMetric : IModelMetric
{
    private readonly ExactSolverLaw _law;
    private readonly Func<ExactSolverLaw.Laws, double> _value;

    /// <summary>A metric named <paramref name="name"/> reading <paramref name="value"/> off the laws of <paramref name="law"/>.</summary>
    public ExactLawMetric(string name, string description, ExactSolverLaw law, Func<ExactSolverLaw.Laws, double> value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(description);
        Name = name;
        Description = description;
        _law = law ?? throw new ArgumentNullException(nameof(law));
        _value = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public string Description { get; }

    /// <summary>exact_kl, exact_kl_reverse, exact_w2, disc_kl, disc_w2, sharing one law cache.</summary>
    public static IReadOnlyList<ExactLawMetric> CreateAll()
    {
        var law = new ExactSolverLaw();
        return
        [
            new("exact_kl", "KL(sampler output || data) from the exact output law (Gaussian data, exact score, fixed-step solver; no sampling noise)", law,
                l => GaussianDistance.KullbackLeibler(l.Sampled, l.Data)),
            new("exact_kl_reverse", "KL(data || sampler output) from the exact output law", law, l => GaussianDistance.KullbackLeibler(l.Data, l.Sampled)),
            new("exact_w2", "W2(sampler output, data) from the exact output law (Gaussian formula)", law, l => GaussianDistance.Wasserstein2(l.Sampled, l.Data)),
            new("disc_kl", "KL(output || p_t_eps) when started from the exact p_T: the discretisation error alone", law,
                l => GaussianDistance.KullbackLeibler(l.Discretised, l.Marginal)),
            new("disc_w2", "W2(output, p_t_eps) when started from the exact p_T: the discretisation error alone", law,
                l => GaussianDistance.Wasserstein2(l.Discretised, l.Marginal)),
        ];
    }

    /// <inheritdoc />
    public void Check(ModelMetricInput input) => ExactSolverLaw.Check(input, Name);

    /// <inheritdoc />
    public double Compute(ModelMetricInput input) => _value(_law.Get(input, Name));
}
