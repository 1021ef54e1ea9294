using Diffusion.Research.Data;
using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;
using Diffusion.Research.Scores;
using Diffusion.Research.Sde;
using Diffusion.Research.Solvers;

using static Diffusion.Research.Tests.Contracts.Contract;

namespace Diffusion.Research.Tests.Contracts;

/// <summary>Every argument check of solvers/Diffusion.Research.Solvers/ExponentialIntegrators: the boundary, the parameter name and the message.</summary>
public class SolversExponentialIntegratorsContractTests
{
    private static readonly int[] BadOrders = [0, 4, -1, int.MinValue, int.MaxValue];
    private static readonly double[] NegativeOrNotFinite = [-0.37, -1e-300, double.NaN, double.PositiveInfinity, double.NegativeInfinity];

    [Fact]
    public void DpmSolverMultistep_constructor_checks_its_arguments()
    {
        Assert.Equal("name", Assert.Throws<ArgumentNullException>(() => new DpmSolverMultistep(null!, 2, ModelPrediction.Data)).ParamName);
        Assert.Equal("name", Assert.Throws<ArgumentException>(() => new DpmSolverMultistep(" ", 2, ModelPrediction.Data)).ParamName);
        foreach (var bad in BadOrders)
            Refused<ArgumentOutOfRangeException>("order", "order must be 1, 2 or 3.", () => new DpmSolverMultistep("m", bad, ModelPrediction.Data));
        Assert.Equal(1, new DpmSolverMultistep("m", 1, ModelPrediction.Noise).Order);
        Assert.Equal(3, new DpmSolverMultistep("m", 3, ModelPrediction.Noise).Order);
        foreach (var bad in NegativeOrNotFinite)
            Refused<ArgumentOutOfRangeException>("eta", "eta must be finite and >= 0.", () => new DpmSolverMultistep("m", 2, ModelPrediction.Data, eta: bad));
        Refused<ArgumentException>("eta", "The SDE variant (eta > 0) exists for data prediction (DPM-Solver++) only.",
            () => new DpmSolverMultistep("m", 2, ModelPrediction.Noise, eta: 0.37));
        Assert.Equal(0.0, new DpmSolverMultistep("m", 2, ModelPrediction.Noise, eta: 0).Eta);
        Assert.Equal(0.0, new DpmSolverMultistep("m", 2, ModelPrediction.Data, eta: 0).Eta);
        Assert.Equal(0.37, new DpmSolverMultistep("m", 2, ModelPrediction.Data, eta: 0.37).Eta);
        Assert.Equal(1e-300, new DpmSolverMultistep("m", 2, ModelPrediction.Data, eta: 1e-300).Eta);
    }

    [Fact]
    public void DeisLogRho_constructor_checks_the_order()
    {
        foreach (var bad in BadOrders)
            Refused<ArgumentOutOfRangeException>("order", "order must be 1, 2 or 3.", () => new DeisLogRho(bad));
        Assert.Equal(1, new DeisLogRho(1).Order);
        Assert.Equal(3, new DeisLogRho(3).Order);
    }

    [Fact]
    public void DeisTimeAdamsBashforth_constructor_checks_the_order()
    {
        foreach (var bad in BadOrders)
            Refused<ArgumentOutOfRangeException>("order", "order must be 1, 2 or 3.", () => new DeisTimeAdamsBashforth(bad));
        Assert.Equal(1, new DeisTimeAdamsBashforth(1).Order);
        Assert.Equal(3, new DeisTimeAdamsBashforth(3).Order);
    }

    [Fact]
    public void UniPc_constructor_checks_its_arguments()
    {
        Assert.Equal("name", Assert.Throws<ArgumentNullException>(() => new UniPc(null!, 2, UniPcVariant.Bh1)).ParamName);
        Assert.Equal("name", Assert.Throws<ArgumentException>(() => new UniPc("\t", 2, UniPcVariant.Bh1)).ParamName);
        foreach (var bad in BadOrders)
            Refused<ArgumentOutOfRangeException>("order", "order must be 1, 2 or 3.", () => new UniPc("u", bad, UniPcVariant.Bh2));
        Assert.Equal(1, new UniPc("u", 1, UniPcVariant.Bh2).Order);
        Assert.Equal(3, new UniPc("u", 3, UniPcVariant.Bh1).Order);
    }

