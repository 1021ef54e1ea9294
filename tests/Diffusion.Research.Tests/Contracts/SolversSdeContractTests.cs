using Diffusion.Research.Data;
using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;
using Diffusion.Research.Scores;
using Diffusion.Research.Sde;
using Diffusion.Research.Solvers;

using static Diffusion.Research.Tests.Contracts.Contract;

namespace Diffusion.Research.Tests.Contracts;

/// <summary>Every argument check of solvers/Diffusion.Research.Solvers/Sde: the boundary, the parameter name and the message.</summary>
public class SolversSdeContractTests
{
    private static BrownianPath Path(double t0, double t1, int dimension) => new(new NoiseSource(23), 1, t0, t1, dimension);

    [Fact]
    public void WienerIncrement_Check_keeps_the_grid_on_the_path()
    {
        var x = new Batch(3, 2);
        WienerIncrement.Check(null, new TimeGrid([2.5, -0.37]), x, "em");
        var path = Path(0.25, 1, 2);
        Refused<ArgumentException>("grid", "Solver 'em': the Brownian path covers [0.25, 1] but the grid spans [0.125, 1].",
            () => WienerIncrement.Check(path, new TimeGrid([1, 0.125]), x, "em"));
        Refused<ArgumentException>("grid", "Solver 'heun_sde': the Brownian path covers [0.25, 1] but the grid spans [0.5, 1.25].",
            () => WienerIncrement.Check(path, new TimeGrid([1.25, 0.5]), x, "heun_sde"));
        Refused<ArgumentException>("grid", "Solver 'em': the Brownian path covers [0.25, 1] but the grid spans [0.25, 1.25].",
            () => WienerIncrement.Check(path, new TimeGrid([0.25, 1.25]), x, "em"));
        // The path's own interval is allowed, in either direction.
        WienerIncrement.Check(path, new TimeGrid([1, 0.25]), x, "em");
        WienerIncrement.Check(path, new TimeGrid([0.25, 0.5, 1]), x, "em");
        Refused<ArgumentException>("x", "Solver 'em': the Brownian path is 2-dimensional, the batch 3-dimensional.",
            () => WienerIncrement.Check(path, new TimeGrid([1, 0.25]), new Batch(3, 3), "em"));
        Refused<ArgumentException>("x", "Solver 'em': the Brownian path is 3-dimensional, the batch 2-dimensional.",
            () => WienerIncrement.Check(Path(0.25, 1, 3), new TimeGrid([1, 0.25]), x, "em"));
    }

    [Fact]
    public void Sde_solvers_check_their_brownian_path()
    {
        var problem = SamplingProblem.Reverse(Vp, new ExactNoisedScore(ToyData.EightGaussians(), Vp.Kernel!), 1);
        var x = new Batch(3, 2);
        Vp.Prior(2).Sample(x, new NoiseSource(29), 0);
        var grid = new TimeGrid([1, 0.5, 0.25]);
        ISolver[] wrong = [new EulerMaruyama(Path(0.25, 1, 3)), new StochasticHeun(Path(0.25, 1, 3))];
        foreach (var solver in wrong)
            Refused<ArgumentException>("x", $"Solver '{solver.Traits.Name}': the Brownian path is 3-dimensional, the batch 2-dimensional.",
                () => solver.Solve(problem, x, grid, new SolveOptions()));
        ISolver[] right = [new EulerMaruyama(Path(0.25, 1, 2)), new StochasticHeun(Path(0.25, 1, 2))];
        foreach (var solver in right)
            Assert.Equal(SolveStatus.Success, solver.Solve(problem, x, grid, new SolveOptions()).Status);
    }
}
