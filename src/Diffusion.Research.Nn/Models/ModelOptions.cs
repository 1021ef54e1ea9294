using Diffusion.Research.Nn.Autodiff;
using Diffusion.Research.Scores;

namespace Diffusion.Research.Nn.Models;

/// <summary>
/// Architecture of a neural score model: an MLP on [x, embed(t)] with <see cref="HiddenLayers"/>
/// hidden layers of width <see cref="Width"/> (optionally residual: h ← h + act(W h + b)).
/// </summary>
public sealed record ModelOptions
{
    /// <summary>mlp (a prediction network) or energy (a scalar energy).</summary>
    public ModelKind Kind { get; init; } = ModelKind.Mlp;

    /// <summary>Hidden width.</summary>
    public int Width { get; init; } = 128;

    /// <summary>Number of hidden layers (the first maps [x, embed(t)] to the width).</summary>
    public int HiddenLayers { get; init; } = 3;

    /// <summary>Hidden nonlinearity.</summary>
    public Activation Activation { get; init; } = Activation.Silu;

    /// <summary>Residual connections between hidden layers.</summary>
    public bool Residual { get; init; }

    /// <summary>Time embedding.</summary>
    public TimeEmbeddingKind Embedding { get; init; } = TimeEmbeddingKind.GaussianFourier;

    /// <summary>Number of frequencies F (the embedding has 2F features).</summary>
    public int EmbeddingFrequencies { get; init; } = 16;

    /// <summary>Standard deviation s of the Gaussian Fourier frequencies.</summary>
    public double FourierScale { get; init; } = 1.0;

    /// <summary>What the network output means (mlp only): score, ε, x₀ or v, converted to a score through the kernel.</summary>
    public Prediction Output { get; init; } = Prediction.Epsilon;

    /// <summary>Seed of the weight initialisation.</summary>
    public ulong Seed { get; init; } = 1;

    public ModelOptions WithKind(ModelKind kind) => this with { Kind = kind };
    public ModelOptions WithWidth(int width) => this with { Width = width };
    public ModelOptions WithHiddenLayers(int layers) => this with { HiddenLayers = layers };
    public ModelOptions WithActivation(Activation activation) => this with { Activation = activation };
    public ModelOptions WithResidual(bool residual) => this with { Residual = residual };
    public ModelOptions WithEmbedding(TimeEmbeddingKind embedding, int frequencies) => this with { Embedding = embedding, EmbeddingFrequencies = frequencies };
    public ModelOptions WithOutput(Prediction output) => this with { Output = output };
    public ModelOptions WithSeed(ulong seed) => this with { Seed = seed };

    /// <summary>Throws for an unusable architecture, naming the property.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Kind)) throw new ArgumentOutOfRangeException(nameof(Kind), Kind, "Unknown model kind.");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Width, nameof(Width));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(HiddenLayers, nameof(HiddenLayers));
        if (!Enum.IsDefined(Activation)) throw new ArgumentOutOfRangeException(nameof(Activation), Activation, "Unknown activation.");
        if (!Enum.IsDefined(Embedding)) throw new ArgumentOutOfRangeException(nameof(Embedding), Embedding, "Unknown embedding.");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(EmbeddingFrequencies, nameof(EmbeddingFrequencies));
        if (!(FourierScale > 0) || !double.IsFinite(FourierScale))
            throw new ArgumentOutOfRangeException(nameof(FourierScale), FourierScale, "Must be positive and finite.");
        if (!Enum.IsDefined(Output)) throw new ArgumentOutOfRangeException(nameof(Output), Output, "Unknown prediction.");
    }
}
