using System.Buffers;
using System.Numerics.Tensors;
using Diffusion.Research.Nn.Autodiff;
using Diffusion.Research.Numerics;
using Diffusion.Research.Scores;

namespace Diffusion.Research.Nn.Models;

/// <summary>
/// An energy-based model: a scalar MLP energy E_θ(x, t) with p_θ ∝ e^(−E_θ), whose score is
/// s_θ = −∇ₓ E_θ, free of the partition function (Hyvärinen 2005, §2; 003 "EBM's score", "From Energy-Based to
/// Score-Based": ∇ₓ log p_θ = −∇ₓ E_θ; 002 "Connection with Energy-based Models"). Training a score
/// loss differentiates through ∇ₓ E (create-graph), and ISM needs third derivatives of E.
/// </summary>
public sealed class EnergyScoreModel : INeuralScoreModel, IScoreDivergence
{
    /// <summary>An energy model for <paramref name="dimension"/>-dimensional data.</summary>
    public EnergyScoreModel(int dimension, ModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        if (options.Kind != ModelKind.Energy) throw new ArgumentException($"An EnergyScoreModel needs Kind = Energy, got {options.Kind}.", nameof(options));
        Network = new MlpNetwork(dimension, 1, options);
    }

    /// <summary>The energy network (one output).</summary>
    public MlpNetwork Network { get; }

    /// <inheritdoc />
    public int Dimension => Network.Inputs;

    /// <inheritdoc />
    public ModelOptions Options => Network.Options;

    /// <inheritdoc />
    public IReadOnlyList<Parameter> Parameters => Network.Parameters;

    /// <inheritdoc />
    public Prediction Output => Prediction.Score;

    /// <summary>E_θ(x, t) per row (N x 1) on the tape.</summary>
    public Tensor Energy(Tape tape, Tensor x, Tensor times)
    {
        ArgumentNullException.ThrowIfNull(tape);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(times);
        if (times.Columns != 1 || times.Rows != x.Rows) throw new ArgumentException($"Times must be {x.Rows} x 1, got {times.Rows} x {times.Columns}.", nameof(times));
        return Network.Forward(tape, x, Network.EmbedTimes(tape, times.Values));
    }

    /// <inheritdoc />
    public Tensor Predict(Tape tape, Tensor x, Tensor times) => Score(tape, x, times);

    /// <summary>s = −∇ₓ E on the tape, recorded (create-graph) so losses can be differentiated in θ.</summary>
    public Tensor Score(Tape tape, Tensor x, Tensor times)
    {
        ArgumentNullException.ThrowIfNull(tape);
        ArgumentNullException.ThrowIfNull(x);
        // Rows are independent, so ∇ₓ Σ_i E(x_i) stacks the per-particle gradients.
        var input = x.RequiresGrad ? x : tape.Variable(x.Values, x.Rows, x.Columns);
        var energy = tape.Sum(Energy(tape, input, times));
        var grad = tape.Gradients(energy, [input], createGraph: true)[0];
        return tape.Scale(grad, -1.0);
    }

    /// <summary>E_θ(x, t) per row, without the tape.</summary>
    public void Energy(double t, Batch x, Span<double> destination) => Network.Evaluate(t, x, destination);

    /// <summary>s = −∇ₓ E without the tape (a hand-written reverse sweep): thread-safe, no allocation in steady state.</summary>
    public void Score(double t, Batch x, Batch destination)
    {
        x.RequireShape(destination, nameof(destination));
        var energies = ArrayPool<double>.Shared.Rent(Math.Max(1, x.Count));
        try
        {
            Network.Evaluate(t, x, energies.AsSpan(0, x.Count), destination);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(energies);
        }
        TensorPrimitives.Negate(destination.Values, destination.Values);
    }

    private Likelihood.NeuralScoreDivergence? _divergence;

    /// <summary>The exact divergence ∇·s_θ by autodiff (D backward passes; see <see cref="Likelihood.NeuralScoreDivergence"/>),
    /// so the model is its own <see cref="IScoreDivergence"/> for the core's ISM objective and PF-ODE likelihood.</summary>
    public void Divergence(double t, Batch x, Span<double> destination) =>
        LazyInitializer.EnsureInitialized(ref _divergence, () => new Likelihood.NeuralScoreDivergence(this)).Divergence(t, x, destination);
}
