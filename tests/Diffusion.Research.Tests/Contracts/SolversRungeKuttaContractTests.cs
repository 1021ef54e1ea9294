using Diffusion.Research.Data;
using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;
using Diffusion.Research.Scores;
using Diffusion.Research.Sde;
using Diffusion.Research.Solvers;

using static Diffusion.Research.Tests.Contracts.Contract;

namespace Diffusion.Research.Tests.Contracts;

/// <summary>Every argument check of solvers/Diffusion.Research.Solvers/RungeKutta: the boundary, the parameter name and the message.</summary>
public class SolversRungeKuttaContractTests
{
    private static Batch Particles()
    {
        var x = new Batch(3, 2);
        Vp.Prior(2).Sample(x, new NoiseSource(17), 0);
        return x;
    }

    [Fact]
    public void Tableau_constructor_checks_its_references_and_order()
    {
        Assert.Equal("name", Assert.Throws<ArgumentNullException>(() => new Tableau(null!, 2, [[], [1.0]], [0.5, 0.5], [0.0, 1.0])).ParamName);
        Assert.Equal("name", Assert.Throws<ArgumentException>(() => new Tableau(" ", 2, [[], [1.0]], [0.5, 0.5], [0.0, 1.0])).ParamName);
        Assert.Equal("a", Assert.Throws<ArgumentNullException>(() => new Tableau("t", 2, null!, [0.5, 0.5], [0.0, 1.0])).ParamName);
        Assert.Equal("b", Assert.Throws<ArgumentNullException>(() => new Tableau("t", 2, [[], [1.0]], null!, [0.0, 1.0])).ParamName);
        Assert.Equal("c", Assert.Throws<ArgumentNullException>(() => new Tableau("t", 2, [[], [1.0]], [0.5, 0.5], null!)).ParamName);
        foreach (var bad in new[] { 0, -1 })
            Assert.Equal("order", Assert.Throws<ArgumentOutOfRangeException>(() => new Tableau("t", bad, [[], [1.0]], [0.5, 0.5], [0.0, 1.0])).ParamName);
        Assert.Equal(1, new Tableau("t", 1, [[], [1.0]], [0.5, 0.5], [0.0, 1.0]).Order);
    }

    [Fact]
    public void Tableau_constructor_checks_the_shapes()
    {
        Refused<ArgumentException>("b", "A tableau needs at least one stage.", () => new Tableau("t", 1, [], [], []));
        Refused<ArgumentException>("a", "A has 1 rows and C 2 entries; B has 2.", () => new Tableau("t", 2, [[]], [0.5, 0.5], [0.0, 1.0]));
        Refused<ArgumentException>("a", "A has 2 rows and C 1 entries; B has 2.", () => new Tableau("t", 2, [[], [1.0]], [0.5, 0.5], [0.0]));
        Refused<ArgumentException>("a", "A has 2 rows and C 2 entries; B has 1.", () => new Tableau("t", 2, [[], [1.0]], [1.0], [0.0, 1.0]));
        Refused<ArgumentException>("error", "Error weights have 1 entries; B has 2.", () => new Tableau("t", 2, [[], [1.0]], [0.5, 0.5], [0.0, 1.0], error: [0.0]));
        Refused<ArgumentException>("error", "Error weights have 3 entries; B has 2.", () => new Tableau("t", 2, [[], [1.0]], [0.5, 0.5], [0.0, 1.0], error: [0.25, -0.25, 0.0]));
        Refused<ArgumentException>("a", "Row 1 of A must hold 1 entries (explicit method), got 2.", () => new Tableau("t", 2, [[], [0.5, 0.5]], [0.5, 0.5], [0.0, 1.0]));
        Refused<ArgumentException>("a", "Row 0 of A must hold 0 entries (explicit method), got 1.", () => new Tableau("t", 1, [[0.0]], [1.0], [0.0]));
        Refused<ArgumentException>("a", "Row 1 of A must hold 1 entries (explicit method), got 0.", () => new Tableau("t", 2, [[], []], [0.5, 0.5], [0.0, 1.0]));
        var single = new Tableau("one", 1, [[]], [1.0], [0.0]);
        Assert.Equal(1, single.Stages);
    }

