using ILGPU;

namespace Diffusion.Research.Gpu;

/// <summary>
/// The exact score of a noised Gaussian mixture, s(x, t) = Σ_k r_k(x) C_k⁻¹ (α_t μ_k − x) with C_k = α_t² Σ_k + σ_t² I
/// (003 §4.4, Lemma 4.4.1 kernel; 000 "Tweedie's Formula"; Kingma et al. 2021; Robbins 1956; Efron 2011), for one particle: the
/// device twin of
/// GaussianMixture.NoisedScore, with the same operation order (logits, log-sum-exp responsibilities, isotropic and
/// rotated paths). Σ_k = U_k diag(L_k) U_kᵀ is diagonalised on the host once; per time slot the host tabulates
/// α μ_k, 1/λ_kj with λ_kj = α² L_kj + σ², U_kᵀ α μ_k and log w_k − D/2 log 2π − ½ log det C_k
/// (<see cref="MixtureScoreTables"/>), so the kernel only does the per-particle work.
/// </summary>
public struct DeviceMixtureScore : IDeviceScore
{
    /// <summary>K.</summary>
    public int Components;

    /// <summary>D.</summary>
    public int Dimension;

    /// <summary>1 when every Σ_k = c_k I (no rotation).</summary>
    public int Isotropic;

    /// <summary>1 for the two-dimensional isotropic path (D = 2, every Σ_k = c_k I; the same bits as the general isotropic path,
    /// with the coordinates in registers); 0 runs the general path (<see cref="MixtureScoreTables.Device"/> sets 1 where it applies).</summary>
    public int Planar;

    /// <summary>Doubles per time slot in <see cref="Tables"/>: 3KD + K, plus 4K for the two-dimensional path, plus 1 (<see cref="MixtureScoreTables.Stride"/>).</summary>
    public int Stride;

    /// <summary>U_k row-major, K × D × D (empty when isotropic).</summary>
    public ArrayView<double> Eigenvectors;

    /// <summary>Per slot: α μ (KD), 1/λ (KD), Uᵀ α μ (KD), normalisers (K); for D = 2 with isotropic components then
    /// the records (α μ_k0, α μ_k1, 1/λ_k, n_k) of the two-dimensional path (4K); last the softmax shift max_k n_k (1).</summary>
    public ArrayView<double> Tables;

    /// <summary>The exp's constants (<see cref="MathConstants.Taylor"/>), read from the kernel parameter.</summary>
    public MathConstants Constants;

    /// <inheritdoc />
    public readonly int ScratchLength => Components + Dimension;

    // Work per particle is kept to arithmetic and few memory operations (docs/gpu.md, "Measured on an NVIDIA H200"): the per-slot tables are
    // views taken once, with 32-bit offsets inside them (64-bit index products in the inner loops were most of the
    // instructions); loops over coordinates take two at a time, in the CPU's summation order; per-thread stores go through
    // to L2, so each component stores at most one value (its weight).
    // Responsibilities r_k = e_k / Σ e enter as s = (Σ_k e_k v_k) / Σ e: the normalisation is one multiplication per
    // coordinate at the end instead of one per component, which differs from the CPU's order (r_k first) by rounding only.
    // The softmax's shift (docs/gpu.md, "Design"): e_k = exp(ℓ_k − b) with b = max_k n_k, tabulated per slot, instead of the
    // largest logit, so that one pass over the components computes logit, exponential and weighted sums. Every logit is
    // ℓ_k = n_k − ½ q_k with q_k ≥ 0, so ℓ_k ≤ n_k ≤ b (rounding keeps the order): no exponent is positive and nothing
    // overflows, and r_k is the same as with the largest logit as the shift (GaussianMixture's) to rounding. Only when
    // Σ e < 2⁻⁹⁰⁰ (a particle so far from every component that its largest e_k is near or below the subnormal range, or
    // a NaN) is the pass repeated with the largest logit as the shift, which cannot underflow: max_k e_k = 1.

