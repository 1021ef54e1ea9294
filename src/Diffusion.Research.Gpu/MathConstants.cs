namespace Diffusion.Research.Gpu;

/// <summary>
/// The constants of the device exp, log and turn sin/cos (<c>DeviceMath</c>) as data rather than literals. Scores and
/// <see cref="TrajectoryArguments"/> carry them into their kernels as part of a kernel parameter, which CUDA keeps in a
/// constant bank, so each polynomial step can read its coefficient as an operand; written as literals, every 64-bit
/// constant whose low word is not zero is built in registers with two 32-bit moves at each use (26 of the about 55 SASS
/// instructions of one exp on the H200; docs/gpu.md, "Measured on an NVIDIA H200"). The values are those of the
/// literals they replace, so results are bit for bit the same. Constants whose low word is zero (0.5, 1, 2, 1.5·2⁵²)
/// stay literals. A default <see cref="MathConstants"/> is all zeros and not usable: take <see cref="Taylor"/>.
/// </summary>
public readonly struct MathConstants
{
    // exp: x = k ln 2 + r (Cody and Waite 1980; the ln 2 split of fdlibm's e_exp.c, k·Ln2Hi exact for |k| < 2^11),
    // e^r by its Taylor polynomial of degree 13.

    /// <summary>1/ln 2.</summary>
    public readonly double Log2E;

    /// <summary>ln 2 to 32 bits (its low 21 bits zero).</summary>
    public readonly double Ln2Hi;

    /// <summary>ln 2 − Ln2Hi.</summary>
    public readonly double Ln2Lo;

    /// <summary>The argument below which e^x is 0 after rounding (the subnormal range kept).</summary>
    public readonly double ExpLower;

    /// <summary>The argument above which e^x overflows.</summary>
    public readonly double ExpUpper;

    /// <summary>1/n! for n = 3 … 13.</summary>
    public readonly double E3, E4, E5, E6, E7, E8, E9, E10, E11, E12, E13;

    // log: x = 2^e m with m in [√½, √2), ln m = 2 atanh f, f = (m − 1)/(m + 1) (Abramowitz and Stegun 4.1.27).

    /// <summary>√2.</summary>
    public readonly double Sqrt2;

    /// <summary>2/(2n + 1) for n = 1 … 11, the atanh series' coefficients.</summary>
    public readonly double L3, L5, L7, L9, L11, L13, L15, L17, L19, L21, L23;

    // turn sin/cos: φ = f π/2 in [−π/4, π/4], Taylor polynomials of degree 17 (sin) and 16 (cos).

    /// <summary>π/2.</summary>
    public readonly double HalfPi;

    /// <summary>(−1)^n/(2n + 1)! for n = 1 … 8, the sine's coefficients.</summary>
    public readonly double S3, S5, S7, S9, S11, S13, S15, S17;

    /// <summary>(−1)^n/(2n)! for n = 2 … 8, the cosine's coefficients (−1/2 and 1 stay literals).</summary>
    public readonly double C4, C6, C8, C10, C12, C14, C16;

    private MathConstants(bool _)
    {
        Log2E = 1.4426950408889634074;
        Ln2Hi = 6.93147180369123816490e-01;
        Ln2Lo = 1.90821492927058770002e-10;
        ExpLower = -745.2;
        ExpUpper = 709.782712893384;
        E3 = 1.0 / 6.0;
        E4 = 1.0 / 24.0;
        E5 = 1.0 / 120.0;
        E6 = 1.0 / 720.0;
        E7 = 1.0 / 5040.0;
        E8 = 1.0 / 40320.0;
        E9 = 1.0 / 362880.0;
        E10 = 1.0 / 3628800.0;
        E11 = 1.0 / 39916800.0;
        E12 = 1.0 / 479001600.0;
        E13 = 1.0 / 6227020800.0;
        Sqrt2 = 1.4142135623730950488;
        L3 = 2.0 / 3.0;
        L5 = 2.0 / 5.0;
        L7 = 2.0 / 7.0;
        L9 = 2.0 / 9.0;
        L11 = 2.0 / 11.0;
        L13 = 2.0 / 13.0;
        L15 = 2.0 / 15.0;
        L17 = 2.0 / 17.0;
        L19 = 2.0 / 19.0;
        L21 = 2.0 / 21.0;
        L23 = 2.0 / 23.0;
        HalfPi = Math.PI / 2;
        S3 = -1.0 / 6.0;
        S5 = 1.0 / 120.0;
        S7 = -1.0 / 5040.0;
        S9 = 1.0 / 362880.0;
        S11 = -1.0 / 39916800.0;
        S13 = 1.0 / 6227020800.0;
        S15 = -1.0 / 1307674368000.0;
        S17 = 1.0 / 355687428096000.0;
        C4 = 1.0 / 24.0;
        C6 = -1.0 / 720.0;
        C8 = 1.0 / 40320.0;
        C10 = -1.0 / 3628800.0;
        C12 = 1.0 / 479001600.0;
        C14 = -1.0 / 87178291200.0;
        C16 = 1.0 / 20922789888000.0;
    }

    /// <summary>The constants.</summary>
    public static MathConstants Taylor => new(true);
}
