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

    /// <summary>Doubles per time slot in <see cref="Tables"/>: 3KD + K.</summary>
    public int Stride;

    /// <summary>U_k row-major, K × D × D (empty when isotropic).</summary>
    public ArrayView<double> Eigenvectors;

    /// <summary>Per slot: α μ (KD), 1/λ (KD), Uᵀ α μ (KD), normalisers (K).</summary>
    public ArrayView<double> Tables;

    /// <inheritdoc />
    public readonly int ScratchLength => Components + Dimension;

    /// <inheritdoc />
    public readonly void Score(int slot, ArrayView<double> x, ArrayView<double> destination, ArrayView<double> scratch)
    {
        var k = Components;
        var d = Dimension;
        var kd = k * d;
        long nm = (long)slot * Stride;   // α μ_k
        var inv = nm + kd;               // 1/λ_kj
        var rot = inv + kd;              // U_kᵀ α μ_k
        var norm = rot + kd;             // normalisers
        var y = d == 0 ? scratch : scratch.SubView(k, d);

        // Logits: log w_k N(x; α μ_k, C_k) (GaussianMixture.ComputeLogits).
        for (var c = 0; c < k; c++)
        {
            var q = 0.0;
            if (Isotropic != 0)
            {
                for (var i = 0; i < d; i++)
                {
                    var z = x[i] - Tables[nm + c * d + i];
                    q = z * z + q;
                }
                q *= -0.5 * Tables[inv + c * d];
            }
            else
            {
                for (var j = 0; j < d; j++)
                {
                    var r = -Tables[rot + c * d + j];
                    for (var i = 0; i < d; i++) r = x[i] * Eigenvectors[((long)c * d + i) * d + j] + r;
                    var y2 = r * r;
                    q = y2 * (-0.5 * Tables[inv + c * d + j]) + q;
                }
            }
            scratch[c] = q + Tables[norm + c];
        }
        // Responsibilities by log-sum-exp.
        var max = double.NegativeInfinity;
        for (var c = 0; c < k; c++) max = scratch[c] > max ? scratch[c] : max;
        var sum = 0.0;
        for (var c = 0; c < k; c++)
        {
            var e = DeviceMath.Exp(scratch[c] - max);
            scratch[c] = e;
            sum += e;
        }
        var reciprocal = 1.0 / sum;
        for (var c = 0; c < k; c++) scratch[c] *= reciprocal;

        if (Isotropic != 0)
        {
            // Σ_k (r_k/λ_k) α μ_k − x Σ_k r_k/λ_k (GaussianMixture.AccumulateScore, isotropic path).
            var precision = 0.0;
            for (var i = 0; i < d; i++) destination[i] = 0.0;
            for (var c = 0; c < k; c++)
            {
                var weighted = scratch[c] * Tables[inv + c * d];
                precision += weighted;
                for (var i = 0; i < d; i++) destination[i] = weighted * Tables[nm + c * d + i] + destination[i];
            }
            for (var i = 0; i < d; i++) destination[i] = destination[i] - precision * x[i];
            return;
        }
        // −Σ_k r_k U_k diag(1/λ_k) U_kᵀ (x − α μ_k).
        for (var i = 0; i < d; i++) destination[i] = 0.0;
        for (var c = 0; c < k; c++)
        {
            for (var j = 0; j < d; j++)
            {
                var r = -Tables[rot + c * d + j];
                for (var i = 0; i < d; i++) r = x[i] * Eigenvectors[((long)c * d + i) * d + j] + r;
                y[j] = r * Tables[inv + c * d + j];
            }
            for (var i = 0; i < d; i++)
            {
                var component = 0.0;
                for (var j = 0; j < d; j++) component = y[j] * Eigenvectors[((long)c * d + i) * d + j] + component;
                destination[i] = scratch[c] * component + destination[i];
            }
        }
        for (var i = 0; i < d; i++) destination[i] = -destination[i];
    }
}
