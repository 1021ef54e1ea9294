using Diffusion.Research.Solvers;

using static Diffusion.Research.Tests.Contracts.Contract;

namespace Diffusion.Research.Tests.Contracts;

/// <summary>Every argument check of solvers/Diffusion.Research.Solvers/Ancestral: the boundary, the parameter name and the message.</summary>
public class SolversAncestralContractTests
{
    [Fact]
    public void AncestralSampler_constructor_checks_eta_and_s_noise()
    {
        foreach (var bad in new[] { -0.37, -1e-300, double.NaN, double.PositiveInfinity, double.NegativeInfinity })
        {
            Refused<ArgumentOutOfRangeException>("eta", "eta must be finite and >= 0.", () => new EulerAncestral(bad, 0.37));
            Refused<ArgumentOutOfRangeException>("eta", "eta must be finite and >= 0.", () => new Dpm2Ancestral(bad, 0.37));
            Refused<ArgumentOutOfRangeException>("eta", "eta must be finite and >= 0.", () => new DpmSolverPlusPlus2SAncestral(bad, 0.37));
            Refused<ArgumentOutOfRangeException>("sNoise", "s_noise must be finite and >= 0.", () => new EulerAncestral(0.37, bad));
            Refused<ArgumentOutOfRangeException>("sNoise", "s_noise must be finite and >= 0.", () => new Dpm2Ancestral(0.37, bad));
            Refused<ArgumentOutOfRangeException>("sNoise", "s_noise must be finite and >= 0.", () => new DpmSolverPlusPlus2SAncestral(0.37, bad));
        }
        var zero = new EulerAncestral(0, 0);
        Assert.Equal((0.0, 0.0), (zero.Eta, zero.SNoise));
        var some = new Dpm2Ancestral(2.5, 0.37);
        Assert.Equal((2.5, 0.37), (some.Eta, some.SNoise));
        Assert.Equal((0.0, 2.5), (new DpmSolverPlusPlus2SAncestral(0, 2.5).Eta, new DpmSolverPlusPlus2SAncestral(0, 2.5).SNoise));
    }
}
