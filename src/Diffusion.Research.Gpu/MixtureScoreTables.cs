using Diffusion.Research.Data;
using MathNet.Numerics.LinearAlgebra;

namespace Diffusion.Research.Gpu;

/// <summary>
/// Host side of <see cref="DeviceMixtureScore"/>: the eigendecomposition Σ_k = U_k diag(L_k) U_kᵀ of every component
/// (as GaussianMixture.Decompose does it: isotropic components keep U = I, others go through MathNet's symmetric EVD of
/// the same stored matrix, so U and L are the CPU's bit for bit) and, for each time slot (α, σ), the quantities of
/// GaussianMixture.PrepareKernel computed with the same expressions, so the per-slot tables equal the CPU's.
/// </summary>
public sealed class MixtureScoreTables
{
    private const double LogTwoPi = 1.8378770664093454835606594728112; // log(2 pi)
    private readonly double[] _eigenvalues;
    private readonly double[] _means;
    private readonly double[] _weights;

    /// <summary>Decomposes <paramref name="mixture"/>; throws <see cref="NotSupportedException"/> beyond the device limits.</summary>
    public MixtureScoreTables(GaussianMixture mixture)
    {
        ArgumentNullException.ThrowIfNull(mixture);
        var k = mixture.Components;
        var d = mixture.Dimension;
        if (d > DeviceLimits.MaxDimension)
            throw new NotSupportedException($"the device kernels handle dimension up to {DeviceLimits.MaxDimension}, the data have {d}");
        if (k > DeviceLimits.MaxComponents)
            throw new NotSupportedException($"the device kernels handle up to {DeviceLimits.MaxComponents} mixture components, the data have {k}");
        Components = k;
        Dimension = d;
        IsIsotropic = mixture.IsIsotropic;
        _weights = [.. mixture.Weights];
        _means = new double[k * d];
        _eigenvalues = new double[k * d];
        Eigenvectors = IsIsotropic ? [] : new double[k * d * d];
        for (var c = 0; c < k; c++)
        {
            mixture.Mean(c).CopyTo(_means, c * d);
            var cov = mixture.Covariance(c);
            if (IsIsotropic)
            {
                for (var j = 0; j < d; j++) _eigenvalues[c * d + j] = cov[0, 0];
                continue;
            }
            var isotropic = true;
            for (var i = 0; i < d; i++)
                for (var j = 0; j < d; j++)
                    if (i == j ? cov[i, i] != cov[0, 0] : cov[i, j] != 0.0) isotropic = false;
            if (isotropic)
            {
                for (var i = 0; i < d; i++)
                {
                    _eigenvalues[c * d + i] = cov[0, 0];
                    Eigenvectors[(c * d + i) * d + i] = 1.0;
                }
                continue;
            }
            var evd = Matrix<double>.Build.Dense(d, d, (i, j) => cov[i, j]).Evd(Symmetricity.Symmetric);
            for (var j = 0; j < d; j++)
            {
                _eigenvalues[c * d + j] = evd.EigenValues[j].Real;
                for (var i = 0; i < d; i++) Eigenvectors[(c * d + i) * d + j] = evd.EigenVectors[i, j];
            }
        }
    }

    /// <summary>K.</summary>
    public int Components { get; }

    /// <summary>D.</summary>
    public int Dimension { get; }

    /// <summary>True when every component is isotropic (the kernel skips rotations).</summary>
    public bool IsIsotropic { get; }

    /// <summary>U_k row-major (K × D × D); empty when isotropic.</summary>
    public double[] Eigenvectors { get; }

    /// <summary>True when the two-dimensional path applies (D = 2, every component isotropic): the slot tables then end with
    /// a record per component for it.</summary>
    public bool IsPlanar => IsIsotropic && Dimension == 2;

    /// <summary>Doubles per slot: 3KD + K, 4K more for the two-dimensional path's records (<see cref="IsPlanar"/>), and the
    /// softmax shift max_k n_k last.</summary>
    public int Stride => 3 * Components * Dimension + Components + (IsPlanar ? 4 * Components : 0) + 1;

    /// <summary>The kernel struct over device views of <see cref="Eigenvectors"/> (any non-empty view when isotropic) and the slot tables.</summary>
    public DeviceMixtureScore Device(ILGPU.ArrayView<double> eigenvectors, ILGPU.ArrayView<double> tables) => new()
    {
        Components = Components,
        Dimension = Dimension,
        Isotropic = IsIsotropic ? 1 : 0,
        Planar = IsPlanar ? 1 : 0,
        Stride = Stride,
        Eigenvectors = eigenvectors,
        Tables = tables,
        Constants = MathConstants.Taylor,
    };

    /// <summary>Writes the tables of slot (α, σ) into <paramref name="destination"/> (<see cref="Stride"/> values), as
    /// GaussianMixture.PrepareKernel; for the two-dimensional path also the record (α μ_k0, α μ_k1, 1/λ_k, n_k) of each
    /// component, the same values side by side, so that the kernel reads a component from one address; last the largest
    /// normaliser max_k n_k, an upper bound of every logit that the kernel's softmax subtracts (<see cref="DeviceMixtureScore"/>).</summary>
    public void Fill(double alpha, double sigma, Span<double> destination)
    {
        var k = Components;
        var d = Dimension;
        var kd = k * d;
        var noisedMeans = destination.Slice(0, kd);
        var inverse = destination.Slice(kd, kd);
        var rotated = destination.Slice(2 * kd, kd);
        var normalisers = destination.Slice(3 * kd, k);
        var a2 = alpha * alpha;
        var s2 = sigma * sigma;
        for (var c = 0; c < k; c++)
        {
            var logDet = 0.0;
            for (var j = 0; j < d; j++)
            {
                var l = _eigenvalues[c * d + j];
                var lambda = a2 * l + s2; // λ = α² L + σ² (003 §4.4; Kingma et al. 2021)
                logDet += Math.Log(lambda);
                inverse[c * d + j] = 1.0 / lambda;
                noisedMeans[c * d + j] = alpha * _means[c * d + j];
            }
            for (var j = 0; j < d; j++)
            {
                var r = 0.0;
                if (!IsIsotropic)
                    for (var i = 0; i < d; i++) r += Eigenvectors[(c * d + i) * d + j] * noisedMeans[c * d + i];
                rotated[c * d + j] = r;
            }
            normalisers[c] = Math.Log(_weights[c]) - 0.5 * (d * LogTwoPi + logDet);
        }
        var bound = double.NegativeInfinity;
        foreach (var n in normalisers) bound = Math.Max(bound, n);
        destination[Stride - 1] = bound;
        if (!IsPlanar) return;
        var records = destination.Slice(3 * kd + k, 4 * k);
        for (var c = 0; c < k; c++)
        {
            records[4 * c] = noisedMeans[2 * c];
            records[4 * c + 1] = noisedMeans[2 * c + 1];
            records[4 * c + 2] = inverse[2 * c];
            records[4 * c + 3] = normalisers[c];
        }
    }
}
