using Diffusion.Research.Data;
using Diffusion.Research.Kernels;
using Diffusion.Research.Numerics;

namespace Diffusion.Research.Sde;

/// <summary>
/// Variance-exploding SDE dx = g(t) dW on [0, 1] with the geometric schedule
/// σ(t) = σ_min (σ_max/σ_min)^t (003 §4.3.1 "NCSN"; 001 eq 64; Song and Ermon 2019, §4.2; Song et al. 2021, eq (9)), so
/// g(t) = sqrt(dσ²/dt) = σ(t) sqrt(2 ln(σ_max/σ_min)).
/// Kernel: the EXACT one of this SDE started at t = 0, α_t = 1, σ_t² = σ(t)² − σ_min² (001 eq 67; 003 §4.3.1;
/// Song et al. 2021, eq (29)), not the common approximation σ(t)² (000, 001 eq 68); see docs/errata.md entry 20.
/// Prior N(0, σ_max² I) (003 Table 4.1; Song et al. 2021, §3.4).
/// </summary>
public sealed class VeSde : ILinearSde, IKernel
{
    private readonly double _logRatio;
    private readonly double _g;

    /// <summary>The VE SDE with σ(0) = <paramref name="sigmaMin"/> and σ(1) = <paramref name="sigmaMax"/>.</summary>
    public VeSde(double sigmaMin = 0.01, double sigmaMax = 10.0)
    {
        TimeArgument.RequirePositive(sigmaMin, nameof(sigmaMin));
        TimeArgument.RequirePositive(sigmaMax, nameof(sigmaMax));
        if (!(sigmaMax > sigmaMin))
            throw new ArgumentOutOfRangeException(nameof(sigmaMax), sigmaMax, $"sigma_max must exceed sigma_min = {sigmaMin}.");
        SigmaMin = sigmaMin;
        SigmaMax = sigmaMax;
        _logRatio = Math.Log(sigmaMax / sigmaMin);
        _g = Math.Sqrt(2 * _logRatio);
    }

    /// <summary>σ(0).</summary>
    public double SigmaMin { get; }

    /// <summary>σ(1).</summary>
    public double SigmaMax { get; }

    /// <inheritdoc />
    public double T => 1.0;

    /// <inheritdoc />
    public IKernel Kernel => this;

    /// <summary>The schedule σ(t) = σ_min (σ_max/σ_min)^t (003 §4.3.1; Song et al. 2021, eq (9)).</summary>
    public double NoiseScale(double t)
    {
        TimeArgument.Require(t, T);
        return SigmaMin * Math.Exp(t * _logRatio);
    }

    /// <inheritdoc />
    public void Drift(double t, Batch x, Batch destination)
    {
        x.RequireShape(destination, nameof(destination));
        destination.Values.Clear(); // f = 0 (003 §4.3.1; Song et al. 2021, eq (9))
    }

    /// <inheritdoc />
    public double DriftCoefficient(double t)
    {
        TimeArgument.Require(t, T);
        return 0.0;
    }

    /// <inheritdoc />
    public double Diffusion(double t) => NoiseScale(t) * _g; // g = sqrt(dσ²/dt) = σ(t) sqrt(2 ln(σmax/σmin))

    /// <inheritdoc />
    public double Alpha(double t)
    {
        TimeArgument.Require(t, T);
        return 1.0;
    }

    /// <inheritdoc />
    public double Sigma(double t)
    {
        TimeArgument.Require(t, T);
        // 001 eq 67 (Song et al. 2021, eq (29)): σ_t² = σ(t)² − σ(0)² = σ_min² (e^{2 t ln r} − 1), via expm1 for small t.
        return SigmaMin * Math.Sqrt(ElementaryFunctions.Expm1(2 * t * _logRatio));
    }

    /// <inheritdoc />
    // 003 Table 4.1: Song et al. 2021, §3.4.
    public IDistribution Prior(int dimension) => Gaussian.Centered(dimension, SigmaMax); // 003 Table 4.1

    /// <inheritdoc />
    public override string ToString() => $"VeSde(sigma_min={SigmaMin}, sigma_max={SigmaMax})";
}