    [Fact]
    public void DpmSolverSinglestep_constructor_checks_its_arguments()
    {
        Assert.Equal("name", Assert.Throws<ArgumentNullException>(() => new DpmSolverSinglestep(null!, 2, ModelPrediction.Data)).ParamName);
        Assert.Equal("name", Assert.Throws<ArgumentException>(() => new DpmSolverSinglestep("", 2, ModelPrediction.Data)).ParamName);
        foreach (var bad in BadOrders)
            Refused<ArgumentOutOfRangeException>("order", "order must be 1, 2 or 3.", () => new DpmSolverSinglestep("s", bad, ModelPrediction.Noise));
        Assert.Equal(1, new DpmSolverSinglestep("s", 1, ModelPrediction.Noise).Order);
        Assert.Equal(3, new DpmSolverSinglestep("s", 3, ModelPrediction.Data).Order);
    }

    [Fact]
    public void AdaptiveDpmSolver_constructor_checks_its_arguments()
    {
        foreach (var bad in new[] { 1, 4, 0, -2, int.MaxValue })
            Refused<ArgumentOutOfRangeException>("order", "order must be 2 or 3.", () => new AdaptiveDpmSolver(bad, ModelPrediction.Data));
        Assert.Equal(2, new AdaptiveDpmSolver(2, ModelPrediction.Data).Order);
        Assert.Equal(3, new AdaptiveDpmSolver(3, ModelPrediction.Noise).Order);
        foreach (var bad in new[] { 0.0, -0.37, double.NaN, double.PositiveInfinity, double.NegativeInfinity })
        {
            Refused<ArgumentOutOfRangeException>("hInit", "h_init must be finite and > 0.", () => new AdaptiveDpmSolver(2, ModelPrediction.Data, hInit: bad));
            Refused<ArgumentOutOfRangeException>("tErr", "t_err must be finite and > 0.", () => new AdaptiveDpmSolver(2, ModelPrediction.Data, tErr: bad));
        }
        foreach (var bad in new[] { 0.0, -0.37, 1.25, 1 + 1e-15, double.NaN, double.PositiveInfinity })
            Refused<ArgumentOutOfRangeException>("theta", "theta must lie in (0, 1].", () => new AdaptiveDpmSolver(2, ModelPrediction.Data, theta: bad));
        Assert.Equal(1e-300, new AdaptiveDpmSolver(2, ModelPrediction.Data, hInit: 1e-300).HInit);
        Assert.Equal(1e-300, new AdaptiveDpmSolver(2, ModelPrediction.Data, tErr: 1e-300).TErr);
        Assert.Equal(1.0, new AdaptiveDpmSolver(2, ModelPrediction.Data, theta: 1).Theta);
        Assert.Equal(1e-300, new AdaptiveDpmSolver(2, ModelPrediction.Data, theta: 1e-300).Theta);
    }

    [Fact]
    public void AdaptiveDpmSolver_refuses_save_times_it_cannot_land_on()
    {
        var solver = new AdaptiveDpmSolver(2, ModelPrediction.Data, hInit: 0.5, tErr: 1e-3);
        var problem = SamplingProblem.Reverse(Vp, new ExactNoisedScore(ToyData.EightGaussians(), Vp.Kernel!), 0);
        var grid = TimeGrid.Uniform(1, 0.25, 3);
        var x = new Batch(3, 2);
        Vp.Prior(2).Sample(x, new NoiseSource(5), 0);
        var options = new SolveOptions().WithSaveAt(SaveAt.AtTimes([0.5], [new Batch(3, 2)]));
        Refused<ArgumentException>("options", "dpm_solver_adaptive steps in lambda and cannot land on given times; save with SaveAt.EverySteps.",
            () => solver.Solve(problem, x, grid, options));
        Assert.Equal(SolveStatus.Success, solver.Solve(problem, x, grid, new SolveOptions()).Status);
    }
}
