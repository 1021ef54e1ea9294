using Diffusion.Research.Sampling;

namespace Diffusion.Research.Exact;

/// <summary>
/// A solve of a problem with affine drift, written as x_0 = M x_T + c + Σ_k N_k z_k with independent standard
/// normal vectors z_k (one per noise stream and coordinate); only Q = Σ_k N_k N_kᵀ is kept. Pushing a normal
/// initial law N(m_T, C_T) through it gives N(M m_T + c, M C_T Mᵀ + Q) (<see cref="Push"/>). Built by
/// <see cref="AffineResponse.Measure"/>.
/// </summary>
public sealed class AffineMap
{
    private readonly double[,] _matrix, _noiseCovariance;
    private readonly double[] _offset;

    internal AffineMap(double[,] matrix, double[] offset, double[,] noiseCovariance, int streams, double defect, bool adaptive, SolverStatistics statistics)
    {
        _matrix = matrix;
        _offset = offset;
        _noiseCovariance = noiseCovariance;
        Streams = streams;
        AffinityDefect = defect;
        StepSequenceFromProbes = adaptive;
        Statistics = statistics;
    }

    /// <summary>D.</summary>
    public int Dimension => _offset.Length;

    /// <summary>M[i, j].</summary>
    public double Matrix(int i, int j) => _matrix[i, j];

    /// <summary>c[i].</summary>
    public double Offset(int i) => _offset[i];

    /// <summary>Q[i, j] = Σ_k N_k[i] N_k[j].</summary>
    public double NoiseCovariance(int i, int j) => _noiseCovariance[i, j];

    /// <summary>Number of noise streams the solver drew from (0 for a deterministic solver).</summary>
    public int Streams { get; }

    /// <summary>
    /// max |M v + c − y_v| / max(1, max |y_v|) for a point v solved alone: 0 to rounding when the solve is affine and
    /// does not couple particles; large for samplers whose steps depend on the batch (batch-averaged step sizes) or
    /// on the state in a non-affine way.
    /// </summary>
    public double AffinityDefect { get; }

    /// <summary>True for adaptive solvers: the map is exact for the step sequence they chose on the probe batch, which
    /// need not be the sequence a sampling batch would get.</summary>
    public bool StepSequenceFromProbes { get; }

    /// <summary>The statistics of the probe solve (NFE, accepted and rejected steps).</summary>
    public SolverStatistics Statistics { get; }

    /// <summary>The law of x_0 when x_T ~ <paramref name="initial"/>: N(M m + c, M C Mᵀ + Q).</summary>
    public GaussianLaw Push(GaussianLaw initial)
    {
        ArgumentNullException.ThrowIfNull(initial);
        var d = Dimension;
        if (initial.Dimension != d) throw new ArgumentException($"The initial law is {initial.Dimension}-dimensional, the map {d}-dimensional.", nameof(initial));
        var mean = new double[d];
        for (var i = 0; i < d; i++)
        {
            var s = _offset[i];
            for (var j = 0; j < d; j++) s += _matrix[i, j] * initial.Mean(j);
            mean[i] = s;
        }
        var c = initial.CovarianceMatrix();
        var mc = new double[d, d];
        for (var i = 0; i < d; i++)
            for (var j = 0; j < d; j++)
            {
                var s = 0.0;
                for (var k = 0; k < d; k++) s += _matrix[i, k] * c[k, j];
                mc[i, j] = s;
            }
        var cov = new double[d, d];
        for (var i = 0; i < d; i++)
            for (var j = 0; j <= i; j++)
            {
                var s = _noiseCovariance[i, j];
                for (var k = 0; k < d; k++) s += mc[i, k] * _matrix[j, k];
                cov[i, j] = s;
                cov[j, i] = s;
            }
        return GaussianLaw.Full(mean, cov);
    }
}
