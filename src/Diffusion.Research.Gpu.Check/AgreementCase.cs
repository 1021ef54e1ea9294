using Diffusion.Research.Data;
using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;
using Diffusion.Research.Scores;
using Diffusion.Research.Sde;
using Diffusion.Research.Solvers;

namespace Diffusion.Research.Gpu.Check;

/// <summary>
/// One GPU-vs-CPU agreement case of the device check. Its solver, SDE and data factories are also compiled into
/// tests/Diffusion.Research.Gpu.Tests (a linked source file), so the check and the twin tests build the same cases.
/// </summary>
internal sealed record AgreementCase(string Solver, string Sde, string Data, double Lambda)
{
    // Data names of the MLP cases: an MlpScoreModel (random weights, D = 3) on the group kernel with tiled dense layers or
    // one thread per particle. On CUDA these check what the CPU accelerator cannot: the group kernel's barriers and
    // shared memory on real hardware.
    private const string TiledMlp = "mlp-tiled", PerParticleMlp = "mlp-per-particle";

    public static IReadOnlyList<AgreementCase> All()
    {
        var cases = new List<AgreementCase>();
        foreach (var sde in new[] { "vp", "ve", "vp-cosine", "subvp", "flow" })
        {
            cases.Add(new("euler_maruyama", sde, "8gaussians", 1.0));
            cases.Add(new("heun", sde, "full", 0.0));
        }
        cases.Add(new("euler_maruyama", "ve", "full", 0.7));
        cases.Add(new("euler", "vp", "8gaussians", 0.0));
        cases.Add(new("rk4", "vp", "full", 0.0));
        cases.Add(new("ddim", "vp", "8gaussians", 0.0));
        cases.Add(new("ddim_eta", "vp", "full", 0.0));
        cases.Add(new("ddpm", "ve", "full", 0.0));
        cases.Add(new("stochastic_heun", "vp", "8gaussians", 1.0));
        cases.Add(new("dpm_solver_2", "vp", "8gaussians", 0.0));
        cases.Add(new("edm", "vp", "full", 0.0));
        cases.Add(new("edm_churn", "ve", "full", 0.0));
        cases.Add(new("ald", "ve", "8gaussians", 0.0));
        cases.Add(new("pc", "vp", "full", 0.0));
        cases.Add(new("euler_maruyama", "vp", "isotropic2", 1.0)); // the two-dimensional score path at unequal variances
        cases.Add(new("heun", "ve", "isotropic2", 0.0));
        cases.Add(new("euler_maruyama", "vp", TiledMlp, 1.0));
        cases.Add(new("euler_maruyama", "vp", PerParticleMlp, 1.0));
        cases.Add(new("heun", "vp", TiledMlp, 0.0));
        cases.Add(new("edm_churn", "ve", TiledMlp, 0.0));
        cases.Add(new("ddim_eta", "subvp", TiledMlp, 0.0));
        cases.Add(new("pc", "vp", TiledMlp, 0.0));
        return cases;
    }

    public bool IsStochastic => Solver is "euler_maruyama" or "stochastic_heun" or "ddim_eta" or "ddpm" or "edm_churn" or "ald" or "pc" && !(Solver == "euler_maruyama" && Lambda == 0);

    public double Tolerance => IsStochastic ? 1e-10 : 1e-12;

    /// <summary>Largest relative difference per particle between the device and the CPU twin (N particles, 100 or 40 steps).</summary>
    public double Run(DeviceContext device, int particles)
    {
        var solver = CreateSolver(Solver);
        var sde = CreateSde(Sde);
        var mlp = Data is TiledMlp or PerParticleMlp;
        var dimension = mlp ? 3 : CreateData(Data).Dimension;
        IScoreModel score = mlp
            ? new Nn.Models.MlpScoreModel(dimension, new Nn.Models.ModelOptions { Width = 36, HiddenLayers = 3, Residual = Solver == "heun", Seed = 31, EmbeddingFrequencies = 8 }, sde.Kernel)
            : new ExactNoisedScore(CreateData(Data), sde.Kernel!);
        var problem = SamplingProblem.Reverse(sde, score, Lambda);
        var grid = TimeGrid.Uniform(sde.T, 1e-3, IsStochastic ? 100 : 40);
        var x = new Batch(particles, dimension);
        sde.Prior(dimension).Sample(x, new NoiseSource(11), 0);
        var options = new SolveOptions { Noise = new NoiseSource(2024), FirstParticle = 4_294_967_290L };
        var cpu = x.Clone();
        var a = solver.Solve(problem, cpu, grid, options);
        var gpu = x.Clone();
        var b = new GpuSolver(device, solver) { TiledMlp = mlp ? Data == TiledMlp : null }.Solve(problem, gpu, grid, options);
        if (!a.IsSuccess || !b.IsSuccess) return double.PositiveInfinity;
        var worst = 0.0;
        for (var i = 0; i < particles; i++)
        {
            var scale = 1.0;
            for (var d = 0; d < dimension; d++) scale = Math.Max(scale, Math.Abs(cpu[i, d]));
            for (var d = 0; d < dimension; d++) worst = Math.Max(worst, Math.Abs(gpu[i, d] - cpu[i, d]) / scale);
        }
        return worst;
    }

