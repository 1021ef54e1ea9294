using Diffusion.Research.Sampling;

namespace Diffusion.Research.Exact;

/// <summary>
/// A solve that acts on each coordinate separately, x_0[j] = g_j x_T[j] + c_j + Σ_s n_{s,j} z_s[j]: the form every
/// solver in the zoo takes on a linear problem with scalar diffusion g(t) written in the eigenbasis of the data
/// covariance (D independent 1-D problems). Only q_j = Σ_s n_{s,j}² is kept. Built by
/// <see cref="AffineResponse.MeasureDiagonal"/>.
/// </summary>
public sealed class DiagonalAffineMap
{
    private readonly double[] _gain, _offset, _noiseVariance;

    internal DiagonalAffineMap(double[] gain, double[] offset, double[] noiseVariance, int streams, double defect, bool adaptive, SolverStatistics statistics)
    {
        _gain = gain;
        _offset = offset;
        _noiseVariance = noiseVariance;
        Streams = streams;
        AffinityDefect = defect;
        StepSequenceFromProbes = adaptive;
        Statistics = statistics;
    }

    /// <summary>D.</summary>
    public int Dimension => _offset.Length;

    /// <summary>g_j.</summary>
    public double Gain(int j) => _gain[j];

    /// <summary>c_j.</summary>
    public double Offset(int j) => _offset[j];

    /// <summary>q_j = Σ_s n_{s,j}².</summary>
    public double NoiseVariance(int j) => _noiseVariance[j];

    /// <summary>Number of noise streams the solver drew from.</summary>
    public int Streams { get; }

    /// <summary>As <see cref="AffineMap.AffinityDefect"/>, with a diagonal map.</summary>
    public double AffinityDefect { get; }

    /// <summary>As <see cref="AffineMap.StepSequenceFromProbes"/>.</summary>
    public bool StepSequenceFromProbes { get; }

    /// <summary>The statistics of the probe solve.</summary>
    public SolverStatistics Statistics { get; }

    /// <summary>The law of x_0 for a diagonal initial law: mean g m + c, variances g² v + q (per coordinate).</summary>
    public GaussianLaw Push(GaussianLaw initial)
    {
        ArgumentNullException.ThrowIfNull(initial);
        var d = Dimension;
        if (initial.Dimension != d) throw new ArgumentException($"The initial law is {initial.Dimension}-dimensional, the map {d}-dimensional.", nameof(initial));
        if (!initial.IsDiagonal) throw new ArgumentException("A diagonal map pushes diagonal laws only (write the problem in the eigenbasis).", nameof(initial));
        var mean = new double[d];
        var variances = new double[d];
        for (var j = 0; j < d; j++)
        {
            mean[j] = _gain[j] * initial.Mean(j) + _offset[j];
            variances[j] = _gain[j] * _gain[j] * initial.Covariance(j, j) + _noiseVariance[j];
        }
        return GaussianLaw.Diagonal(mean, variances);
    }
}
