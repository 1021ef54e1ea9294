using Diffusion.Research.Data;
using Diffusion.Research.Exact;
using Diffusion.Research.Experiments;
using Diffusion.Research.Experiments.Configuration;
using Diffusion.Research.Experiments.Plans;
using Diffusion.Research.Kernels;
using Diffusion.Research.Sampling;
using Diffusion.Research.Scores;
using Diffusion.Research.Sde;
using Diffusion.Research.Solvers;

namespace Diffusion.Research.Tests.Experiments;

/// <summary>The exact-law metrics of the backend (exact_kl, ...; issue 12).</summary>
public class ExactLawMetricTests
{
    private const string Yaml = """
        name: exact
        seed: 4
        repeats: 1
        data: {name: gaussian, parameters: {mean: [0.6, -0.3], covariance: [1.2, 0.35, 0.35, 0.5]}}
        sde: {kind: ve, t_eps: 2.0e-3}
        model: {kind: exact}
        sampler: {solver: heun, steps: 12}
        eval: {particles: 1, reference: 1, metrics: [exact_kl, exact_kl_reverse, exact_w2, disc_kl, disc_w2]}
        sweep:
          sampler.solver: [heun, ddpm]
        table: {rows: [sampler.solver], columns: [], value: exact_kl}
        """;

    /// <summary>The backend computes in the eigenbasis of the data covariance (diagonal probes); here the law is measured
    /// in the data's own coordinates with the general probes and the distances must agree.</summary>
    [Fact]
    public void Metrics_equal_the_law_measured_in_the_original_coordinates()
    {
        var dir = TestFiles.NewDirectory("exact-metric");
        var backend = RealBackendTests.Backend();
        var plan = new ExperimentLoader(backend).Load(TestFiles.Write(dir, "exact.yaml", Yaml));
        new SweepRunner(backend).Run(plan, new RunOptions(Path.Combine(dir, "out"), false, Shard.All, 1));
        var runs = new RunLog(Path.Combine(dir, "out", "exact", "runs.jsonl")).Read();
        Assert.All(runs, r => Assert.True(r.IsSuccess, r.Message));
        var data = new Gaussian([0.6, -0.3], new[,] { { 1.2, 0.35 }, { 0.35, 0.5 } });
        var sde = new VeSde();
        var target = GaussianLaw.Full(data.Mean, data.Covariance);
        var prior = GaussianLaw.Isotropic(2, sde.SigmaMax * sde.SigmaMax);
        foreach (var (name, lambda, index) in new[] { ("heun", 0.0, 0), ("ddpm", 1.0, 1) })
        {
            var problem = SamplingProblem.Reverse(sde, new ExactNoisedScore(data, sde.Kernel), lambda);
            var law = AffineResponse.Measure(SolverRegistry.CreateDefault().Create(name), problem, TimeGrid.Uniform(sde.T, 2e-3, 12), 2).Push(prior);
            var metrics = runs.Single(r => r.Index == index).Metrics;
            Assert.Equal(GaussianDistance.KullbackLeibler(law, target), metrics["exact_kl"]!.Value, 9);
            Assert.Equal(GaussianDistance.KullbackLeibler(target, law), metrics["exact_kl_reverse"]!.Value, 9);
            Assert.Equal(GaussianDistance.Wasserstein2(law, target), metrics["exact_w2"]!.Value, 9);
            // From the exact p_T against the exact p_t_eps (p_t = N(α m, α² Σ + σ² I)): the discretisation error alone.
            var measured = AffineResponse.Measure(SolverRegistry.CreateDefault().Create(name), problem, TimeGrid.Uniform(sde.T, 2e-3, 12), 2);
            var discretised = measured.Push(Marginal(data, sde.Kernel, sde.T));
            Assert.Equal(GaussianDistance.KullbackLeibler(discretised, Marginal(data, sde.Kernel, 2e-3)), metrics["disc_kl"]!.Value, 9);
            Assert.Equal(GaussianDistance.Wasserstein2(discretised, Marginal(data, sde.Kernel, 2e-3)), metrics["disc_w2"]!.Value, 9);
        }
    }

    private static GaussianLaw Marginal(Gaussian data, IKernel kernel, double t)
    {
        double a = kernel.Alpha(t), s = kernel.Sigma(t);
        var c = data.Covariance;
        return GaussianLaw.Full([a * data.Mean[0], a * data.Mean[1]],
            new[,] { { a * a * c[0, 0] + s * s, a * a * c[0, 1] }, { a * a * c[1, 0], a * a * c[1, 1] + s * s } });
    }

    [Fact]
    public void Cells_without_an_exact_law_are_config_errors()
    {
        var e = Assert.Throws<ConfigException>(() => new ExperimentLoader(RealBackendTests.Backend()).Parse(Yaml.Replace("[heun, ddpm]", "[dopri5]"), "e.yaml", "."));
        Assert.Contains("adaptive solvers", Assert.Single(e.Errors).Message);
        e = Assert.Throws<ConfigException>(() => new ExperimentLoader(RealBackendTests.Backend()).Parse(
            Yaml.Replace("{name: gaussian, parameters: {mean: [0.6, -0.3], covariance: [1.2, 0.35, 0.35, 0.5]}}", "{name: 8gaussians}"), "e.yaml", "."));
        Assert.Contains("needs Gaussian data", Assert.Single(e.Errors).Message);

        // pc and pc_em average the corrector's norms over the batch: no per-particle law, refused at sampler.solver (the
        // affinity defect that would fail the cell otherwise: AffineResponseTests.BatchCoupledSamplersShowAnAffinityDefect).
        foreach (var solver in new[] { "pc", "pc_em" })
        {
            e = Assert.Throws<ConfigException>(() => new ExperimentLoader(RealBackendTests.Backend()).Parse(Yaml.Replace("[heun, ddpm]", $"[{solver}]"), "e.yaml", "."));
            var error = Assert.Single(e.Errors);
            Assert.Contains("sampler.solver: metric 'exact_kl': pc and pc_em scale the corrector step by norms averaged over the batch", error.Message, StringComparison.Ordinal);
        }
    }
}