    /// <inheritdoc />
    public readonly void Score(int slot, ArrayView<double> x, ArrayView<double> destination, ArrayView<double> scratch)
    {
        var k = Components;
        var d = Dimension;
        var kd = k * d;
        var table = Tables.SubView((long)slot * Stride, Stride);
        var means = table.SubView(0, kd);            // α μ_k
        var precisions = table.SubView(kd, kd);      // 1/λ_kj
        var rotatedMeans = table.SubView(2 * kd, kd); // U_kᵀ α μ_k
        var normalisers = table.SubView(3 * kd, k);  // log w_k − D/2 log 2π − ½ log det C_k
        var bound = table[Stride - 1];               // max_k n_k
        if (Planar != 0) PlanarIsotropicScore(x, destination, table.SubView(3 * kd + k, 4 * k), k, bound, Constants);
        else if (Isotropic != 0) IsotropicScore(x, destination, scratch, means, precisions, normalisers, k, d, bound, Constants);
        else RotatedScore(x, destination, scratch, precisions, rotatedMeans, normalisers, k, d, bound);
    }

    /// <summary>The sum of the shifted exponentials below which a pass is repeated with the largest logit as the shift.</summary>
    private const double SoftmaxFloor = 1.1830521861667747e-271; // 2^-900

    // Σ_k = c_k I: ℓ_k = −½ |x − α μ_k|² / λ_k + n_k, s = Σ_k (r_k/λ_k) α μ_k − x Σ_k r_k/λ_k (GaussianMixture.ComputeLogits and
    // AccumulateScore, isotropic path).
    private static void IsotropicScore(ArrayView<double> x, ArrayView<double> destination, ArrayView<double> weights,
        ArrayView<double> means, ArrayView<double> precisions, ArrayView<double> normalisers, int k, int d, double bound,
        MathConstants constants)
    {
        IsotropicPass(x, weights, means, precisions, normalisers, k, d, bound, constants, out var sum, out var precision);
        if (!(sum >= SoftmaxFloor))
        {
            var max = double.NegativeInfinity;
            for (int c = 0, m = 0; c < k; c++, m += d)
            {
                var logit = IsotropicLogit(x, means, precisions, normalisers, c, m, d);
                max = logit > max ? logit : max;
            }
            IsotropicPass(x, weights, means, precisions, normalisers, k, d, max, constants, out sum, out precision);
        }
        var reciprocal = 1.0 / sum;
        precision *= reciprocal; // Σ_k r_k/λ_k
        // Coordinate 0 before the loop: ILGPU places a value where it is used, so with every use inside the loop it
        // would compute the reciprocal once per coordinate.
        destination[0] = WeightedMean(weights, means, 0, k, d) * reciprocal - precision * x[0];
        for (var i = 1; i < d; i++) destination[i] = WeightedMean(weights, means, i, k, d) * reciprocal - precision * x[i];
    }

    // e_c = exp(ℓ_c − shift) for every component: Σ e, Σ e/λ, and e_c/λ_c into weights[c].
    private static void IsotropicPass(ArrayView<double> x, ArrayView<double> weights, ArrayView<double> means,
        ArrayView<double> precisions, ArrayView<double> normalisers, int k, int d, double shift, MathConstants constants,
        out double sum, out double precision)
    {
        sum = 0.0;
        precision = 0.0;
        for (int c = 0, m = 0; c < k; c++, m += d)
        {
            var e = DeviceMath.ExpNonPositive(IsotropicLogit(x, means, precisions, normalisers, c, m, d) - shift, constants);
            sum += e;
            var weighted = e * precisions[m];
            precision += weighted;
            weights[c] = weighted;
        }
    }

