using System.Runtime.Intrinsics;
using Diffusion.Research.Registries;

namespace Diffusion.Research.Nn.Training;

/// <summary>
/// Adam (Kingma and Ba 2015) with bias correction; with decoupled weight decay it is AdamW
/// (Loshchilov and Hutter 2019: θ ← θ − η λ θ before the Adam step), otherwise the decay is an L2 term in the gradient.
/// </summary>
public sealed class Adam : IOptimizer
{
    private readonly double[][] _m;
    private readonly double[][] _v;

    /// <summary>An optimiser for <paramref name="parameters"/>.</summary>
    public Adam(IReadOnlyList<Parameter> parameters, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, double weightDecay = 0.0, bool decoupled = false)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(beta1 >= 0 && beta1 < 1)) throw new ArgumentOutOfRangeException(nameof(beta1), beta1, "Need 0 <= beta1 < 1.");
        if (!(beta2 >= 0 && beta2 < 1)) throw new ArgumentOutOfRangeException(nameof(beta2), beta2, "Need 0 <= beta2 < 1.");
        if (!(epsilon > 0)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "Must be positive.");
        if (!(weightDecay >= 0) || !double.IsFinite(weightDecay)) throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "Must be >= 0.");
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        WeightDecay = weightDecay;
        Decoupled = decoupled;
        _m = OptimizerState.Like(parameters);
        _v = OptimizerState.Like(parameters);
    }

    /// <summary>β₁.</summary>
    public double Beta1 { get; }

    /// <summary>β₂.</summary>
    public double Beta2 { get; }

    /// <summary>ε.</summary>
    public double Epsilon { get; }

    /// <summary>Weight decay λ.</summary>
    public double WeightDecay { get; }

    /// <summary>AdamW when true.</summary>
    public bool Decoupled { get; }

    /// <inheritdoc />
    public string Name => Decoupled ? "adamw" : "adam";

    /// <inheritdoc />
    public long Steps { get; private set; }

    /// <inheritdoc />
    public IReadOnlyList<double[]> State => [.. _m, .. _v];

    /// <inheritdoc />
    public void Step(IReadOnlyList<Parameter> parameters, double learningRate)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (parameters.Count != _m.Length) throw new ArgumentException($"{parameters.Count} parameters, the optimiser was built for {_m.Length}.", nameof(parameters));
        Steps++;
        var c1 = 1.0 - Math.Pow(Beta1, Steps);
        var c2 = 1.0 - Math.Pow(Beta2, Steps);
        for (var p = 0; p < parameters.Count; p++)
        {
            var theta = parameters[p].Values;
            var g = parameters[p].Gradient;
            var m = _m[p];
            var v = _v[p];
            var start = WeightDecay > 0 ? 0 : StepVectorised(theta, g, m, v, learningRate, c1, c2);
            for (var i = start; i < theta.Length; i++)
            {
                var gi = g[i];
                if (WeightDecay > 0)
                {
                    if (Decoupled) theta[i] -= learningRate * WeightDecay * theta[i];
                    else gi += WeightDecay * theta[i];
                }
                m[i] = Beta1 * m[i] + (1 - Beta1) * gi;
                v[i] = Beta2 * v[i] + (1 - Beta2) * gi * gi;
                theta[i] -= learningRate * (m[i] / c1) / (Math.Sqrt(v[i] / c2) + Epsilon);
            }
        }
    }

    // The update without weight decay on whole Vector512 blocks; returns the first index left to the scalar loop. Each
    // lane performs the scalar loop's operations in the same order (no fused multiply-add; division and square root are
    // correctly rounded in both), so the result is bit-identical to it.
    private int StepVectorised(double[] theta, double[] g, double[] m, double[] v, double learningRate, double c1, double c2)
    {
        if (!Vector512.IsHardwareAccelerated) return 0;
        var beta1 = Vector512.Create(Beta1);
        var beta2 = Vector512.Create(Beta2);
        var oneMinusBeta1 = Vector512.Create(1 - Beta1);
        var oneMinusBeta2 = Vector512.Create(1 - Beta2);
        var rate = Vector512.Create(learningRate);
        var bias1 = Vector512.Create(c1);
        var bias2 = Vector512.Create(c2);
        var epsilon = Vector512.Create(Epsilon);
        var i = 0;
        for (; i + 8 <= theta.Length; i += 8)
        {
            var gi = Vector512.Create(g.AsSpan(i, 8));
            var mi = beta1 * Vector512.Create(m.AsSpan(i, 8)) + oneMinusBeta1 * gi;
            var vi = beta2 * Vector512.Create(v.AsSpan(i, 8)) + oneMinusBeta2 * gi * gi;
            mi.CopyTo(m.AsSpan(i, 8));
            vi.CopyTo(v.AsSpan(i, 8));
            var t = Vector512.Create(theta.AsSpan(i, 8));
            (t - rate * (mi / bias1) / (Vector512.Sqrt(vi / bias2) + epsilon)).CopyTo(theta.AsSpan(i, 8));
        }
        return i;
    }

    /// <inheritdoc />
    public void Restore(long steps, IReadOnlyList<double[]> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Count != 2 * _m.Length) throw new ArgumentException($"{state.Count} state buffers, {2 * _m.Length} expected.", nameof(state));
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        OptimizerState.Restore(_m, state, 0, nameof(state));
        OptimizerState.Restore(_v, state, _m.Length, nameof(state));
        Steps = steps;
    }

    /// <summary>Registers the optimisers adam and adamw (<see cref="TrainingRegistries.CreateDefault"/>).</summary>
    // Adam: Kingma & Ba 2015 Alg. 1 (epsilon 1e-8); AdamW: Loshchilov & Hutter 2019 Alg. 2.
    internal static void Register(TrainingRegistries r)
    {
        var beta1 = ParameterSpec.Real("train.beta1", TrainingRegistries.Defaults.Beta1, "Adam beta1");
        var beta2 = ParameterSpec.Real("train.beta2", TrainingRegistries.Defaults.Beta2, "Adam beta2");
        r.Optimizers
            .Add("adam", "Adam with bias correction (weight decay as an L2 term)", c => new Adam(c.Parameters, c.Options.Beta1, c.Options.Beta2, 1e-8, c.Options.WeightDecay, decoupled: false),
                beta1, beta2, TrainingRegistries.WeightDecayParameter)
            .Add("adamw", "Adam with decoupled weight decay (AdamW)", c => new Adam(c.Parameters, c.Options.Beta1, c.Options.Beta2, 1e-8, c.Options.WeightDecay, decoupled: true),
                beta1, beta2, TrainingRegistries.WeightDecayParameter);
    }
}