    [Fact]
    public void Tableau_constructor_checks_the_consistency_conditions()
    {
        Refused<ArgumentException>("c", "Row 1 of A sums to 0.75, but C[1] = 1.", () => new Tableau("t", 2, [[], [0.75]], [0.5, 0.5], [0.0, 1.0]));
        Refused<ArgumentException>("c", "Row 1 of A sums to 1.25, but C[1] = 1.", () => new Tableau("t", 2, [[], [1.25]], [0.5, 0.5], [0.0, 1.0]));
        Refused<ArgumentException>("c", "Row 0 of A sums to 0, but C[0] = 0.25.", () => new Tableau("t", 1, [[]], [1.0], [0.25]));
        Assert.Equal(1.0 + 5e-13, new Tableau("t", 2, [[], [1.0 + 5e-13]], [0.5, 0.5], [0.0, 1.0]).A(1, 0));
        Refused<ArgumentException>("b", "Weights sum to 0.75, not 1 (inconsistent method).", () => new Tableau("t", 2, [[], [1.0]], [0.5, 0.25], [0.0, 1.0]));
        Refused<ArgumentException>("b", "Weights sum to 1.25, not 1 (inconsistent method).", () => new Tableau("t", 2, [[], [1.0]], [0.5, 0.75], [0.0, 1.0]));
        Assert.Equal(2, new Tableau("t", 2, [[], [1.0]], [0.5, 0.5 + 5e-13], [0.0, 1.0]).Stages);
        Refused<ArgumentException>("error", "Error weights sum to 0.25, not 0.", () => new Tableau("t", 2, [[], [1.0]], [0.5, 0.5], [0.0, 1.0], error: [0.5, -0.25], embeddedOrder: 1));
        Refused<ArgumentException>("error", "Error weights sum to -0.25, not 0.", () => new Tableau("t", 2, [[], [1.0]], [0.5, 0.5], [0.0, 1.0], error: [0.25, -0.5], embeddedOrder: 1));
        Assert.Equal(1, new Tableau("t", 2, [[], [1.0]], [0.5, 0.5], [0.0, 1.0], error: [0.5, -0.5 + 5e-13], embeddedOrder: 1).EmbeddedOrder);
    }

    [Fact]
    public void Tableau_constructor_checks_first_same_as_last()
    {
        const string Message = "FSAL needs the last row of A to equal B, C = 1 and B[last] = 0.";
        // Heun: last row [1] differs from B = [0.5, 0.5] and B[last] != 0.
        Refused<ArgumentException>("firstSameAsLast", Message, () => new Tableau("t", 2, [[], [1.0]], [0.5, 0.5], [0.0, 1.0], firstSameAsLast: true));
        // C = 1 and B[last] = 0, but the last row of A is not B.
        Refused<ArgumentException>("firstSameAsLast", Message, () => new Tableau("t", 2, [[], [0.5], [0.25, 0.75]], [0.75, 0.25, 0.0], [0.0, 0.5, 1.0], firstSameAsLast: true));
        // The last row of A equals B, but B[last] != 0 and C != 1.
        Refused<ArgumentException>("firstSameAsLast", Message, () => new Tableau("t", 2, [[], [0.5], [0.25, 0.5]], [0.25, 0.5, 0.25], [0.0, 0.5, 0.75], firstSameAsLast: true));
        var fsal = new Tableau("t", 2, [[], [0.5], [0.75, 0.25]], [0.75, 0.25, 0.0], [0.0, 0.5, 1.0], firstSameAsLast: true);
        Assert.True(fsal.FirstSameAsLast);
        Assert.False(new Tableau("t", 2, [[], [1.0]], [0.5, 0.5], [0.0, 1.0]).FirstSameAsLast);
    }