    // ℓ_c = −½ |x − α μ_c|² / λ_c + n_c, the coordinates two at a time in the CPU's order (m = c D).
    private static double IsotropicLogit(ArrayView<double> x, ArrayView<double> means, ArrayView<double> precisions,
        ArrayView<double> normalisers, int c, int m, int d)
    {
        var q = 0.0;
        var i = 0;
        for (; i + 1 < d; i += 2)
        {
            var z0 = x[i] - means[m + i];
            var z1 = x[i + 1] - means[m + i + 1];
            q = z0 * z0 + q;
            q = z1 * z1 + q;
        }
        if (i < d)
        {
            var z = x[i] - means[m + i];
            q = z * z + q;
        }
        return q * (-0.5 * precisions[m]) + normalisers[c];
    }

    // IsotropicScore for D = 2 (the two-dimensional data sets: 8gaussians, moons, swissroll, …), with the same operations in
    // the same order and so the same bits: the particle's coordinates and the two weighted means stay in registers, and
    // the weighted means are summed in the pass itself (over k in order, as WeightedMean sums them) instead of a pass of
    // their own, so nothing goes through per-thread memory. Each component is read from its record
    // (α μ_k0, α μ_k1, 1/λ_k, n_k). One component per iteration: two exps in flight took the kernel from 46 to 52
    // registers (sm_90, scripts/gpu-sass.sh), which would lower the resident warps per SM from the 40 measured on the H200
    // to at most 36.
    private static void PlanarIsotropicScore(ArrayView<double> x, ArrayView<double> destination, ArrayView<double> records,
        int k, double bound, MathConstants constants)
    {
        var x0 = x[0];
        var x1 = x[1];
        PlanarPass(x0, x1, records, k, bound, constants, out var sum, out var precision, out var mean0, out var mean1);
        if (!(sum >= SoftmaxFloor))
        {
            var max = double.NegativeInfinity;
            for (var c = 0; c < k; c++)
            {
                var logit = PlanarLogit(x0, x1, records.SubView(4 * c, 4));
                max = logit > max ? logit : max;
            }
            PlanarPass(x0, x1, records, k, max, constants, out sum, out precision, out mean0, out mean1);
        }
        var reciprocal = 1.0 / sum;
        precision *= reciprocal;
        destination[0] = mean0 * reciprocal - precision * x0;
        destination[1] = mean1 * reciprocal - precision * x1;
    }

    // e_c = exp(ℓ_c − shift) for every component: Σ e, Σ e/λ and the weighted means Σ e_c/λ_c α μ_c.
    private static void PlanarPass(double x0, double x1, ArrayView<double> records, int k, double shift, MathConstants constants,
        out double sum, out double precision, out double mean0, out double mean1)
    {
        sum = 0.0;
        precision = 0.0;
        mean0 = 0.0;
        mean1 = 0.0;
        for (int left = k, offset = 0; left > 0; left--, offset += 4)
        {
            var record = records.SubView(offset, 4);
            var e = DeviceMath.ExpNonPositive(PlanarLogit(x0, x1, record) - shift, constants);
            sum += e;
            var weighted = e * record[2];
            precision += weighted;
            mean0 = weighted * record[0] + mean0;
            mean1 = weighted * record[1] + mean1;
        }
    }

    // ℓ_c = −½ |x − α μ_c|² / λ_c + n_c (record: α μ_c0, α μ_c1, 1/λ_c, n_c).
    private static double PlanarLogit(double x0, double x1, ArrayView<double> record)
    {
        var z0 = x0 - record[0];
        var z1 = x1 - record[1];
        var q = z0 * z0 + 0.0;
        q = z1 * z1 + q;
        return q * (-0.5 * record[2]) + record[3];
    }

    // Σ_k w_k α μ_ki, in the order k = 0, 1, ….
    private static double WeightedMean(ArrayView<double> weights, ArrayView<double> means, int i, int k, int d)
    {
        var mean = 0.0;
        var c = 0;
        var m = i;
        for (; c + 1 < k; c += 2, m += 2 * d)
        {
            mean = weights[c] * means[m] + mean;
            mean = weights[c + 1] * means[m + d] + mean;
        }
        if (c < k) mean = weights[c] * means[m] + mean;
        return mean;
    }

