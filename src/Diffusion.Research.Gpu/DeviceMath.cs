using ILGPU;

namespace Diffusion.Research.Gpu;

/// <summary>
/// exp, log and the turn sin/cos written with +, −, ×, ÷, floor and bit casts only, so that a kernel computes the same
/// values on ILGPU's CPU accelerator and on CUDA (no dependence on a device math library, which ILGPU maps differently
/// per back end) and its instruction count is known for the flop figures of docs/gpu.md. Accuracy: about 1 ulp
/// (checked against System.Math in the tests); the CPU path uses TensorPrimitives/Vector512 versions, so values agree to
/// rounding, not bit for bit.
/// </summary>
internal static class DeviceMath
{
    private const double RoundingShift = 6755399441055744.0; // 1.5 · 2^52

    /// <summary>Floating-point operations of <see cref="Exp"/> for a finite argument in the normal range (the flop model of docs/gpu.md).</summary>
    public const int ExpFlops = 34;

    /// <summary>e^x: x = k ln 2 + r with |r| ≤ ln2/2 (Cody–Waite; k rounded to nearest), e^r by its Taylor polynomial of degree 13 in Horner form
    /// (truncation r^14/14! &lt; 5e-18 relative), then scaled by 2^k through the exponent bits. The constants come in
    /// <paramref name="c"/> (<see cref="MathConstants.Taylor"/>), which kernels receive in a kernel parameter.</summary>
    public static double Exp(double x, MathConstants c)
    {
        if (!(x >= c.ExpLower && x <= c.ExpUpper)) return x > 0 ? double.PositiveInfinity : x < 0 ? 0.0 : x; // one test on the common path; NaN stays NaN
        return InRange(x, c, positive: true);
    }

    // e^x for x in [ExpLower, ExpUpper] (for x ≤ 0 when positive is false: the result cannot reach 2^1024, and the
    // constant argument removes that test where the call is inlined). k = nearest integer to x/ln 2 by the shift 1.5·2^52
    // (exact for |x/ln 2| < 2^51), and its integer value from the low word of the shifted sum: no floor and no
    // float-to-integer conversion, which are slow on GPUs (docs/gpu.md).
    private static double InRange(double x, MathConstants c, bool positive)
    {
        var shifted = x * c.Log2E + RoundingShift;
        var k = shifted - RoundingShift;
        var r = x - k * c.Ln2Hi - k * c.Ln2Lo;
        var p = Polynomial(r, c);
        var e = (int)(uint)Interop.FloatAsInt(shifted);
        if (e < -1020) { p *= 5.551115123125783e-17; e += 54; } // 2^-54: the result is subnormal
        if (positive && e > 1023) { p *= 2.0; e -= 1; }
        return p * Interop.IntAsFloat((ulong)(uint)(e + 1023) << 52);
    }

    // e^r for |r| ≤ ln2/2: Taylor polynomial of degree 13 in Horner form.
    private static double Polynomial(double r, MathConstants c)
    {
        var p = c.F13;
        p = p * r + c.F12;
        p = p * r + c.F11;
        p = p * r + c.F10;
        p = p * r + c.F9;
        p = p * r + c.F8;
        p = p * r + c.F7;
        p = p * r + c.F6;
        p = p * r + c.F5;
        p = p * r + c.F4;
        p = p * r + c.F3;
        p = p * r + 0.5;
        p = p * r + 1.0;
        return p * r + 1.0;
    }

    /// <summary><see cref="Exp"/> for x ≤ 0 (a softmax's exponent ℓ_k − max ℓ): the same operations, so the same bits, without
    /// the two tests only a positive argument needs (the upper end of the range and a result of 2^1024 scaled down). Below
    /// the range, −∞ included, it gives 0; NaN stays NaN. A positive argument is outside its contract.</summary>
    public static double ExpNonPositive(double x, MathConstants c)
    {
        if (!(x >= c.ExpLower)) return x < 0 ? 0.0 : x;
        return InRange(x, c, positive: false);
    }

    /// <summary>Floating-point operations of <see cref="Log"/> for a normal positive argument.</summary>
    public const int LogFlops = 33;