    [Fact]
    public void ExplicitRungeKutta_checks_the_tableau_and_the_problem()
    {
        Assert.Equal("tableau", Assert.Throws<ArgumentNullException>(() => new ExplicitRungeKutta(null!)).ParamName);
        var toZero = new TimeGrid([1, 0.5, 0]);
        Refused<ArgumentException>("grid", "Solver 'heun': the grid ends at t = 0 where sigma = 0; end at t_eps > 0, or take a first-order last step (EDM Alg. 1).",
            () => new ExplicitRungeKutta(Tableau.Heun, zeroNoiseEnd: ZeroNoiseEnd.Refuse).Solve(ReverseProblem(0), Particles(), toZero, new SolveOptions()));
        Assert.Equal(SolveStatus.Success, new ExplicitRungeKutta(Tableau.Euler, zeroNoiseEnd: ZeroNoiseEnd.Refuse).Solve(ReverseProblem(0), Particles(), toZero, new SolveOptions()).Status);
        Assert.Equal(SolveStatus.Success, new ExplicitRungeKutta(Tableau.Heun).Solve(ReverseProblem(0), Particles(), toZero, new SolveOptions()).Status);
        Assert.Equal(SolveStatus.Success,
            new ExplicitRungeKutta(Tableau.Heun, zeroNoiseEnd: ZeroNoiseEnd.Refuse).Solve(ReverseProblem(0), Particles(), new TimeGrid([1, 0.5, 0.25]), new SolveOptions()).Status);
        var b = ReverseProblem(1).Dynamics.Diffusion(1);
        Refused<ArgumentException>("dynamics", $"Solver 'heun' integrates ODEs but the dynamics have diffusion b(1) = {b};",
            () => new ExplicitRungeKutta(Tableau.Heun).Solve(ReverseProblem(1), Particles(), new TimeGrid([1, 0.5, 0.25]), new SolveOptions()));
    }

    [Fact]
    public void EmbeddedRungeKutta_needs_a_pair()
    {
        Assert.Equal("tableau", Assert.Throws<ArgumentNullException>(() => new EmbeddedRungeKutta(null!)).ParamName);
        Refused<ArgumentException>("tableau", "Tableau 'heun' has no embedded error estimate; an adaptive solver needs a pair.", () => new EmbeddedRungeKutta(Tableau.Heun));
        // With a controller given, the tableau is checked all the same.
        Assert.Equal("tableau", Assert.Throws<ArgumentNullException>(() => new EmbeddedRungeKutta(null!, PiController.DormandPrince)).ParamName);
        Refused<ArgumentException>("tableau", "Tableau 'heun' has no embedded error estimate; an adaptive solver needs a pair.", () => new EmbeddedRungeKutta(Tableau.Heun, PiController.DormandPrince));
        var noOrder = new Tableau("heun_pair", 2, [[], [1.0]], [0.5, 0.5], [0.0, 1.0], error: [0.5, -0.5], embeddedOrder: 0);
        Refused<ArgumentException>("tableau", "Tableau 'heun_pair' has no embedded error estimate; an adaptive solver needs a pair.", () => new EmbeddedRungeKutta(noOrder));
        var pair = new Tableau("heun_pair", 2, [[], [1.0]], [0.5, 0.5], [0.0, 1.0], error: [0.5, -0.5], embeddedOrder: 1);
        Assert.Equal(1, new EmbeddedRungeKutta(pair).Tableau.EmbeddedOrder);
        Assert.Equal(0.5 - 0.75 * 0.04, new EmbeddedRungeKutta(pair).Controller.Alpha, 15);
        var b = ReverseProblem(1).Dynamics.Diffusion(1);
        Refused<ArgumentException>("dynamics", $"Solver 'heun_pair' integrates ODEs but the dynamics have diffusion b(1) = {b};",
            () => new EmbeddedRungeKutta(pair).Solve(ReverseProblem(1), Particles(), new TimeGrid([1, 0.25]), new SolveOptions()));
    }
}
