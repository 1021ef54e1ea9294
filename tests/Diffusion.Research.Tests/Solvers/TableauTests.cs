using Diffusion.Research.Solvers;

namespace Diffusion.Research.Tests.Solvers;

/// <summary>The list accessors of <see cref="Tableau"/> (for F# and other list readers) agree with the spans the engine reads.</summary>
public class TableauTests
{
    public static TheoryData<string> Tableaus() => ["euler", "heun", "rk4", "dopri5"];

    private static Tableau ByName(string name) => name switch
    {
        "euler" => Tableau.Euler,
        "heun" => Tableau.Heun,
        "rk4" => Tableau.RungeKutta4,
        _ => Tableau.DormandPrince45,
    };

    [Theory]
    [MemberData(nameof(Tableaus))]
    public void ListsEqualSpansAndRoundTrip(string name)
    {
        var t = ByName(name);
        Assert.Equal(t.B.ToArray(), t.SolutionWeights);
        Assert.Equal(t.C.ToArray(), t.Nodes);
        Assert.Equal(t.E.ToArray(), t.ErrorWeights);
        Assert.Equal(t.Stages, t.Coefficients.Count);
        for (var j = 0; j < t.Stages; j++) Assert.Equal(t.ARow(j).ToArray(), t.Coefficients[j]);
        var copy = new Tableau(t.Name, t.Order, t.Coefficients, t.SolutionWeights, t.Nodes,
            t.HasErrorEstimate ? t.ErrorWeights : null, t.EmbeddedOrder, t.FirstSameAsLast);
        Assert.Equal(t.SolutionWeights, copy.SolutionWeights);
        Assert.Equal(t.ErrorWeights, copy.ErrorWeights);
        Assert.Equal(t.EmbeddedOrder, copy.EmbeddedOrder);
    }

    [Fact]
    public void ListsAreReadOnly()
    {
        var weights = Assert.IsAssignableFrom<IList<double>>(Tableau.RungeKutta4.SolutionWeights);
        Assert.Throws<NotSupportedException>(() => weights[0] = 2);
        Assert.Empty(Tableau.RungeKutta4.ErrorWeights);
    }
}
