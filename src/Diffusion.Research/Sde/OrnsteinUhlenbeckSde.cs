using Diffusion.Research.Data;
using Diffusion.Research.Kernels;
using Diffusion.Research.Numerics;
using Diffusion.Research.Registries;

namespace Diffusion.Research.Sde;

/// <summary>
/// The Ornstein–Uhlenbeck process dx = −θ x dt + s dW on [0, T] (002 "Euler–Maruyama
/// Approximation and OU Process"; Uhlenbeck and Ornstein 1930; Kloeden and Platen 1992, §10.2). Kernel α_t = e^{−θt}, σ_t² =
/// s²/(2θ)(1 − e^{−2θt}); stationary law and prior N(0, s²/(2θ) I).
/// θ = ½, s = 1 is the VP SDE with constant β = 1 (002 "Forward OU Process"; Uhlenbeck and Ornstein 1930).
/// 002 (cf. Uhlenbeck and Ornstein 1930) writes the stationary law as ∝ exp(−‖x‖²/(2σ²)), which holds only for θ = ½; see
/// docs/errata.md entry 3.
/// </summary>
public sealed class OrnsteinUhlenbeckSde : ILinearSde, IKernel
{
    /// <summary>The OU process with rate θ, noise scale s and horizon T.</summary>
    public OrnsteinUhlenbeckSde(double theta = 0.5, double noiseScale = 1.0, double t = 10.0)
    {
        TimeArgument.RequirePositive(theta, nameof(theta));
        TimeArgument.RequirePositive(noiseScale, nameof(noiseScale));
        TimeArgument.RequirePositive(t, nameof(t));
        Theta = theta;
        NoiseScale = noiseScale;
        T = t;
        StationaryVariance = noiseScale * noiseScale / (2 * theta);
    }

    /// <summary>θ.</summary>
    public double Theta { get; }

    /// <summary>s, the diffusion coefficient.</summary>
    public double NoiseScale { get; }

    /// <summary>s²/(2θ), the variance of the stationary law.</summary>
    public double StationaryVariance { get; }

    /// <inheritdoc />
    public double T { get; }

    /// <inheritdoc />
    public IKernel Kernel => this;

    /// <inheritdoc />
    public void Drift(double t, Batch x, Batch destination) => LinearDrift.Apply(x, -Theta, destination);

    /// <inheritdoc />
    public double DriftCoefficient(double t)
    {
        TimeArgument.Require(t, T);
        return -Theta;
    }

    /// <inheritdoc />
    public double Diffusion(double t)
    {
        TimeArgument.Require(t, T);
        return NoiseScale;
    }

    /// <inheritdoc />
    public double Alpha(double t)
    {
        TimeArgument.Require(t, T);
        return Math.Exp(-Theta * t);
    }

    /// <inheritdoc />
    public double Sigma(double t)
    {
        TimeArgument.Require(t, T);
        // σ_t² = ∫_0^t e^{−2θ(t−u)} s² du = s²/(2θ)(1 − e^{−2θt})   (002, OU conditional law; Uhlenbeck and Ornstein 1930)
        return Math.Sqrt(StationaryVariance * -ElementaryFunctions.Expm1(-2 * Theta * t));
    }

    /// <inheritdoc />
    public IDistribution Prior(int dimension) => Gaussian.Centered(dimension, Math.Sqrt(StationaryVariance));

    /// <inheritdoc />
    public override string ToString() => $"OrnsteinUhlenbeckSde(theta={Theta}, s={NoiseScale}, T={T})";

    /// <summary>Registers ou (<see cref="SdeRegistry.CreateDefault"/>).</summary>
    internal static void Register(SdeRegistry r) =>
        r.Register("ou", "Ornstein-Uhlenbeck dx = -theta x dt + s dW on [0, T], prior N(0, s^2/(2 theta) I)",
            p => new OrnsteinUhlenbeckSde(p["theta"], p["s"], p["T"]),
            ParameterSpec.Real("theta", 0.5, "mean-reversion rate"), ParameterSpec.Real("s", 1.0, "diffusion coefficient") with { Argument = "noiseScale" }, ParameterSpec.Real("T", 10.0, "end time"));
}
