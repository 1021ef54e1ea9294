namespace Diffusion.Research.Sde;

/// <summary>
/// e^x − 1 and log(1 + x) to full relative precision near 0. The BCL's <c>double.ExpM1</c> and
/// <c>double.LogP1</c> are computed as <c>Exp(x) − 1</c> and <c>Log(x + 1)</c>, which lose half the digits
/// at |x| = 1e-8 and all of them below 1e-16. Kernels need them for σ_t² = 1 − e^{−B(t)} at small t,
/// where log-SNR grids and DPM-Solver steps live.
/// </summary>
public static class ElementaryFunctions
{
    /// <summary>e^x − 1 (Kahan: (u − 1)·x / log u with u = e^x, a few ulps).</summary>
    public static double Expm1(double x)
    {
        var u = Math.Exp(x);
        if (u == 1.0) return x;
        var um1 = u - 1.0;
        if (um1 == -1.0) return -1.0;
        if (double.IsPositiveInfinity(u)) return u;
        return um1 * x / Math.Log(u);
    }

    /// <summary>log(1 + x) (Kahan: log(u)·x / (u − 1) with u = 1 + x, a few ulps).</summary>
    public static double Log1p(double x)
    {
        var u = 1.0 + x;
        if (u == 1.0) return x;
        return Math.Log(u) * x / (u - 1.0);
    }
}
