using Diffusion.Research.Kernels;
using Diffusion.Research.Numerics;

namespace Diffusion.Research.Scores;

/// <summary>
/// The one implementation of the conversions between score, ε, x_0 and v predictions through the kernel
/// (001 eqs 37–38: s = −ε/σ = −(x − α x_0)/σ²; x = α x_0 + σ ε; v = α ε − σ x_0, Salimans &amp; Ho 2022).
/// Every kind is an affine function of (x_t, ε): we map the source to ε, then ε to the target, and compose the
/// two affine maps into one <see cref="PredictionMap"/>. Needs σ &gt; 0 for the score and α &gt; 0 for x_0 and v.
/// </summary>
public static class PredictionConversion
{
    /// <summary>The map from <paramref name="from"/> to <paramref name="to"/> at kernel values α, σ.</summary>
    public static PredictionMap Map(Prediction from, Prediction to, double alpha, double sigma)
    {
        if (!(alpha >= 0) || !double.IsFinite(alpha)) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "alpha must be finite and >= 0.");
        if (!(sigma >= 0) || !double.IsFinite(sigma)) throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "sigma must be finite and >= 0.");
        if (from == to) return new PredictionMap(0.0, 1.0);
        // ε = a·x + b·prediction(from)
        var (a, b) = ToEpsilon(from, alpha, sigma);
        // prediction(to) = c·x + d·ε
        var (c, d) = FromEpsilon(to, alpha, sigma);
        return new PredictionMap(c + d * a, d * b);
    }

    /// <summary>The map at time t of <paramref name="kernel"/>.</summary>
    public static PredictionMap Map(Prediction from, Prediction to, IKernel kernel, double t)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        return Map(from, to, kernel.Alpha(t), kernel.Sigma(t));
    }

    /// <summary>Converts a batch of predictions (destination may be the prediction batch itself).</summary>
    public static void Convert(Prediction from, Prediction to, double alpha, double sigma, Batch x, Batch prediction, Batch destination) =>
        Map(from, to, alpha, sigma).Apply(x, prediction, destination);

    /// <summary>Converts a batch of predictions at time t of <paramref name="kernel"/>.</summary>
    public static void Convert(Prediction from, Prediction to, IKernel kernel, double t, Batch x, Batch prediction, Batch destination) =>
        Map(from, to, kernel, t).Apply(x, prediction, destination);

    private static (double, double) ToEpsilon(Prediction kind, double alpha, double sigma) => kind switch
    {
        Prediction.Epsilon => (0.0, 1.0),
        // 001 eq 37: Ho et al. 2020, §3.2; Karras et al. 2022, eq (3).
        Prediction.Score => (0.0, -Positive(sigma, "sigma", kind)),                                       // ε = −σ s (001 eq 37)
        // 001 eq 23: Kingma et al. 2021; Ho et al. 2020, eq (4).
        Prediction.Data => (1.0 / Positive(sigma, "sigma", kind), -alpha / sigma),                       // ε = (x − α x_0)/σ (001 eq 23)
        Prediction.Velocity => (sigma / RadiusSquared(alpha, sigma), alpha / RadiusSquared(alpha, sigma)), // [x; v] = [[α, σ], [−σ, α]] [x_0; ε]
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown prediction kind."),
    };

    private static (double, double) FromEpsilon(Prediction kind, double alpha, double sigma) => kind switch
    {
        Prediction.Epsilon => (0.0, 1.0),
        // 001 eq 38: Ho et al. 2020, §3.2; Karras et al. 2022, eq (3).
        Prediction.Score => (0.0, -1.0 / Positive(sigma, "sigma", kind)),                   // s = −ε/σ (001 eq 38)
        Prediction.Data => (1.0 / Positive(alpha, "alpha", kind), -sigma / alpha),          // x_0 = (x − σ ε)/α
        Prediction.Velocity => (-sigma / Positive(alpha, "alpha", kind), RadiusSquared(alpha, sigma) / alpha), // v = α ε − σ (x − σ ε)/α
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown prediction kind."),
    };

    private static double RadiusSquared(double alpha, double sigma)
    {
        var r2 = alpha * alpha + sigma * sigma;
        if (!(r2 > 0)) throw new ArgumentException("alpha = sigma = 0: the velocity parametrisation is undefined.", nameof(sigma));
        return r2;
    }

    private static double Positive(double value, string name, Prediction kind)
    {
        if (!(value > 0))
            throw new ArgumentException($"{name} = {value}: converting through the {kind} parametrisation needs {name} > 0.", name);
        return value;
    }
}
