using Diffusion.Research.Data;
using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;
using Diffusion.Research.Scores;
using Diffusion.Research.Solvers;

namespace Diffusion.Research.Tests.Solvers;

/// <summary>
/// Adaptive DPM-Solver-12/23 (Lu et al. 2022 Alg. 4/5): on Gaussian data (exact PF-ODE flow known, see
/// <see cref="SamplerOrderTests"/>) the error falls and the NFE grows as the tolerance tightens, and the error stays within
/// a small multiple of the tolerance. Agreement with dpm_solver_pytorch's <c>dpm_solver_adaptive</c> is in
/// <see cref="GoldenSamplerTests"/> (cases <c>*-adaptive-*</c>).
/// </summary>
public class AdaptiveDpmSolverTests
{
    private static readonly double[] Mu = [1.0, -2.0];
    private const double S0 = 0.5;

    [Theory]
    [InlineData(2, "vp")]
    [InlineData(3, "vp")]
    [InlineData(2, "ve")]
    [InlineData(3, "ve")]
    public void ErrorFollowsTheTolerance(int order, string sdeName)
    {
        var sde = SamplerQualityTests.Sde(sdeName);
        var kernel = sde.Kernel!;
        var data = GaussianMixture.Isotropic([1.0], [Mu], [S0 * S0]);
        const double start = 1.0, end = 1e-2;
        double Bar(double t) => Math.Sqrt(kernel.Alpha(t) * kernel.Alpha(t) * S0 * S0 + kernel.Sigma(t) * kernel.Sigma(t));
        double[] x0 = [0.3, -0.7, 2.0, 1.5];
        var errors = new List<double>();
        var nfes = new List<long>();
        foreach (var tol in new[] { 1e-3, 1e-5, 1e-7 })
        {
            var x = new Batch((double[])x0.Clone(), 2, 2);
            var problem = SamplingProblem.Reverse(sde, new ExactNoisedScore(data, kernel), 0.0);
            var solution = new AdaptiveDpmSolver(order, ModelPrediction.Noise).Solve(problem, x, TimeGrid.Uniform(start, end, 1), new SolveOptions().WithTolerances(tol, tol));
            Assert.True(solution.IsSuccess, solution.Message);
            var error = 0.0;
            for (var i = 0; i < x0.Length; i++)
            {
                var mu = Mu[i % 2];
                var exact = kernel.Alpha(end) * mu + Bar(end) / Bar(start) * (x0[i] - kernel.Alpha(start) * mu);
                error = Math.Max(error, Math.Abs(x.Values[i] - exact));
            }
            errors.Add(error);
            nfes.Add(solution.Statistics.Nfe);
            Assert.True(error < 100 * tol, $"tol {tol}: error {error}");
        }
        Assert.True(errors[0] > errors[1] && errors[1] > errors[2], string.Join(", ", errors));
        Assert.True(nfes[0] < nfes[1] && nfes[1] < nfes[2], string.Join(", ", nfes));
    }

    /// <summary>
    /// The stopping rule is strict, as in Lu et al. 2022 Alg. 4/5 and dpm_solver_pytorch (`while |s − t_0| > t_err`):
    /// an interval of exactly t_err (0.5, exact in binary) is already finished and takes no step; one just longer takes steps.
    /// </summary>
    [Fact]
    public void AnIntervalOfExactlyTheTimeToleranceTakesNoStep()
    {
        var sde = SamplerQualityTests.Sde("vp");
        var data = GaussianMixture.Isotropic([1.0], [Mu], [S0 * S0]);
        var problem = SamplingProblem.Reverse(sde, new ExactNoisedScore(data, sde.Kernel!), 0.0);
        double[] x0 = [0.3, -0.7];
        var x = new Batch((double[])x0.Clone(), 1, 2);
        var solver = new AdaptiveDpmSolver(2, ModelPrediction.Data, tErr: 0.5);
        var solution = solver.Solve(problem, x, TimeGrid.Uniform(0.75, 0.25, 1), new SolveOptions());
        Assert.True(solution.IsSuccess, solution.Message);
        Assert.Equal(0, solution.Statistics.Nfe);
        Assert.Equal(x0, x.Values.ToArray());
        Assert.True(solver.Solve(problem, x, TimeGrid.Uniform(0.75, 0.2, 1), new SolveOptions()).Statistics.Nfe > 0);
    }
}
