using Diffusion.Research.Data;
using Diffusion.Research.Sampling;
using Diffusion.Research.Sde;
using Diffusion.Research.Solvers;

using static Diffusion.Research.Tests.Contracts.Contract;

namespace Diffusion.Research.Tests.Contracts;

/// <summary>Every argument check of solvers/Diffusion.Research.Solvers/Grids: the boundary, the parameter name and the message.</summary>
public class SolversGridsContractTests
{
    [Fact]
    public void Schedules_check_the_sde_and_its_kernel()
    {
        var noKernel = new OverdampedLangevinSde(ToyData.EightGaussians());
        (ITimeSchedule Schedule, string? Name)[] schedules =
        [
            (new KarrasSchedule(2.5), "karras"),
            (new LogSnrSchedule(), "logsnr"),
            (new PolyExponentialSchedule(2.5), "polyexponential"),
            (new TimeQuadraticSchedule(), "time_quadratic"),
            (new UniformSchedule(), null),
        ];
        foreach (var (schedule, name) in schedules)
        {
            Assert.Equal("sde", Assert.Throws<ArgumentNullException>(() => schedule.Create(null!, 0.25, 3)).ParamName);
            if (name is not null)
                Refused<ArgumentException>("sde", $"schedule '{name}' needs an SDE with a closed-form kernel.", () => schedule.Create(noKernel, 0.25, 3));
            var grid = schedule.Create(Vp, 0.25, 3);
            Assert.Equal((1.0, 0.25, 3), (grid.Start, grid.End, grid.Steps));
        }
        Assert.Equal(3, new UniformSchedule().Create(noKernel, 0.25, 3).Steps);
    }

    [Fact]
    public void KarrasGrid_checks_rho()
    {
        var kernel = Vp.Kernel!;
        foreach (var bad in new[] { 0.0, -0.37, double.NaN, double.PositiveInfinity, double.NegativeInfinity })
            Refused<ArgumentOutOfRangeException>("rho", "rho must be finite and > 0.", () => KarrasGrid.Create(kernel, 3, 1, 0.25, bad));
        Assert.Equal(1, KarrasGrid.Create(kernel, 1, 1, 0.25, 1e-300).Steps);
        Assert.Equal(3, KarrasGrid.Create(kernel, 3, 1, 0.25, 0.37).Steps);
    }

    [Fact]
    public void PolyExponentialGrid_checks_rho()
    {
        var kernel = Vp.Kernel!;
        foreach (var bad in new[] { 0.0, -0.37, double.NaN, double.PositiveInfinity, double.NegativeInfinity })
            Refused<ArgumentOutOfRangeException>("rho", "rho must be finite and > 0.", () => PolyExponentialGrid.Create(kernel, 3, 1, 0.25, bad));
        Assert.Equal(1, PolyExponentialGrid.Create(kernel, 1, 1, 0.25, 1e-300).Steps);
        Assert.Equal(3, PolyExponentialGrid.Create(kernel, 3, 1, 0.25, 2.5).Steps);
    }
}
