using Diffusion.Research.Data;
using Diffusion.Research.Kernels;
using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;
using Diffusion.Research.Scores;
using Diffusion.Research.Sde;
using Diffusion.Research.Solvers;

namespace Diffusion.Research.Tests.Solvers;

/// <summary>The grids and grid conventions of issue 10: time-quadratic, (poly)exponential in σ̂, and the σ = 0 end rule.</summary>
public class LowNfeGridTests
{
    [Fact]
    public void TimeQuadraticGridIsUniformInSqrtT()
    {
        var kernel = VpSde.Linear().Kernel!;
        var grid = TimeQuadraticGrid.Create(kernel, 7, 0.9, 2e-3);
        Assert.Equal(0.9, grid.Start);
        Assert.Equal(2e-3, grid.End);
        var gap = Math.Sqrt(0.9) - Math.Sqrt(grid[1]);
        for (var i = 1; i <= 7; i++) Assert.Equal(gap, Math.Sqrt(grid[i - 1]) - Math.Sqrt(grid[i]), 1e-12);
    }

    [Theory]
    [InlineData("vp")]
    [InlineData("ve")]
    public void ExponentialGridIsTheLogSnrGridAndPolyExponentialFollowsItsFormula(string sdeName)
    {
        var kernel = SamplerQualityTests.Sde(sdeName).Kernel!;
        var exponential = PolyExponentialGrid.Create(kernel, 9, 1.0, 1e-3);
        var logSnr = LogSnrGrid.Create(kernel, 9, 1.0, 1e-3);
        for (var i = 0; i <= 9; i++) Assert.Equal(logSnr[i], exponential[i], 1e-9);
        const double rho = 2.5;
        var poly = PolyExponentialGrid.Create(kernel, 9, 1.0, 1e-3, rho);
        double LogSigmaHat(double t) => Math.Log(kernel.Sigma(t) / kernel.Alpha(t));
        double hi = LogSigmaHat(1.0), lo = LogSigmaHat(1e-3);
        for (var i = 1; i < 9; i++)
            Assert.Equal(lo + Math.Pow(1 - i / 9.0, rho) * (hi - lo), LogSigmaHat(poly[i]), 1e-9); // k-diffusion get_sigmas_polyexponential
    }

    [Fact]
    public void ScheduleRegistryBuildsTheNewGrids()
    {
        var sde = VpSde.Linear();
        var registry = ScheduleRegistry.CreateDefault();
        Assert.Equal(TimeQuadraticGrid.Create(sde.Kernel!, 6, 1.0, 1e-3).Times.ToArray(), registry.Create("time_quadratic").Create(sde, 1e-3, 6).Times.ToArray());
        Assert.Equal(PolyExponentialGrid.Create(sde.Kernel!, 6, 1.0, 1e-3, 3).Times.ToArray(),
            registry.Create("polyexponential", new Dictionary<string, double> { ["rho"] = 3 }).Create(sde, 1e-3, 6).Times.ToArray());
        Assert.Equal(TimeGrid.Uniform(1.0, 1e-3, 6).Times.ToArray(), registry.Create("time_uniform").Create(sde, 1e-3, 6).Times.ToArray());
    }

    private static (SamplingProblem Problem, Batch X) VeProblem()
    {
        var sde = new VeSde(0.02, 8.0);
        var problem = SamplingProblem.Reverse(sde, new ExactNoisedScore(ToyData.EightGaussians(), sde.Kernel!), 0.0);
        return (problem, new Batch([1.3, -2.2, 0.4, 3.1, -5.0, 0.7], 3, 2));
    }

    [Theory]
    [InlineData("heun")]
    [InlineData("rk4")]
    public void MultiStageSolversTakeAFirstOrderLastStepIntoSigmaZero(string name)
    {
        // Karras et al. 2022 Alg. 1 lines 7-8: the step into sigma = 0 is Euler. Heun on [1, 0.5, 0.2, 0] equals
        // Heun on [1, 0.5, 0.2] followed by one Euler step 0.2 -> 0.
        var (problem, x) = VeProblem();
        var expected = x.Clone();
        var registry = SolverRegistry.CreateDefault();
        Assert.True(registry.Create(name).Solve(problem, x, new TimeGrid([1.0, 0.5, 0.2, 0.0]), new SolveOptions()).IsSuccess);
        Assert.True(registry.Create(name).Solve(problem, expected, new TimeGrid([1.0, 0.5, 0.2]), new SolveOptions()).IsSuccess);
        Assert.True(registry.Create("euler").Solve(problem, expected, new TimeGrid([0.2, 0.0]), new SolveOptions()).IsSuccess);
        Assert.Equal(expected.ToArray(), x.ToArray());
    }

    [Fact]
    public void TheRefuseRuleRejectsAGridEndingAtSigmaZeroWithAClearMessage()
    {
        var (problem, x) = VeProblem();
        var heun = new ExplicitRungeKutta(Tableau.Heun, zeroNoiseEnd: ZeroNoiseEnd.Refuse);
        var e = Assert.Throws<ArgumentException>(() => heun.Solve(problem, x, new TimeGrid([1.0, 0.5, 0.0]), new SolveOptions()));
        Assert.Contains("sigma = 0", e.Message);
        Assert.True(heun.Solve(problem, x, new TimeGrid([1.0, 0.5, 0.01]), new SolveOptions()).IsSuccess);
        // The diffusion-aware second-order samplers refuse such a grid (they divide by sigma).
        Assert.Throws<ArgumentOutOfRangeException>(() => new EdmHeun().Solve(problem, x, new TimeGrid([1.0, 0.5, 0.0]), new SolveOptions()));
        Assert.Throws<ArgumentOutOfRangeException>(() => SolverRegistry.CreateDefault().Create("dpmpp_2m").Solve(problem, x, new TimeGrid([1.0, 0.5, 0.0]), new SolveOptions()));
    }
}

/// <summary>`diffusion list solvers` states order and NFE per step of the low-NFE samplers; they must be the traits'.</summary>
public class LowNfeRegistryDescriptionTests
{
    [Fact]
    public void DescriptionsStateTheDeclaredOrderAndNfePerStep()
    {
        var registry = SolverRegistry.CreateDefault();
        var checkedCount = 0;
        foreach (var name in registry.Names)
        {
            var description = registry.DescriptionOf(name);
            var open = description.LastIndexOf('[');
            if (open < 0 || !description.Contains("NFE/step]")) continue;
            var traits = registry.Create(name).Traits;
            var tag = description[open..];
            Assert.Contains($"order {traits.Order}", tag);
            Assert.Contains($"{traits.NfePerStep} NFE/step", tag);
            Assert.Equal(traits.IsStochastic, tag.Contains("stochastic"));
            checkedCount++;
        }
        Assert.Equal(registry.Names.Count, checkedCount);
    }
}
