using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Diffusion.Research.Numerics;

namespace Diffusion.Research.Data;

/// <summary>
/// The exact score of a noised isotropic Gaussian mixture for eight particles at once, held in registers (one
/// <see cref="Vector512{T}"/> per coordinate): s(x) = Σ_k r_k(x) (α μ_k − x) / λ_k with λ_k = α² c_k + σ² and the
/// responsibilities r_k = softmax_k(log w_k − D/2 log 2π λ_k − |x − α μ_k|² / (2 λ_k)) (003 §4.4, Lemma 4.4.1;
/// Song et al. 2021, eq. 29 kernel applied to each component). Every lane performs the same operations in the same
/// order as the tile evaluation of <see cref="GaussianMixture"/> (log-sum-exp with the per-particle maximum,
/// <c>TensorPrimitives.Exp</c> for the exponentials, no fused
/// multiply-adds), so both give bit-identical scores and a particle's result never depends on its lane.
/// </summary>
internal static class IsotropicScoreLanes
{
    /// <summary>Particles per call.</summary>
    public const int Lanes = RowLanes.Lanes;

    /// <summary>Length of the per-time constants: [K log-normalisers][K −1/(2 λ_k)][K 1/λ_k][K·D noised means α μ_k].</summary>
    public static int ConstantsLength(int components, int dimension) => components * (3 + dimension);

    /// <summary>Scratch doubles <see cref="Evaluate"/> needs: the K × 8 logits.</summary>
    public static int ScratchLength(int components) => components * Lanes;

