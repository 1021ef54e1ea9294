using Diffusion.Research.Nn.Autodiff;
using Diffusion.Research.Nn.Models;
using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;
using Diffusion.Research.Scores;
using Diffusion.Research.Sde;
using Diffusion.Research.Solvers;

namespace Diffusion.Research.Gpu.Tests;

/// <summary>The device MLP score (forward pass of MlpScoreModel) inside the fused kernels against the CPU twins.</summary>
public sealed class MlpTwinTests(EmulatedDevice fixture) : IClassFixture<EmulatedDevice>
{
    // Widths: the dense layers take outputs eight at a time, then one at a time: 24 is blocks only, 20 and 13 blocks and a
    // tail, and the output layer (D = 3) a tail only.
    [Theory]
    [InlineData("euler_maruyama", Activation.Silu, false, Prediction.Epsilon, 1.0, 24)]
    [InlineData("heun", Activation.Tanh, true, Prediction.Data, 0.0, 20)]
    [InlineData("ddim", Activation.Softplus, false, Prediction.Score, 0.0, 13)]
    [InlineData("edm", Activation.Silu, true, Prediction.Epsilon, 0.0, 24)]
    public void DeviceMlpMatchesTheCpu(string solverName, Activation activation, bool residual, Prediction output, double lambda, int width)
    {
        var sde = VpSde.Linear(0.2, 18.0);
        var options = new ModelOptions { Width = width, HiddenLayers = 3, Activation = activation, Residual = residual, Output = output, Seed = 17, EmbeddingFrequencies = 8 };
        var model = new MlpScoreModel(3, options, sde);
        ISolver solver = solverName switch
        {
            "euler_maruyama" => new EulerMaruyama(),
            "heun" => new ExplicitRungeKutta(Tableau.Heun),
            "ddim" => new Ddim(0),
            _ => new EdmHeun(),
        };
        var stochastic = lambda > 0;
        var problem = SamplingProblem.Reverse(sde, model, lambda);
        var grid = TimeGrid.Uniform(sde.T, 1e-3, stochastic ? 100 : 30);
        var x = new Batch(32, 3);
        sde.Prior(3).Sample(x, new NoiseSource(4), 0);
        var options2 = new SolveOptions { Noise = new NoiseSource(9), FirstParticle = 100 };
        var cpu = x.Clone();
        Assert.True(solver.Solve(problem, cpu, grid, options2).IsSuccess);
        var gpu = x.Clone();
        Assert.True(new GpuSolver(fixture.Device, solver).Solve(problem, gpu, grid, options2).IsSuccess);
        var worst = 0.0;
        for (var i = 0; i < x.Count; i++)
        {
            var scale = 1.0;
            for (var d = 0; d < 3; d++) scale = Math.Max(scale, Math.Abs(cpu[i, d]));
            for (var d = 0; d < 3; d++) worst = Math.Max(worst, Math.Abs(gpu[i, d] - cpu[i, d]) / scale);
        }
        var tolerance = stochastic ? 1e-10 : 1e-12;
        Assert.True(worst <= tolerance, $"{solverName} with an MLP ({activation}, residual {residual}, {output}, width {width}): {worst:E3} > {tolerance:E0}");
    }
}
