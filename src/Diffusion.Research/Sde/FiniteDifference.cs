namespace Diffusion.Research.Sde;

/// <summary>
/// First derivative of a smooth scalar function by a five-point stencil kept inside [lo, hi]
/// (central where possible, shifted at the ends). Step h = 1e-3·max(1, |t|), about ε^{1/5}: the
/// truncation error is O(h⁴ f⁽⁵⁾) and the round-off O(ε |f| / h), so about 1e-12 relative for
/// functions whose derivatives vary on scale 1; sharper features need analytic derivatives.
/// </summary>
internal static class FiniteDifference
{
    // Weights (times h) of the derivative at node 0 of the stencil m, m+1, ..., m+4, for m = −4..0.
    private static readonly double[][] Weights = BuildWeights();

    /// <summary>f'(t) with all five nodes inside [lo, hi].</summary>
    public static double Derivative(Func<double, double> f, double t, double lo, double hi)
    {
        var h = 1e-3 * Math.Max(1.0, Math.Abs(t));
        h = Math.Min(h, 0.25 * (hi - lo));
        var m = -2;
        while (m < 0 && t + m * h < lo) m++;
        while (m > -4 && t + (m + 4) * h > hi) m--;
        var w = Weights[m + 4];
        var sum = 0.0;
        for (var j = 0; j < 5; j++) sum += w[j] * f(t + (m + j) * h);
        return sum / h;
    }

    private static double[][] BuildWeights()
    {
        var table = new double[5][];
        for (var m = -4; m <= 0; m++)
        {
            var w = new double[5];
            for (var j = 0; j < 5; j++)
            {
                // L_j'(0) = Σ_{k≠j} 1/(x_j − x_k) ∏_{i≠j,k} (0 − x_i)/(x_j − x_i), nodes x = m..m+4.
                double xj = m + j, sum = 0;
                for (var k = 0; k < 5; k++)
                {
                    if (k == j) continue;
                    double term = 1.0 / (xj - (m + k));
                    for (var i = 0; i < 5; i++)
                        if (i != j && i != k) term *= (0.0 - (m + i)) / (xj - (m + i));
                    sum += term;
                }
                w[j] = sum;
            }
            table[m + 4] = w;
        }
        return table;
    }
}
