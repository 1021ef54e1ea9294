using Diffusion.Research.Numerics;

namespace Diffusion.Research.Scores;

/// <summary>
/// An exact score plus a controlled, seeded, smooth error, for sensitivity studies: s̃ = s + e with
/// e(x, t) = ε·u(x, t) (<see cref="PerturbationKind.Absolute"/>) or ε·‖s(x, t)‖·u(x, t) (<see cref="PerturbationKind.Relative"/>),
/// where u is a random Fourier field u(x, t) = sqrt(2/M) Σ_m a_m cos(w_m·x + c_m t + b_m) with unit vectors a_m,
/// frequencies w_m ~ N(0, I/ℓ²), c_m ~ N(0, 1) and phases b_m ~ U[0, 2π), all fixed by the seed. Over the random
/// phases E‖u‖² = 1 exactly, so ε is the root-mean-square size of the error (absolute or relative). u is C^∞ in
/// (x, t) with length scale ℓ; the relative error is only continuous where s = 0.
/// </summary>
public sealed class PerturbedScore : IScoreModel
{
    private readonly double[] _directions;  // M x D, unit rows a_m
    private readonly double[] _frequencies; // M x D, w_m
    private readonly double[] _timeFrequencies; // M, c_m
    private readonly double[] _phases;      // M, b_m
    private readonly double _amplitude;     // sqrt(2/M)

    /// <summary>The exact score <paramref name="exact"/> with an error of size <paramref name="epsilon"/> in <paramref name="dimension"/> dimensions.</summary>
    public PerturbedScore(IScoreModel exact, double epsilon, int dimension, ulong seed,
        PerturbationKind kind = PerturbationKind.Absolute, int features = 16, double lengthScale = 1.0)
    {
        ArgumentNullException.ThrowIfNull(exact);
        if (!(epsilon >= 0) || !double.IsFinite(epsilon)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "Must be finite and >= 0.");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(features);
        if (!(lengthScale > 0) || !double.IsFinite(lengthScale)) throw new ArgumentOutOfRangeException(nameof(lengthScale), lengthScale, "Must be finite and > 0.");
        if (!Enum.IsDefined(kind)) throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown perturbation kind.");
        Exact = exact;
        Epsilon = epsilon;
        Dimension = dimension;
        Kind = kind;
        Features = features;
        LengthScale = lengthScale;
        _amplitude = Math.Sqrt(2.0 / features);
        _directions = new double[features * dimension];
        _frequencies = new double[features * dimension];
        _timeFrequencies = new double[features];
        _phases = new double[features];
        var noise = new NoiseSource(seed).Derive(0x5045_5254_5552_42UL); // "PERTURB"
        for (var m = 0; m < features; m++)
        {
            var a = _directions.AsSpan(m * dimension, dimension);
            noise.FillGaussian(0, m, a);
            var norm = Math.Sqrt(System.Numerics.Tensors.TensorPrimitives.Dot(a, a));
            System.Numerics.Tensors.TensorPrimitives.Multiply(a, 1.0 / norm, a);
            var w = _frequencies.AsSpan(m * dimension, dimension);
            noise.FillGaussian(1, m, w);
            System.Numerics.Tensors.TensorPrimitives.Multiply(w, 1.0 / lengthScale, w);
            _timeFrequencies[m] = noise.Gaussian(2, m, 0);
            _phases[m] = 2 * Math.PI * noise.Uniform(3, m, 0);
        }
    }

    /// <summary>The exact score.</summary>
    public IScoreModel Exact { get; }

    /// <summary>ε, the RMS size of the error (absolute or relative).</summary>
    public double Epsilon { get; }

    /// <summary>D.</summary>
    public int Dimension { get; }

    /// <summary>Absolute or relative.</summary>
    public PerturbationKind Kind { get; }

    /// <summary>M, the number of Fourier features.</summary>
    public int Features { get; }

    /// <summary>ℓ, the length scale of the error field.</summary>
    public double LengthScale { get; }

    /// <inheritdoc />
    public void Score(double t, Batch x, Batch destination)
    {
        if (x.Dimension != Dimension)
            throw new ArgumentException($"Batch 'x' has dimension {x.Dimension}, the perturbation has {Dimension}.", nameof(x));
        Exact.Score(t, x, destination);
        if (Epsilon == 0) return;
        var d = Dimension;
        for (var i = 0; i < x.Count; i++)
        {
            ReadOnlySpan<double> xi = x.Row(i);
            var si = destination.Row(i);
            var scale = Epsilon * _amplitude;
            if (Kind == PerturbationKind.Relative)
                scale *= Math.Sqrt(System.Numerics.Tensors.TensorPrimitives.Dot(si, si));
            for (var m = 0; m < Features; m++)
            {
                var phase = System.Numerics.Tensors.TensorPrimitives.Dot(_frequencies.AsSpan(m * d, d), xi) + _timeFrequencies[m] * t + _phases[m];
                System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(_directions.AsSpan(m * d, d), scale * Math.Cos(phase), si, si);
            }
        }
    }
}
