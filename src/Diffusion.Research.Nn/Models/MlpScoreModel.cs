using Diffusion.Research.Kernels;
using Diffusion.Research.Nn.Autodiff;
using Diffusion.Research.Numerics;
using Diffusion.Research.Scores;

namespace Diffusion.Research.Nn.Models;

/// <summary>
/// An MLP network whose output is a score, ε, x₀ or v prediction, turned into a score through the
/// perturbation kernel p_t(x_t | x₀) = N(α_t x₀, σ_t² I) (003 Lemma 4.4.1; 000 "DSM": s = −ε/σ; Kingma et al. 2021;
/// Lu et al. 2022, §2; Vincent 2011).
/// </summary>
public sealed class MlpScoreModel : INeuralScoreModel, IPredictionModel, IScoreDivergence
{
    /// <summary>A model for <paramref name="dimension"/>-dimensional data; <paramref name="kernel"/> is needed unless the output is the score.</summary>
    public MlpScoreModel(int dimension, ModelOptions options, IKernel? kernel)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        if (options.Kind != ModelKind.Mlp) throw new ArgumentException($"An MlpScoreModel needs Kind = Mlp, got {options.Kind}.", nameof(options));
        if (options.Output != Prediction.Score && kernel is null)
            throw new ArgumentException($"Output {options.Output} is converted to a score through the kernel, and none was given (use an SDE with a closed-form kernel).", nameof(kernel));
        Network = new MlpNetwork(dimension, dimension, options);
        Kernel = kernel;
    }

    /// <summary>The network.</summary>
    public MlpNetwork Network { get; }

    /// <summary>The kernel used for conversions (null when the output is the score).</summary>
    public IKernel? Kernel { get; }

    /// <inheritdoc />
    public int Dimension => Network.Inputs;

    /// <inheritdoc />
    public ModelOptions Options => Network.Options;

    /// <inheritdoc />
    public IReadOnlyList<Parameter> Parameters => Network.Parameters;

    /// <inheritdoc />
    public Prediction Output => Options.Output;

    /// <inheritdoc />
    public Tensor Predict(Tape tape, Tensor x, Tensor times)
    {
        ArgumentNullException.ThrowIfNull(tape);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(times);
        if (times.Columns != 1 || times.Rows != x.Rows) throw new ArgumentException($"Times must be {x.Rows} x 1, got {times.Rows} x {times.Columns}.", nameof(times));
        return Network.Forward(tape, x, Network.EmbedTimes(tape, times.Values));
    }

    /// <inheritdoc />
    public Tensor Score(Tape tape, Tensor x, Tensor times)
    {
        var o = Predict(tape, x, times);
        if (Output == Prediction.Score) return o;
        // Per row: s = A x + B o with the map of the one conversion (001 eqs 37–38; Ho et al. 2020, §3.2;
        // Karras et al. 2022, eq (3)).
        var a = tape.Constant(x.Rows, 1);
        var b = tape.Constant(x.Rows, 1);
        var anyA = false;
        for (var r = 0; r < x.Rows; r++)
        {
            var map = PredictionConversion.Map(Output, Prediction.Score, Kernel!, times[r, 0]);
            a[r, 0] = map.StateWeight;
            b[r, 0] = map.PredictionWeight;
            anyA |= map.StateWeight != 0;
        }
        var s = tape.Multiply(o, b);
        return anyA ? tape.Add(tape.Multiply(x, a), s) : s;
    }

    /// <summary>s(x, t) without the tape: thread-safe, no allocation in steady state.</summary>
    public void Score(double t, Batch x, Batch destination)
    {
        x.RequireShape(destination, nameof(destination));
        Network.Evaluate(t, x, destination.Values);
        if (Output == Prediction.Score) return;
        PredictionConversion.Map(Output, Prediction.Score, Kernel!, t).Apply(x, destination, destination);
    }

    /// <summary>The raw network output (the <see cref="Output"/> prediction), tape-free.</summary>
    public void Predict(double t, Batch x, Batch destination)
    {
        x.RequireShape(destination, nameof(destination));
        Network.Evaluate(t, x, destination.Values);
    }

    private Likelihood.NeuralScoreDivergence? _divergence;

    /// <summary>The exact divergence ∇·s_θ by autodiff (D backward passes; see <see cref="Likelihood.NeuralScoreDivergence"/>),
    /// so the model is its own <see cref="IScoreDivergence"/> for the core's ISM objective and PF-ODE likelihood.</summary>
    public void Divergence(double t, Batch x, Span<double> destination) =>
        LazyInitializer.EnsureInitialized(ref _divergence, () => new Likelihood.NeuralScoreDivergence(this)).Divergence(t, x, destination);
}
