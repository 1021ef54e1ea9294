using System.Buffers;
using Diffusion.Research.Kernels;
using Diffusion.Research.Nn.Autodiff;
using Diffusion.Research.Nn.Models;
using Diffusion.Research.Numerics;
using Diffusion.Research.Scores;

namespace Diffusion.Research.Nn.Conditional;

/// <summary>
/// A class-conditional MLP score model s_θ(x, t | c) for the classifier-free guidance of Ho &amp; Salimans 2022 (§3.2, Algorithm 1):
/// one network takes x, the time features and a learned class embedding, with one extra "null" class c = ∅ (index
/// <see cref="NullClass"/>) whose output is the unconditional score s_θ(x, t) = s_θ(x, t | ∅). The class embedding is the
/// one-hot class vector (C + 1 entries) fed to the first layer: the first layer's weight rows for these columns are a learned
/// embedding table of size width, added to the first pre-activation (identical to an embedding lookup followed by a linear map).
/// The output is a score, ε, x₀ or v prediction turned into a score through the kernel (001 eqs 37–38; Ho et al. 2020, §3.2;
/// Karras et al. 2022, eq (3)), as in <see cref="MlpScoreModel"/>.
/// Trained by <see cref="ConditionalScoreModelTrainer"/> (DSM with label dropout). The tape-free path is thread-safe.
/// </summary>
public sealed class ConditionalMlpScoreModel
{
    /// <summary>An untrained model of <paramref name="classes"/> classes (plus the null class) on <paramref name="dimension"/>-dimensional data.</summary>
    public ConditionalMlpScoreModel(int dimension, int classes, ModelOptions options, IKernel? kernel)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        if (options.Output != Prediction.Score && kernel is null)
            throw new ArgumentException($"Output {options.Output} is converted to a score through the kernel, and none was given.", nameof(kernel));
        Dimension = dimension;
        Classes = classes;
        Kernel = kernel;
        Network = new MlpNetwork(dimension + classes + 1, dimension, options);
    }

    /// <summary>The network f(x ‖ onehot(c), t).</summary>
    public MlpNetwork Network { get; }

    /// <summary>Dimension D of x.</summary>
    public int Dimension { get; }

    /// <summary>Number C of real classes (labels 0 … C − 1).</summary>
    public int Classes { get; }

    /// <summary>The label of the null class ∅ (= <see cref="Classes"/>): the unconditional score.</summary>
    public int NullClass => Classes;

    /// <summary>The kernel used for conversions (null when the output is the score).</summary>
    public IKernel? Kernel { get; }

    /// <summary>The architecture.</summary>
    public ModelOptions Options => Network.Options;

    /// <summary>All trainable parameters (the class embedding is part of the first layer's weight).</summary>
    public IReadOnlyList<Parameter> Parameters => Network.Parameters;

    /// <summary>The raw prediction on the tape for rows of <paramref name="x"/> (N x D) at per-row <paramref name="times"/> (N x 1)
    /// with per-row one-hot classes <paramref name="oneHot"/> (N x (C + 1); column C is the null class).</summary>
    public Tensor Predict(Tape tape, Tensor x, Tensor times, Tensor oneHot)
    {
        ArgumentNullException.ThrowIfNull(tape);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(times);
        ArgumentNullException.ThrowIfNull(oneHot);
        if (times.Columns != 1 || times.Rows != x.Rows) throw new ArgumentException($"Times must be {x.Rows} x 1, got {times.Rows} x {times.Columns}.", nameof(times));
        if (oneHot.Columns != Classes + 1 || oneHot.Rows != x.Rows) throw new ArgumentException($"Classes must be {x.Rows} x {Classes + 1}, got {oneHot.Rows} x {oneHot.Columns}.", nameof(oneHot));
        return Network.Forward(tape, tape.ConcatColumns(x, oneHot), Network.EmbedTimes(tape, times.Values));
    }

    /// <summary>The model for fixed per-row classes, as an <see cref="INeuralScoreModel"/> the project's losses train.</summary>
    public INeuralScoreModel WithClasses(Tensor oneHot) => new ClassBoundScoreModel(this, oneHot);

    /// <summary>s_θ(x, t | <paramref name="label"/>) tape-free (thread-safe); <paramref name="label"/> = <see cref="NullClass"/> gives s_θ(x, t | ∅).</summary>
    public void Score(int label, double t, Batch x, Batch destination)
    {
        x.RequireShape(destination, nameof(destination));
        if (x.Dimension != Dimension) throw new ArgumentException($"x has dimension {x.Dimension}, the model {Dimension}.", nameof(x));
        if ((uint)label > (uint)Classes) throw new ArgumentOutOfRangeException(nameof(label), label, $"The class must be in [0, {Classes}] ({Classes}: null).");
        if (x.Count == 0) return;
        var width = Dimension + Classes + 1;
        var rented = ArrayPool<double>.Shared.Rent(x.Count * width);
        try
        {
            var input = new Batch(rented, x.Count, width);
            for (var i = 0; i < x.Count; i++)
            {
                var row = input.Row(i);
                x.Row(i).CopyTo(row);
                row[Dimension..].Clear();
                row[Dimension + label] = 1.0;
            }
            Network.Evaluate(t, input, destination.Values);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(rented);
        }
        if (Options.Output != Prediction.Score) PredictionConversion.Map(Options.Output, Prediction.Score, Kernel!, t).Apply(x, destination, destination);
    }

    /// <summary>s_θ(· | <paramref name="label"/>) as an <see cref="IScoreModel"/> any solver samples with.</summary>
    public IScoreModel ForClass(int label)
    {
        if ((uint)label > (uint)Classes) throw new ArgumentOutOfRangeException(nameof(label), label, $"The class must be in [0, {Classes}] ({Classes}: null).");
        return new ClassScore(this, label);
    }

    /// <summary>The unconditional score s_θ(· | ∅).</summary>
    public IScoreModel Unconditional => ForClass(NullClass);
}