    /// <summary>The solver named in the cases (and the twin tests).</summary>
    public static ISolver CreateSolver(string name) => name switch
    {
        "euler_maruyama" => new EulerMaruyama(),
        "euler" => new ExplicitRungeKutta(Tableau.Euler),
        "heun" => new ExplicitRungeKutta(Tableau.Heun),
        "rk4" => new ExplicitRungeKutta(Tableau.RungeKutta4),
        "ddim" => new Ddim(0),
        "ddim_eta" => new Ddim(0.6),
        "stochastic_heun" => new StochasticHeun(),
        "dpm_solver_2" => new DpmSolver2(),
        "edm" => new EdmHeun(),
        "edm_churn" => new EdmHeun(new Churn(20, 0.05, 5, 1.007)),
        "ald" => new AnnealedLangevin(3e-5, 3),
        "pc" => new PredictorCorrector(PredictorKind.ReverseDiffusion, 1, 0.16),
        "pc_em" => new PredictorCorrector(PredictorKind.EulerMaruyama, 1, 0.12),
        "pc_em2" => new PredictorCorrector(PredictorKind.EulerMaruyama, 2, 0.2),
        "ddpm" => new DdpmAncestral(0),
        "ddpm_beta" => new DdpmAncestral(0.3),
        _ => throw new ArgumentException(name),
    };

    /// <summary>The SDE named in the cases, at non-default parameters.</summary>
    public static ISde CreateSde(string name) => name switch
    {
        "vp" => VpSde.Linear(0.2, 18.0),
        "ve" => new VeSde(0.02, 8.0),
        "vp-cosine" => VpSde.Cosine(0.01, 500.0),
        "subvp" => SubVpSde.Linear(0.15, 19.0),
        "flow" => AffineSde.FlowMatching(0.995),
        "vp-discrete" => VpSde.Discrete(DiscreteBetaSchedule.Linear(250, 3e-4, 0.075), "discrete-linear(250, 0.0003, 0.075)"),
        _ => throw new ArgumentException(name),
    };

    /// <summary>"8gaussians"; "full": K = 3 full-covariance components in D = 5 (odd, so the last Gaussian pair is half
    /// used) with unequal weights, Σ_k = 0.3 B_k B_kᵀ + 0.1 I; "wide": the same in D = 16; "mixed", "isotropic3" and "isotropic2" (below).</summary>
    public static GaussianMixture CreateData(string name) => name switch
    {
        "8gaussians" => ToyData.EightGaussians(),
        "full" => FullCovariance(5),
        // At the kernels' largest dimension (DeviceLimits.MaxDimension): a loop one past a vector leaves the per-thread arrays.
        "wide" => FullCovariance(16),
        // A full-covariance component, then an isotropic one (the rotated path with an identity basis, written last).
        "mixed" => new GaussianMixture([0.6, 0.4], [[0.5, -1.0, 0.25], [-0.75, 0.5, 1.0]],
            [new[,] { { 0.8, 0.2, -0.1 }, { 0.2, 0.5, 0.05 }, { -0.1, 0.05, 0.4 } }, Isotropic(3, 0.3)]),
        // Isotropic components (the isotropic path) in odd D: the loops over coordinates two at a time end on a single one.
        "isotropic3" => new GaussianMixture([0.15, 0.35, 0.5], [[1.0, -0.5, 0.25], [-1.25, 0.75, 0.5], [0.25, 1.5, -1.0]],
            [Isotropic(3, 0.2), Isotropic(3, 0.45), Isotropic(3, 0.3)]),
        // Isotropic components in D = 2 (the two-dimensional register path) with unequal weights and variances.
        "isotropic2" => new GaussianMixture([0.1, 0.25, 0.4, 0.15, 0.1], [[1.5, -0.5], [-1.25, 0.75], [0.25, 1.5], [-0.5, -1.75], [2.0, 1.0]],
            [Isotropic(2, 0.2), Isotropic(2, 0.45), Isotropic(2, 0.3), Isotropic(2, 0.05), Isotropic(2, 0.7)]),
        _ => throw new ArgumentException(name),
    };

    private static double[,] Isotropic(int d, double variance)
    {
        var c = new double[d, d];
        for (var i = 0; i < d; i++) c[i, i] = variance;
        return c;
    }

    // Three components with covariances 0.1 I + 0.3 B Bᵀ (B Gaussian), Gaussian means, weights 0.5, 0.3, 0.2.
    private static GaussianMixture FullCovariance(int d)
    {
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