    /// <summary>ln x: x = 2^e m with m in [√½, √2), ln m = 2 atanh f with f = (m − 1)/(m + 1), |f| ≤ 0.1716, by its series
    /// 2f + f Σ_{n=1..11} 2 f^{2n}/(2n + 1) (truncation below 1e-18 relative; Abramowitz &amp; Stegun 4.1.27); constants
    /// from <paramref name="c"/>.</summary>
    public static double Log(double x, MathConstants c)
    {
        if (!(x > 0)) return x == 0 ? double.NegativeInfinity : double.NaN;
        if (x > double.MaxValue) return x;
        if (x < 2.2250738585072014e-308) return Reduced(x * 18014398509481984.0, -54, c); // 2^54: subnormal input
        return Reduced(x, 0, c);
    }

    /// <summary><see cref="Log"/> for a positive normal x (2^-1022 ≤ x ≤ double.MaxValue; Box–Muller's 1 − U is in
    /// [2^-53, 1]): the same operations, so the same bits, without the tests for zero, negative, infinite, NaN and
    /// subnormal arguments, which such an argument never takes. Outside that range the result is meaningless (a NaN
    /// argument gives a finite value), so an argument that may be NaN takes <see cref="Log"/>.</summary>
    public static double LogNormal(double x, MathConstants c) => Reduced(x, 0, c);

    // ln(x 2^e) for a positive normal x.
    private static double Reduced(double x, int e, MathConstants c)
    {
        var bits = Interop.FloatAsInt(x);
        e += (int)(bits >> 52) - 1023;
        var m = Interop.IntAsFloat((bits & 0x000F_FFFF_FFFF_FFFFUL) | 0x3FF0_0000_0000_0000UL);
        if (m > c.Sqrt2) { m *= 0.5; e += 1; }
        var f = (m - 1.0) / (m + 1.0);
        var s = f * f;
        var q = c.L23;
        q = q * s + c.L21;
        q = q * s + c.L19;
        q = q * s + c.L17;
        q = q * s + c.L15;
        q = q * s + c.L13;
        q = q * s + c.L11;
        q = q * s + c.L9;
        q = q * s + c.L7;
        q = q * s + c.L5;
        q = q * s + c.L3;
        var k = (double)e;
        return (k * c.Ln2Hi + 2.0 * f) + (f * (q * s) + k * c.Ln2Lo);
    }

    /// <summary>
    /// sin and cos of 2πu for u in [0, 1): the scalar twin of NoiseSource's lane-independent TurnSinCos (same reduction
    /// 4u = q + f, φ = f π/2 in [−π/4, π/4], same Taylor polynomials of degree 17 and 16, same quadrant logic), with a
    /// separate multiply and add where the CPU uses a fused multiply-add (ILGPU has no portable fma); constants from
    /// <paramref name="c"/>.
    /// </summary>
    public static void TurnSinCos(double u, MathConstants c, out double sin, out double cos)
    {
        var w = 4.0 * u;
        var q = Math.Floor(w + 0.5);
        if (q - w == 0.5 && ((long)q & 1) != 0) q -= 1.0; // round half to even, as Vector512.Round
        var phi = (w - q) * c.HalfPi;
        var z = phi * phi;
        var s = c.F17;
        s = s * z - c.F15;
        s = s * z + c.F13;
        s = s * z - c.F11;
        s = s * z + c.F9;
        s = s * z - c.F7;
        s = s * z + c.F5;
        s = s * z - c.F3;
        s = (s * z) * phi + phi;
        var k = c.F16;
        k = k * z - c.F14;
        k = k * z + c.F12;
        k = k * z - c.F10;
        k = k * z + c.F8;
        k = k * z - c.F6;
        k = k * z + c.F4;
        k = k * z + -0.5;
        k = k * z + 1.0;
        var quadrant = (long)q & 3;
        var sinPhi = (quadrant & 1) == 1 ? k : s;
        var cosPhi = (quadrant & 1) == 1 ? s : k;
        sin = quadrant >= 2 ? -sinPhi : sinPhi;
        cos = quadrant == 1 || quadrant == 2 ? -cosPhi : cosPhi;
    }
}
