using Diffusion.Research.Solvers;

using static Diffusion.Research.Tests.Contracts.Contract;

namespace Diffusion.Research.Tests.Contracts;

/// <summary>Every argument check of solvers/Diffusion.Research.Solvers/Multistep: the boundary, the parameter name and the message.</summary>
public class SolversMultistepContractTests
{
    [Fact]
    public void ImprovedPndm_constructor_checks_the_order()
    {
        foreach (var bad in new[] { 0, 5, -1, int.MinValue, int.MaxValue })
            Refused<ArgumentOutOfRangeException>("order", "order must lie in 1..4.", () => new ImprovedPndm(bad));
        for (var order = 1; order <= 4; order++) Assert.Equal(order, new ImprovedPndm(order).Order);
    }

    [Fact]
    public void LinearMultistep_constructor_checks_the_order()
    {
        foreach (var bad in new[] { 0, 5, -1, int.MinValue, int.MaxValue })
            Refused<ArgumentOutOfRangeException>("order", "order must lie in 1..4.", () => new LinearMultistep(bad));
        for (var order = 1; order <= 4; order++) Assert.Equal(order, new LinearMultistep(order).Order);
    }
}
