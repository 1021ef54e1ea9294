using Diffusion.Research.Sampling;

namespace Diffusion.Research.Tests.Sampling;

/// <summary><see cref="SolveOptions.Validate"/>: every option no solver can use is refused, named.</summary>
public class SolveOptionsTests
{
    [Fact]
    public void Validate_names_the_unusable_option()
    {
        new SolveOptions().Validate();
        Assert.Equal("InitialStep", Assert.Throws<ArgumentNullException>(() => new SolveOptions { InitialStep = null! }.Validate()).ParamName);
        Assert.Equal("Threads", Assert.Throws<ArgumentOutOfRangeException>(() => new SolveOptions { Threads = 0 }.Validate()).ParamName);
        Assert.Equal("MaxSteps", Assert.Throws<ArgumentOutOfRangeException>(() => new SolveOptions { MaxSteps = 0 }.Validate()).ParamName);
        Assert.Equal("RelativeTolerance", Assert.Throws<ArgumentOutOfRangeException>(() => new SolveOptions { RelativeTolerance = double.NaN }.Validate()).ParamName);
    }
}
