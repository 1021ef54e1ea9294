using Diffusion.Research.Conditional;

namespace Diffusion.Research.Nn.Conditional;

/// <summary>
/// The class prior π of a labelled mixture as an inverse CDF: c ~ π from one uniform u by the smallest c with
/// u &lt; π_0 + … + π_c (inverse-transform sampling; the last class takes any rounding remainder).
/// </summary>
internal sealed class ClassPrior
{
    private readonly double[] _cumulative;

    public ClassPrior(LabelledMixture data)
    {
        _cumulative = new double[data.Classes];
        var running = 0.0;
        for (var c = 0; c < data.Classes; c++) _cumulative[c] = running += data.ClassProbability(c);
    }

    /// <summary>The class drawn by the uniform <paramref name="u"/> in [0, 1).</summary>
    public int Class(double u)
    {
        var c = 0;
        while (c < _cumulative.Length - 1 && u >= _cumulative[c]) c++;
        return c;
    }
}
