namespace Diffusion.Research.Gpu;

/// <summary>
/// The constants of the device exp (<c>DeviceMath.Exp</c>: Cody–Waite reduction x = k ln 2 + r, then e^r by its Taylor
/// polynomial of degree 13), as data rather than literals. A score struct carries them into its kernel as part of a kernel
/// parameter, which CUDA keeps in a constant bank, so each polynomial step can read its coefficient as an operand; written
/// as literals, every 64-bit constant whose low word is not zero is built in registers with two 32-bit moves at each use
/// (26 of the about 55 SASS instructions of one exp on the H200; docs/gpu.md, "Measured on an NVIDIA H200"). Values are
/// the same as the literals, so results are bit for bit the same.
/// </summary>
public readonly struct ExpConstants
{
    /// <summary>1/ln 2.</summary>
    public readonly double Log2E;

    /// <summary>ln 2 split so that k·Ln2Hi is exact for |k| &lt; 2^11 (the split of fdlibm's e_exp.c; Cody and Waite 1980).</summary>
    public readonly double Ln2Hi;

    /// <summary>ln 2 − Ln2Hi.</summary>
    public readonly double Ln2Lo;

    /// <summary>The arguments below which e^x is 0 after rounding (with the subnormal range kept).</summary>
    public readonly double Lower;

    /// <summary>The argument above which e^x overflows.</summary>
    public readonly double Upper;

    /// <summary>1/n! for n = 3 … 13, the Taylor coefficients whose low word is not zero (1/0!, 1/1! and 1/2! stay literals).</summary>
    public readonly double C3, C4, C5, C6, C7, C8, C9, C10, C11, C12, C13;

    private ExpConstants(bool _)
    {
        Log2E = 1.4426950408889634074;
        Ln2Hi = 6.93147180369123816490e-01;
        Ln2Lo = 1.90821492927058770002e-10;
        Lower = -745.2;
        Upper = 709.782712893384;
        C3 = 1.0 / 6.0;
        C4 = 1.0 / 24.0;
        C5 = 1.0 / 120.0;
        C6 = 1.0 / 720.0;
        C7 = 1.0 / 5040.0;
        C8 = 1.0 / 40320.0;
        C9 = 1.0 / 362880.0;
        C10 = 1.0 / 3628800.0;
        C11 = 1.0 / 39916800.0;
        C12 = 1.0 / 479001600.0;
        C13 = 1.0 / 6227020800.0;
    }

    /// <summary>The constants (a default <see cref="ExpConstants"/> is all zeros and not usable).</summary>
    public static ExpConstants Taylor13 => new(true);
}
