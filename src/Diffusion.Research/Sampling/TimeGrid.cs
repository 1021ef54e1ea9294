namespace Diffusion.Research.Sampling;

/// <summary>
/// A strictly monotone sequence of times t_0, ..., t_n (increasing: forwards; decreasing: backwards,
/// as in sampling from T down to t_eps). A value passed to solvers, not owned by an SDE.
/// Factories for Karras, log-SNR and other schedules live beside the solvers.
/// </summary>
public sealed class TimeGrid
{
    private readonly double[] _times;

    /// <summary>Wraps a copy of <paramref name="times"/>; throws unless it has at least two finite, strictly monotone entries.</summary>
    public TimeGrid(IReadOnlyList<double> times)
    {
        ArgumentNullException.ThrowIfNull(times);
        if (times.Count < 2) throw new ArgumentException("A time grid needs at least two times.", nameof(times));
        _times = times.ToArray();
        for (var i = 0; i < _times.Length; i++)
            if (!double.IsFinite(_times[i])) throw new ArgumentException($"Time {i} is {_times[i]}.", nameof(times)); // before Math.Sign, which throws on NaN
        var sign = Math.Sign(_times[1] - _times[0]);
        if (sign == 0) throw new ArgumentException("A time grid must be strictly monotone; t_0 == t_1.", nameof(times));
        for (var i = 1; i < _times.Length; i++)
        {
            if (Math.Sign(_times[i] - _times[i - 1]) != sign)
                throw new ArgumentException($"A time grid must be strictly monotone; t_{i - 1} = {_times[i - 1]}, t_{i} = {_times[i]}.", nameof(times));
        }
    }

    /// <summary>The times.</summary>
    public ReadOnlySpan<double> Times => _times;

    /// <summary>Number of steps n (one less than the number of times).</summary>
    public int Steps => _times.Length - 1;

    /// <summary>t_0.</summary>
    public double Start => _times[0];

    /// <summary>t_n.</summary>
    public double End => _times[^1];

    /// <summary>True when time decreases along the grid.</summary>
    public bool IsBackward => End < Start;

    /// <summary>Time i.</summary>
    public double this[int i] => _times[i];

    /// <summary>n uniform steps from <paramref name="start"/> to <paramref name="end"/> (either direction).</summary>
    public static TimeGrid Uniform(double start, double end, int steps)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(steps);
        var t = new double[steps + 1];
        for (var i = 0; i <= steps; i++) t[i] = start + (end - start) * i / steps;
        t[steps] = end;
        return new TimeGrid(t);
    }

    public override string ToString() => $"TimeGrid({Start} -> {End}, {Steps} steps)";
}