    /// <summary>
    /// score[i] = coordinate i of the score of the eight particles whose coordinate i is x[i], for the constants of one
    /// (α, σ) prepared by <see cref="GaussianMixture"/>. <paramref name="scratch"/> holds K × 8 doubles.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Evaluate(ReadOnlySpan<double> constants, int components, ReadOnlySpan<Vector512<double>> x,
        Span<Vector512<double>> score, Span<double> scratch)
    {
        var k = components;
        var d = x.Length;
        if (d == 2)
        {
            EvaluatePlane(constants, k, x[0], x[1], out var s0, out var s1, scratch);
            score[0] = s0;
            score[1] = s1;
            return;
        }
        var normalisers = constants.Slice(0, k);
        var halfPrecisions = constants.Slice(k, k);
        var precisions = constants.Slice(2 * k, k);
        var means = constants.Slice(3 * k, k * d);
        var logits = scratch.Slice(0, k * Lanes);

        // Logit_k = log w_k − D/2 log 2π − ½ log det C_k − |x − α μ_k|² / (2 λ_k), and the per-particle maximum.
        var maximum = Vector512.Create(double.NegativeInfinity);
        for (var c = 0; c < k; c++)
        {
            var q = Vector512<double>.Zero;
            for (var i = 0; i < d; i++)
            {
                var z = x[i] - Vector512.Create(means[c * d + i]);
                q = z * z + q;
            }
            var logit = q * Vector512.Create(halfPrecisions[c]) + Vector512.Create(normalisers[c]);
            maximum = Vector512.Max(maximum, logit);
            logit.CopyTo(logits.Slice(c * Lanes, Lanes));
        }
        for (var c = 0; c < k; c++)
        {
            var slot = logits.Slice(c * Lanes, Lanes);
            (Vector512.Create<double>(slot) - maximum).CopyTo(slot);
        }
        TensorPrimitives.Exp(logits, logits);
        var sum = Vector512<double>.Zero;
        for (var c = 0; c < k; c++) sum += Vector512.Create<double>(logits.Slice(c * Lanes, Lanes));
        var reciprocal = Vector512<double>.One / sum;

        // s = Σ_k (r_k / λ_k) α μ_k − x Σ_k r_k / λ_k.
        for (var i = 0; i < d; i++) score[i] = Vector512<double>.Zero;
        var precision = Vector512<double>.Zero;
        for (var c = 0; c < k; c++)
        {
            var weighted = Vector512.Create<double>(logits.Slice(c * Lanes, Lanes)) * reciprocal * Vector512.Create(precisions[c]);
            precision += weighted;
            for (var i = 0; i < d; i++) score[i] = weighted * Vector512.Create(means[c * d + i]) + score[i];
        }
        for (var i = 0; i < d; i++) score[i] -= precision * x[i];
    }

    // D = 2, the toy problems' dimension: the same operations as the general loop (z·z + 0 is z·z: a square is never
    // −0; 0 + e is e), with the coordinates in locals and no bounds checks on the constants.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void EvaluatePlane(ReadOnlySpan<double> constants, int k, Vector512<double> x0, Vector512<double> x1,
        out Vector512<double> s0, out Vector512<double> s1, Span<double> scratch)
    {
        if (constants.Length < k * 5 || scratch.Length < k * Lanes) throw new ArgumentException("Constants or scratch too short.");
        ref var normalisers = ref MemoryMarshal.GetReference(constants);
        ref var halfPrecisions = ref Unsafe.Add(ref normalisers, k);
        ref var precisions = ref Unsafe.Add(ref normalisers, 2 * k);
        ref var means = ref Unsafe.Add(ref normalisers, 3 * k);
        ref var logits = ref MemoryMarshal.GetReference(scratch);
        var maximum = Vector512.Create(double.NegativeInfinity);
        for (var c = 0; c < k; c++)
        {
            var z0 = x0 - Vector512.Create(Unsafe.Add(ref means, 2 * c));
            var z1 = x1 - Vector512.Create(Unsafe.Add(ref means, 2 * c + 1));
            var q = z1 * z1 + z0 * z0;
            var logit = q * Vector512.Create(Unsafe.Add(ref halfPrecisions, c)) + Vector512.Create(Unsafe.Add(ref normalisers, c));
            maximum = Vector512.Max(maximum, logit);
            logit.StoreUnsafe(ref logits, (nuint)(c * Lanes));
        }
        for (var c = 0; c < k; c++)
            (Vector512.LoadUnsafe(ref logits, (nuint)(c * Lanes)) - maximum).StoreUnsafe(ref logits, (nuint)(c * Lanes));
        var block = scratch.Slice(0, k * Lanes);
        TensorPrimitives.Exp(block, block);
        var sum = Vector512<double>.Zero;
        for (var c = 0; c < k; c++) sum += Vector512.LoadUnsafe(ref logits, (nuint)(c * Lanes));
        var reciprocal = Vector512<double>.One / sum;
        var precision = Vector512<double>.Zero;
        var a0 = Vector512<double>.Zero;
        var a1 = Vector512<double>.Zero;
        for (var c = 0; c < k; c++)
        {
            var weighted = Vector512.LoadUnsafe(ref logits, (nuint)(c * Lanes)) * reciprocal * Vector512.Create(Unsafe.Add(ref precisions, c));
            precision += weighted;
            a0 = weighted * Vector512.Create(Unsafe.Add(ref means, 2 * c)) + a0;
            a1 = weighted * Vector512.Create(Unsafe.Add(ref means, 2 * c + 1)) + a1;
        }
        s0 = a0 - precision * x0;
        s1 = a1 - precision * x1;
    }

    /// <summary>
    /// Two groups of eight particles in D = 2 at once (a and b): the operations of <see cref="EvaluatePlane"/> for each,
    /// interleaved so that the two dependency chains (maximum, sum, division, weighted sums) overlap; the same bits as
    /// two separate calls. <paramref name="scratch"/> holds 2 K × 8 doubles.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void EvaluatePlanePair(ReadOnlySpan<double> constants, int k,
        Vector512<double> x0a, Vector512<double> x1a, Vector512<double> x0b, Vector512<double> x1b,
        out Vector512<double> s0a, out Vector512<double> s1a, out Vector512<double> s0b, out Vector512<double> s1b, Span<double> scratch)
    {
        if (constants.Length < k * 5 || scratch.Length < 2 * k * Lanes) throw new ArgumentException("Constants or scratch too short.");
        ref var normalisers = ref MemoryMarshal.GetReference(constants);
        ref var halfPrecisions = ref Unsafe.Add(ref normalisers, k);
        ref var precisions = ref Unsafe.Add(ref normalisers, 2 * k);
        ref var means = ref Unsafe.Add(ref normalisers, 3 * k);
        ref var la = ref MemoryMarshal.GetReference(scratch);
        ref var lb = ref Unsafe.Add(ref la, k * Lanes);
        var maxA = Vector512.Create(double.NegativeInfinity);
        var maxB = maxA;
        for (var c = 0; c < k; c++)
        {
            var m0 = Vector512.Create(Unsafe.Add(ref means, 2 * c));
            var m1 = Vector512.Create(Unsafe.Add(ref means, 2 * c + 1));
            var half = Vector512.Create(Unsafe.Add(ref halfPrecisions, c));
            var norm = Vector512.Create(Unsafe.Add(ref normalisers, c));
            var z0a = x0a - m0;
            var z0b = x0b - m0;
            var z1a = x1a - m1;
            var z1b = x1b - m1;
            var logitA = (z1a * z1a + z0a * z0a) * half + norm;
            var logitB = (z1b * z1b + z0b * z0b) * half + norm;
            maxA = Vector512.Max(maxA, logitA);
            maxB = Vector512.Max(maxB, logitB);
            logitA.StoreUnsafe(ref la, (nuint)(c * Lanes));
            logitB.StoreUnsafe(ref lb, (nuint)(c * Lanes));
        }
        for (var c = 0; c < k; c++)
        {
            (Vector512.LoadUnsafe(ref la, (nuint)(c * Lanes)) - maxA).StoreUnsafe(ref la, (nuint)(c * Lanes));
            (Vector512.LoadUnsafe(ref lb, (nuint)(c * Lanes)) - maxB).StoreUnsafe(ref lb, (nuint)(c * Lanes));
        }
        var block = scratch.Slice(0, 2 * k * Lanes);
        TensorPrimitives.Exp(block, block);
        var sumA = Vector512<double>.Zero;
        var sumB = Vector512<double>.Zero;
        for (var c = 0; c < k; c++)
        {
            sumA += Vector512.LoadUnsafe(ref la, (nuint)(c * Lanes));
            sumB += Vector512.LoadUnsafe(ref lb, (nuint)(c * Lanes));
        }
        var reciprocalA = Vector512<double>.One / sumA;
        var reciprocalB = Vector512<double>.One / sumB;
        var precisionA = Vector512<double>.Zero;
        var precisionB = Vector512<double>.Zero;
        Vector512<double> a0 = Vector512<double>.Zero, a1 = Vector512<double>.Zero, b0 = Vector512<double>.Zero, b1 = Vector512<double>.Zero;
        for (var c = 0; c < k; c++)
        {
            var p = Vector512.Create(Unsafe.Add(ref precisions, c));
            var m0 = Vector512.Create(Unsafe.Add(ref means, 2 * c));
            var m1 = Vector512.Create(Unsafe.Add(ref means, 2 * c + 1));
            var wa = Vector512.LoadUnsafe(ref la, (nuint)(c * Lanes)) * reciprocalA * p;
            var wb = Vector512.LoadUnsafe(ref lb, (nuint)(c * Lanes)) * reciprocalB * p;
            precisionA += wa;
            precisionB += wb;
            a0 = wa * m0 + a0;
            a1 = wa * m1 + a1;
            b0 = wb * m0 + b0;
            b1 = wb * m1 + b1;
        }
        s0a = a0 - precisionA * x0a;
        s1a = a1 - precisionA * x1a;
        s0b = b0 - precisionB * x0b;
        s1b = b1 - precisionB * x1b;
    }
}
