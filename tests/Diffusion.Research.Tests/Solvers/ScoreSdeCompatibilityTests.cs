using Diffusion.Research.Data;
using Diffusion.Research.Kernels;
using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;
using Diffusion.Research.Scores;
using Diffusion.Research.Sde;
using Diffusion.Research.Solvers;

namespace Diffusion.Research.Tests.Solvers;

/// <summary>The score_sde conventions as named options of the PC sampler: corrector first, discrete VP betas.</summary>
public class ScoreSdeCompatibilityTests
{
    private static readonly VpSde Vp = VpSde.Linear(0.1, 20);

    private static SamplingProblem Problem(ISde sde) => SamplingProblem.Reverse(sde, new ExactNoisedScore(ToyData.EightGaussians(), sde.Kernel!), 1.0);

    [Fact]
    public void DiscreteBetasTakeBetaIFromTheScoreSdeTable()
    {
        // score_sde VPSDE.discretize: beta = linspace(0.1/N, 20/N, N)[floor(t (N - 1))]; reverse diffusion
        // x_mean = x - (sqrt(1 - beta) x - x) + beta s, x = x_mean + sqrt(beta) z (Song et al. 2021 eq 46).
        const int n = 1000;
        double t = 0.7, s = 0.6;
        var x = new Batch([0.8, -1.7], 1, 2);
        var score = new Batch(1, 2);
        Problem(Vp).Score!.Score(t, x, score);
        var z = new double[2];
        new NoiseSource(3).FillGaussian(0, 0, z);
        var beta = 0.1 / n + (20.0 / n - 0.1 / n) * Math.Floor(t * (n - 1)) / (n - 1);
        var expected = new double[2];
        for (var d = 0; d < 2; d++) expected[d] = (2 - Math.Sqrt(1 - beta)) * x.Values[d] + beta * score.Values[d] + Math.Sqrt(beta) * z[d];
        var pc = new PredictorCorrector(PredictorKind.ReverseDiffusion, 0, 0.16, null, correctorFirst: false, discreteBetas: n);
        Assert.True(pc.Solve(Problem(Vp), x, new TimeGrid([t, s]), new SolveOptions().WithNoise(new NoiseSource(3))).IsSuccess);
        Assert.Equal(expected[0], x.Values[0], 1e-14);
        Assert.Equal(expected[1], x.Values[1], 1e-14);
        // The continuous kernel gives another step (the two conventions differ at O(dt) per step).
        var y = new Batch([0.8, -1.7], 1, 2);
        new PredictorCorrector(PredictorKind.ReverseDiffusion, 0).Solve(Problem(Vp), y, new TimeGrid([t, s]), new SolveOptions().WithNoise(new NoiseSource(3)));
        Assert.True(Math.Abs(y.Values[0] - x.Values[0]) > 1e-3);
    }

    [Fact]
    public void DiscreteBetasRefuseOtherSdes()
    {
        var pc = new PredictorCorrector(PredictorKind.ReverseDiffusion, 1, 0.16, null, discreteBetas: 1000);
        var e = Assert.Throws<ArgumentException>(() => pc.Solve(Problem(new VeSde()), new Batch(4, 2), new TimeGrid([1.0, 0.5]), new SolveOptions()));
        Assert.Contains("linear VP", e.Message);
    }

    [Fact]
    public void CorrectorFirstRunsTheLangevinUpdateAtTiBeforeThePredictor()
    {
        // score_sde pc_sampler: x <- corrector(x, t_i); x <- predictor(x, t_i -> t_{i+1}). One particle, one step.
        double t = 0.8, s = 0.65;
        var problem = Problem(Vp);
        var kernel = Vp.Kernel!;
        var x = new Batch([1.1, -0.4], 1, 2);
        var expected = x.Clone();
        var score = new Batch(1, 2);
        var z1 = new double[2];
        var z0 = new double[2];
        var noise = new NoiseSource(9);
        noise.FillGaussian(1, 0, z1); // corrector update k = 1 of step 0: stream (1 + M) 0 + 1
        noise.FillGaussian(0, 0, z0); // predictor of step 0: stream 0
        problem.Score!.Score(t, expected, score);
        var between = kernel.Between(s, t);
        var eps = 2 * between.Alpha * between.Alpha * Math.Pow(0.16 * Math.Sqrt(z1[0] * z1[0] + z1[1] * z1[1]) / Math.Sqrt(score.Values[0] * score.Values[0] + score.Values[1] * score.Values[1]), 2);
        for (var d = 0; d < 2; d++) expected.Values[d] += eps * score.Values[d] + Math.Sqrt(2 * eps) * z1[d]; // Song et al. 2021 Alg. 5
        problem.Score.Score(t, expected, score);
        for (var d = 0; d < 2; d++)
            expected.Values[d] = (2 - between.Alpha) * expected.Values[d] + between.Variance * score.Values[d] + between.Sigma * z0[d];
        var pc = SolverRegistry.CreateDefault().Create("pc", new Dictionary<string, double> { ["corrector_first"] = 1 });
        Assert.True(pc.Solve(problem, x, new TimeGrid([t, s]), new SolveOptions().WithNoise(noise)).IsSuccess);
        Assert.Equal(expected.Values[0], x.Values[0], 1e-12);
        Assert.Equal(expected.Values[1], x.Values[1], 1e-12);
    }

    [Fact]
    public void AncestralSamplingWithDiscreteBetasIsScoreSdesVpUpdate()
    {
        // score_sde AncestralSamplingPredictor (VP): x_mean = (x + beta s)/sqrt(1 - beta), x = x_mean + sqrt(beta) z.
        const int n = 1000;
        double t = 0.43, s = 0.31;
        var x = new Batch([-0.6, 1.9], 1, 2);
        var score = new Batch(1, 2);
        Problem(Vp).Score!.Score(t, x, score);
        var z = new double[2];
        new NoiseSource(5).FillGaussian(0, 0, z);
        var beta = 0.1 / n + (20.0 / n - 0.1 / n) * Math.Floor(t * (n - 1)) / (n - 1);
        var expected = new double[2];
        for (var d = 0; d < 2; d++) expected[d] = (x.Values[d] + beta * score.Values[d]) / Math.Sqrt(1 - beta) + Math.Sqrt(beta) * z[d];
        var ddpm = SolverRegistry.CreateDefault().Create("ddpm", new Dictionary<string, double> { ["discrete_betas"] = n });
        Assert.True(ddpm.Solve(Problem(Vp), x, new TimeGrid([t, s]), new SolveOptions().WithNoise(new NoiseSource(5))).IsSuccess);
        Assert.Equal(expected[0], x.Values[0], 1e-14);
        Assert.Equal(expected[1], x.Values[1], 1e-14);
        Assert.Throws<ArgumentException>(() => ddpm.Solve(Problem(new VeSde()), new Batch(4, 2), new TimeGrid([1.0, 0.5]), new SolveOptions()));
    }
}
