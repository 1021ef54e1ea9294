using Diffusion.Research.Registries;

namespace Diffusion.Research.Nn.Training;

/// <summary>Stochastic gradient descent with (heavy-ball) momentum: b ← μ b + g (+ λ θ), θ ← θ − η b.</summary>
public sealed class Sgd : IOptimizer
{
    private readonly double[][] _buffer;

    /// <summary>An optimiser for <paramref name="parameters"/>.</summary>
    public Sgd(IReadOnlyList<Parameter> parameters, double momentum = 0.9, double weightDecay = 0.0)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(momentum >= 0 && momentum < 1)) throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "Need 0 <= momentum < 1.");
        if (!(weightDecay >= 0) || !double.IsFinite(weightDecay)) throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "Must be >= 0.");
        Momentum = momentum;
        WeightDecay = weightDecay;
        _buffer = OptimizerState.Like(parameters);
    }

    /// <summary>μ.</summary>
    public double Momentum { get; }

    /// <summary>λ.</summary>
    public double WeightDecay { get; }

    /// <inheritdoc />
    public string Name => "sgd";

    /// <inheritdoc />
    public long Steps { get; private set; }

    /// <inheritdoc />
    public IReadOnlyList<double[]> State => _buffer;

    /// <inheritdoc />
    public void Step(IReadOnlyList<Parameter> parameters, double learningRate)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (parameters.Count != _buffer.Length) throw new ArgumentException($"{parameters.Count} parameters, the optimiser was built for {_buffer.Length}.", nameof(parameters));
        Steps++;
        for (var p = 0; p < parameters.Count; p++)
        {
            var theta = parameters[p].Values;
            var g = parameters[p].Gradient;
            var b = _buffer[p];
            for (var i = 0; i < theta.Length; i++)
            {
                b[i] = Momentum * b[i] + g[i] + WeightDecay * theta[i];
                theta[i] -= learningRate * b[i];
            }
        }
    }

    /// <inheritdoc />
    public void Restore(long steps, IReadOnlyList<double[]> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Count != _buffer.Length) throw new ArgumentException($"{state.Count} state buffers, {_buffer.Length} expected.", nameof(state));
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        OptimizerState.Restore(_buffer, state, 0, nameof(state));
        Steps = steps;
    }

    /// <summary>Registers the optimiser sgd (heavy-ball momentum) (<see cref="TrainingRegistries.CreateDefault"/>).</summary>
    internal static void Register(TrainingRegistries r) =>
        r.Optimizers.Add("sgd", "SGD with heavy-ball momentum", c => new Sgd(c.Parameters, c.Options.Momentum, c.Options.WeightDecay),
            ParameterSpec.Real("train.momentum", TrainingRegistries.Defaults.Momentum, "momentum"), TrainingRegistries.WeightDecayParameter);
}
