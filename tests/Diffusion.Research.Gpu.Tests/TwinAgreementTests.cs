using Diffusion.Research.Data;
using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;
using Diffusion.Research.Scores;
using Diffusion.Research.Sde;
using Diffusion.Research.Solvers;

namespace Diffusion.Research.Gpu.Tests;

/// <summary>
/// Every device solver against its CPU twin on the same x_T, grid and noise key, on ILGPU's CPU accelerator:
/// deterministic solvers to 1e-12 relative per particle, stochastic ones to 1e-10 relative after 100 steps (issue 8).
/// Generic settings: non-default SDE parameters, a global first-particle offset, odd dimension for the full-covariance
/// mixture (the last Gaussian pair is half used), unequal weights.
/// </summary>
public sealed class TwinAgreementTests(EmulatedDevice fixture) : IClassFixture<EmulatedDevice>
{
    private const int Particles = 64;

    public static TheoryData<string, string, string, double> Cases()
    {
        var data = new TheoryData<string, string, string, double>();
        foreach (var sde in new[] { "vp", "ve", "vp-cosine", "subvp", "flow" })
        {
            data.Add("euler_maruyama", sde, "8gaussians", 1.0);
            data.Add("heun", sde, "full", 0.0);
        }
        data.Add("euler_maruyama", "vp", "full", 1.0);
        data.Add("euler_maruyama", "ve", "full", 0.7);
        data.Add("euler_maruyama", "vp", "8gaussians", 0.0);
        data.Add("euler", "vp", "8gaussians", 0.0);
        data.Add("euler", "ve", "full", 0.0);
        data.Add("heun", "vp", "8gaussians", 0.0);
        data.Add("rk4", "vp", "full", 0.0);
        data.Add("rk4", "subvp", "8gaussians", 0.0);
        data.Add("ddim", "vp", "8gaussians", 0.0);
        data.Add("ddim", "ve", "full", 0.0);
        data.Add("ddim_eta", "vp", "full", 0.0);
        data.Add("ddpm", "vp", "8gaussians", 0.0);
        data.Add("ddpm", "ve", "full", 0.0);
        data.Add("ddpm_beta", "vp-cosine", "full", 0.0);
        data.Add("stochastic_heun", "vp", "8gaussians", 1.0);
        data.Add("stochastic_heun", "ve", "full", 0.5);
        data.Add("dpm_solver_2", "vp", "8gaussians", 0.0);
        data.Add("dpm_solver_2", "subvp", "full", 0.0);
        data.Add("edm", "vp", "full", 0.0);
        data.Add("edm", "ve", "8gaussians", 0.0);
        data.Add("edm_churn", "vp", "8gaussians", 0.0);
        data.Add("edm_churn", "ve", "full", 0.0);
        data.Add("ald", "ve", "8gaussians", 0.0);
        data.Add("ald", "vp", "full", 0.0);
        data.Add("pc", "vp", "8gaussians", 0.0);
        data.Add("pc", "ve", "full", 0.0);
        data.Add("pc_em", "vp-cosine", "8gaussians", 0.0);
        data.Add("pc_em2", "subvp", "full", 0.0);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void DeviceSolverMatchesItsCpuTwin(string solverName, string sdeName, string dataName, double lambda)
    {
        var (solver, stochastic) = Solver(solverName);
        var sde = Sde(sdeName);
        var mixture = Data(dataName);
        var problem = SamplingProblem.Reverse(sde, new NoisedMixtureScore(mixture, sde.Kernel!), lambda);
        var steps = stochastic || lambda > 0 ? 100 : 40;
        var grid = TimeGrid.Uniform(sde.T, 1e-3, steps);
        var x = new Batch(Particles, mixture.Dimension);
        sde.Prior(mixture.Dimension).Sample(x, new NoiseSource(11), 0);
        var options = new SolveOptions { Noise = new NoiseSource(2024), FirstParticle = 4_294_967_290L, Threads = 1, ChunkSize = 16 };

        var cpu = x.Clone();
        var cpuSolution = solver.Solve(problem, cpu, grid, options);
        var gpu = x.Clone();
        var gpuSolution = new GpuSolver(fixture.Device, solver).Solve(problem, gpu, grid, options);

        Assert.True(cpuSolution.IsSuccess, cpuSolution.Message);
        Assert.True(gpuSolution.IsSuccess, gpuSolution.Message);
        Assert.Equal(cpuSolution.Statistics, gpuSolution.Statistics);
        var tolerance = stochastic || lambda > 0 ? 1e-10 : 1e-12;
        var worst = 0.0;
        for (var i = 0; i < Particles; i++)
        {
            var scale = 1.0;
            for (var d = 0; d < mixture.Dimension; d++) scale = Math.Max(scale, Math.Abs(cpu[i, d]));
            for (var d = 0; d < mixture.Dimension; d++) worst = Math.Max(worst, Math.Abs(gpu[i, d] - cpu[i, d]) / scale);
        }
        Assert.True(worst <= tolerance, $"{solverName} on {sdeName}/{dataName}, l = {lambda}: largest relative difference {worst:E3} > {tolerance:E0}");
    }

    private static (ISolver Solver, bool Stochastic) Solver(string name) => name switch
    {
        "euler_maruyama" => (new EulerMaruyama(), true),
        "euler" => (new ExplicitRungeKutta(Tableau.Euler), false),
        "heun" => (new ExplicitRungeKutta(Tableau.Heun), false),
        "rk4" => (new ExplicitRungeKutta(Tableau.RungeKutta4), false),
        "ddim" => (new Ddim(0), false),
        "ddim_eta" => (new Ddim(0.6), true),
        "ddpm" => (new DdpmAncestral(0), true),
        "ddpm_beta" => (new DdpmAncestral(0.3), true),
        "stochastic_heun" => (new StochasticHeun(), true),
        "dpm_solver_2" => (new DpmSolver2(), false),
        "edm" => (new EdmHeun(), false),
        "edm_churn" => (new EdmHeun(new Churn(20, 0.05, 5, 1.007)), true),
        "ald" => (new AnnealedLangevin(3e-5, 3), true),
        "pc" => (new PredictorCorrector(PredictorKind.ReverseDiffusion, 1, 0.16), true),
        "pc_em" => (new PredictorCorrector(PredictorKind.EulerMaruyama, 1, 0.12), true),
        "pc_em2" => (new PredictorCorrector(PredictorKind.EulerMaruyama, 2, 0.2), true),
        _ => throw new ArgumentException(name),
    };

    private static ISde Sde(string name) => name switch
    {
        "vp" => VpSde.Linear(0.2, 18.0),
        "ve" => new VeSde(0.02, 8.0),
        "vp-cosine" => VpSde.Cosine(0.01, 500.0),
        "subvp" => SubVpSde.Linear(0.15, 19.0),
        "flow" => AffineSde.FlowMatching(0.995),
        _ => throw new ArgumentException(name),
    };

    private static GaussianMixture Data(string name)
    {
        if (name == "8gaussians") return ToyData.EightGaussians();
        // K = 3 full-covariance components in D = 5 with unequal weights: Σ_k = B_k B_kᵀ + 0.1 I.
        const int d = 5;
        var noise = new NoiseSource(99);
        var means = new double[3][];
        var covariances = new double[3][,];
        for (var k = 0; k < 3; k++)
        {
            means[k] = new double[d];
            var b = new double[d * d];
            noise.FillGaussian((uint)k, 0, b);
            noise.FillGaussian((uint)k, 1, means[k]);
            covariances[k] = new double[d, d];
            for (var i = 0; i < d; i++)
                for (var j = 0; j < d; j++)
                {
                    var s = i == j ? 0.1 : 0.0;
                    for (var l = 0; l < d; l++) s += 0.3 * b[i * d + l] * b[j * d + l];
                    covariances[k][i, j] = s;
                }
        }
        return new GaussianMixture([0.5, 0.3, 0.2], means, covariances);
    }
}
