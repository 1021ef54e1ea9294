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
    // The Taylor coefficients 1/n! that exp (degree 13), sin (degree 17, odd n) and cos (degree 16, even n) share; the
    // sine and cosine subtract where their signs alternate, which gives the bits of adding the negated coefficient.

    /// <summary>1/n! for n = 3 … 17 (1/0!, 1/1! and 1/2! stay literals).</summary>
    public readonly double F3, F4, F5, F6, F7, F8, F9, F10, F11, F12, F13, F14, F15, F16, F17;

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

    // log: x = 2^e m with m in [√½, √2), ln m = 2 atanh f, f = (m − 1)/(m + 1) (Abramowitz and Stegun 4.1.27).

    /// <summary>√2.</summary>
    public readonly double Sqrt2;

    /// <summary>2/(2n + 1) for n = 1 … 11, the atanh series' coefficients.</summary>
    public readonly double L3, L5, L7, L9, L11, L13, L15, L17, L19, L21, L23;

    // turn sin/cos: φ = f π/2 in [−π/4, π/4], Taylor polynomials of degree 17 (sin) and 16 (cos) in the F coefficients.

    /// <summary>π/2.</summary>
    public readonly double HalfPi;

    private MathConstants(bool _)
    {
        F3 = 1.0 / 6.0;
        F4 = 1.0 / 24.0;
        F5 = 1.0 / 120.0;
        F6 = 1.0 / 720.0;
        F7 = 1.0 / 5040.0;
        F8 = 1.0 / 40320.0;
        F9 = 1.0 / 362880.0;
        F10 = 1.0 / 3628800.0;
        F11 = 1.0 / 39916800.0;
        F12 = 1.0 / 479001600.0;
        F13 = 1.0 / 6227020800.0;
        F14 = 1.0 / 87178291200.0;
        F15 = 1.0 / 1307674368000.0;
        F16 = 1.0 / 20922789888000.0;
        F17 = 1.0 / 355687428096000.0;
        Log2E = 1.4426950408889634074;
        Ln2Hi = 6.93147180369123816490e-01;
        Ln2Lo = 1.90821492927058770002e-10;
        ExpLower = -745.2;
        ExpUpper = 709.782712893384;
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
    }

    /// <summary>The constants.</summary>
    public static MathConstants Taylor => new(true);
}
