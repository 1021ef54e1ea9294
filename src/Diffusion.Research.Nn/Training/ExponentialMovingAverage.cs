namespace Diffusion.Research.Nn.Training;

/// <summary>An exponential moving average of weights: θ̄ ← d θ̄ + (1 − d) θ after each step (started at θ₀).</summary>
public sealed class ExponentialMovingAverage
{
    private readonly double[][] _shadow;

    /// <summary>An average of <paramref name="parameters"/> with decay <paramref name="decay"/> in [0, 1).</summary>
    public ExponentialMovingAverage(IReadOnlyList<Parameter> parameters, double decay)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(decay >= 0 && decay < 1)) throw new ArgumentOutOfRangeException(nameof(decay), decay, "Need 0 <= decay < 1.");
        Decay = decay;
        _shadow = OptimizerState.Like(parameters);
        for (var i = 0; i < _shadow.Length; i++) parameters[i].Values.CopyTo(_shadow[i], 0);
    }

    /// <summary>d.</summary>
    public double Decay { get; }

    /// <summary>The averaged values, one array per parameter.</summary>
    public IReadOnlyList<double[]> Shadow => _shadow;

    /// <summary>Folds the current values in.</summary>
    public void Update(IReadOnlyList<Parameter> parameters)
    {
        for (var p = 0; p < _shadow.Length; p++)
        {
            var s = _shadow[p];
            var v = parameters[p].Values;
            for (var i = 0; i < s.Length; i++) s[i] = Decay * s[i] + (1 - Decay) * v[i];
        }
    }

    /// <summary>Restores a saved average.</summary>
    public void Restore(IReadOnlyList<double[]> shadow)
    {
        ArgumentNullException.ThrowIfNull(shadow);
        if (shadow.Count != _shadow.Length) throw new ArgumentException($"{shadow.Count} buffers, {_shadow.Length} expected.", nameof(shadow));
        OptimizerState.Restore(_shadow, shadow, 0, nameof(shadow));
    }

    /// <summary>Copies the averaged values into <paramref name="parameters"/>.</summary>
    public void CopyTo(IReadOnlyList<Parameter> parameters)
    {
        for (var p = 0; p < _shadow.Length; p++) _shadow[p].CopyTo(parameters[p].Values, 0);
    }
}
