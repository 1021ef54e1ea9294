using Diffusion.Research.Data;
using Diffusion.Research.Exact;
using Diffusion.Research.Sampling;
using Diffusion.Research.Scores;
using Diffusion.Research.Sde;

namespace Diffusion.Research.Experiments.Backend;

/// <summary>
/// The exact output laws of a cell's sampler on Gaussian data, shared by the <see cref="ExactLawMetric"/>s of a cell
/// (computed once per cell: the cache is keyed by the cell's time grid object). The problem is written in the
/// eigenbasis of the data covariance, where the reverse family of a linear SDE with scalar diffusion and isotropic
/// prior acts on each coordinate separately, and measured by <see cref="AffineResponse.MeasureDiagonal"/>
/// (2 + S probe particles, S = the noise streams). KL and W2 are invariant under the rotation, so the distances
/// equal those of the problem in the data's own coordinates. Two laws: <see cref="Laws.Sampled"/>, from the SDE's
/// prior as the sampler runs, against the data law; <see cref="Laws.Discretised"/>, from the exact p_T, against the
/// exact p_{t_end}: the solver's discretisation error alone (no prior mismatch, no t_eps bias).
/// </summary>
public sealed class ExactSolverLaw
{
    private readonly object _gate = new();
    private TimeGrid? _grid;
    private Laws? _laws;

    /// <summary>The four laws of one cell.</summary>
    /// <param name="Sampled">Output law from the SDE prior.</param>
    /// <param name="Data">The data law.</param>
    /// <param name="Discretised">Output law from the exact p_T.</param>
    /// <param name="Marginal">The exact p at the grid's end time.</param>
    public sealed record Laws(GaussianLaw Sampled, GaussianLaw Data, GaussianLaw Discretised, GaussianLaw Marginal);

    /// <summary>Throws <see cref="ArgumentException"/> (ParamName a dotted key) when the exact law is not available for the cell.</summary>
    public static void Check(ModelMetricInput input, string metric)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.ModelKind != "exact")
            throw new ArgumentException($"metric '{metric}' is the exact output law of the sampler with the exact score: it needs model.kind exact, got '{input.ModelKind}'.", "eval.metrics");
        if (Eigenbasis(input.Data) is null)
            throw new ArgumentException($"metric '{metric}' needs Gaussian data (data.name gaussian or gaussian_spectrum).", "eval.metrics");
        if (input.Sde.Kernel is null)
            throw new ArgumentException($"metric '{metric}' needs an SDE with a closed-form kernel.", "eval.metrics");
        if (input.Sde.Prior(input.Data.Dimension) is not Gaussian { IsIsotropic: true })
            throw new ArgumentException($"metric '{metric}' needs an SDE whose prior is isotropic Gaussian.", "eval.metrics");
        if (input.Solver is { Traits.IsAdaptive: true })
            throw new ArgumentException($"metric '{metric}': adaptive solvers choose their steps from the batch, so their exact law holds only for the probe batch's step sequence (use AffineResponse directly); use a fixed-step solver.", "sampler.solver");
        // The corrector's step averages norms over the batch (PredictorCorrector): a particle's output depends on the
        // whole batch, so it has no per-particle law. Said here; the affinity defect of Compute remains the backstop for
        // any other sampler that couples its particles.
        if (input.Solver is Solvers.PredictorCorrector)
            throw new ArgumentException($"metric '{metric}': pc and pc_em scale the corrector step by norms averaged over the batch (score_sde), so a particle's output depends on the whole batch and has no exact per-particle law; use another fixed-step solver.", "sampler.solver");
    }

    /// <summary>The laws of the cell (cached for the cell's grid).</summary>
    public Laws Get(ModelMetricInput input, string metric)
    {
        Check(input, metric);
        var grid = input.Grid ?? throw new ArgumentException("no time grid", nameof(input));
        lock (_gate)
        {
            if (ReferenceEquals(grid, _grid) && _laws is not null) return _laws;
            _laws = Compute(input, grid);
            _grid = grid;
            return _laws;
        }
    }

    private static Laws Compute(ModelMetricInput input, TimeGrid grid)
    {
        var eigen = Eigenbasis(input.Data)!;
        var kernel = input.Sde.Kernel!;
        var d = eigen.Dimension;
        var problem = SamplingProblem.Reverse(input.Sde, new ExactNoisedScore(eigen, kernel), input.Lambda);
        var map = AffineResponse.MeasureDiagonal(input.Solver!, problem, grid, d, new SolveOptions().WithThreads(input.Threads));
        // 1e-8: rounding of a 1000-step solve stays far below; batch-coupled samplers (pc, pc_em) are far above.
        if (!(map.AffinityDefect < 1e-8))
            throw new InvalidOperationException($"the solver is not an affine map of its start and noise on this problem (defect {map.AffinityDefect:G3}); batch-coupled samplers such as pc have no per-particle exact law.");
        var mean = eigen.Mean;
        var lambda = eigen.Eigenvalues;
        var data = GaussianLaw.Diagonal(mean, lambda);
        var sampled = map.Push(GaussianLaw.Isotropic(d, PriorVariance(input.Sde, d)!.Value));
        return new Laws(sampled, data, map.Push(Marginal(mean, lambda, kernel.Alpha(grid.Start), kernel.Sigma(grid.Start))),
            Marginal(mean, lambda, kernel.Alpha(grid.End), kernel.Sigma(grid.End)));
    }

    // p_t = N(α m, α² λ + σ²) per eigen-direction (003 §4.4, Lemma 4.4.1; Kingma et al. 2021).
    private static GaussianLaw Marginal(double[] mean, double[] lambda, double alpha, double sigma)
    {
        var m = new double[mean.Length];
        var v = new double[mean.Length];
        for (var j = 0; j < m.Length; j++)
        {
            m[j] = alpha * mean[j];
            v[j] = alpha * alpha * lambda[j] + sigma * sigma;
        }
        return GaussianLaw.Diagonal(m, v);
    }

    private static double? PriorVariance(ISde sde, int d) =>
        sde.Prior(d) is Gaussian { IsIsotropic: true } g ? g.Covariance[0, 0] : null; // isotropic: no D x D factor stored, the matrix is built once here

    // The data law as N(Uᵀ μ, diag λ).
    private static SpectralGaussian? Eigenbasis(IDataSet data)
    {
        switch (data)
        {
            case SpectralGaussian s:
                return s.InEigenbasis();
            case Gaussian g:
                return FromMixture(g.AsMixture);
            case GaussianMixture { Components: 1 } m:
                return FromMixture(m);
            default:
                return null;
        }
    }

    private static SpectralGaussian FromMixture(GaussianMixture m)
    {
        if (!m.IsIsotropic) return SpectralGaussian.FromCovariance(m.Mean(0), m.Covariance(0)).InEigenbasis();
        var v = new double[m.Dimension];
        Array.Fill(v, m.Covariance(0)[0, 0]);
        return new SpectralGaussian(m.Mean(0), v);
    }
}