    // Σ_k = U_k diag(L_k) U_kᵀ: y_k = U_kᵀ x − U_kᵀ α μ_k, ℓ_k = −½ Σ_j y_kj²/λ_kj + n_k,
    // s = −Σ_k r_k U_k diag(1/λ_k) y_k (GaussianMixture's rotated path). The eigenvectors are K × D × D row-major.
    private readonly void RotatedScore(ArrayView<double> x, ArrayView<double> destination, ArrayView<double> scratch,
        ArrayView<double> precisions, ArrayView<double> rotatedMeans, ArrayView<double> normalisers, int k, int d, double bound)
    {
        var weights = scratch.SubView(0, k);
        var y = scratch.SubView(k, d);
        var sum = RotatedPass(x, weights, precisions, rotatedMeans, normalisers, k, d, bound);
        if (!(sum >= SoftmaxFloor))
        {
            var max = double.NegativeInfinity;
            for (var c = 0; c < k; c++)
            {
                var logit = RotatedLogit(x, precisions, rotatedMeans, normalisers, c, d);
                max = logit > max ? logit : max;
            }
            sum = RotatedPass(x, weights, precisions, rotatedMeans, normalisers, k, d, max);
        }
        for (var i = 0; i < d; i++) destination[i] = 0.0;
        for (var c = 0; c < k; c++)
        {
            var u = Eigenvectors.SubView((long)c * d * d, d * d);
            for (var j = 0; j < d; j++) y[j] = RotatedCoordinate(x, u, rotatedMeans, c, j, d) * precisions[c * d + j];
            var e = weights[c];
            for (var i = 0; i < d; i++)
            {
                var component = 0.0;
                for (var j = 0; j < d; j++) component = y[j] * u[i * d + j] + component;
                destination[i] = e * component + destination[i];
            }
        }
        var reciprocal = -1.0 / sum;
        for (var i = 0; i < d; i++) destination[i] = destination[i] * reciprocal;
    }

    // e_c = exp(ℓ_c − shift) into weights[c] for every component; returns Σ e.
    private readonly double RotatedPass(ArrayView<double> x, ArrayView<double> weights, ArrayView<double> precisions,
        ArrayView<double> rotatedMeans, ArrayView<double> normalisers, int k, int d, double shift)
    {
        var sum = 0.0;
        for (var c = 0; c < k; c++)
        {
            var e = DeviceMath.ExpNonPositive(RotatedLogit(x, precisions, rotatedMeans, normalisers, c, d) - shift, Constants);
            sum += e;
            weights[c] = e;
        }
        return sum;
    }

    private readonly double RotatedLogit(ArrayView<double> x, ArrayView<double> precisions, ArrayView<double> rotatedMeans,
        ArrayView<double> normalisers, int c, int d)
    {
        var u = Eigenvectors.SubView((long)c * d * d, d * d);
        var q = 0.0;
        for (var j = 0; j < d; j++)
        {
            var r = RotatedCoordinate(x, u, rotatedMeans, c, j, d);
            q = r * r * (-0.5 * precisions[c * d + j]) + q;
        }
        return q + normalisers[c];
    }

    // y_kj = (U_kᵀ x)_j − (U_kᵀ α μ_k)_j, accumulated from −(U_kᵀ α μ_k)_j over i in order (u = U_k, row-major).
    private static double RotatedCoordinate(ArrayView<double> x, ArrayView<double> u, ArrayView<double> rotatedMeans, int c, int j, int d)
    {
        var r = -rotatedMeans[c * d + j];
        for (var i = 0; i < d; i++) r = x[i] * u[i * d + j] + r;
        return r;
    }
}
