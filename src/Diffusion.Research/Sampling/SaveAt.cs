using Diffusion.Research.Numerics;

namespace Diffusion.Research.Sampling;

/// <summary>
/// Intermediate states of a solve, written into the caller's buffers (diffrax's <c>SaveAt</c>): at given times
/// (<see cref="AtTimes"/>; for fixed-step solvers each a grid time, for adaptive solvers the steps are shortened to land on
/// them exactly) or every k accepted steps (<see cref="EverySteps"/>, the start included). Buffer j receives the whole batch
/// (same shape as the solved batch) and <see cref="SavedTimes"/>[j] its time; unreached entries keep NaN. Pass it with
/// <see cref="SolveOptions.SaveAt"/>; the solve allocates nothing for it. One solve at a time per instance.
/// </summary>
public sealed class SaveAt
{
    private readonly Batch[] _states;
    private readonly double[] _times;
    private readonly double[] _saved;

    private SaveAt(double[] times, int every, IReadOnlyList<Batch> states)
    {
        ArgumentNullException.ThrowIfNull(states);
        if (states.Count == 0) throw new ArgumentException("At least one buffer is needed.", nameof(states));
        _states = [.. states];
        _times = times;
        Every = every;
        _saved = new double[_states.Length];
        Array.Fill(_saved, double.NaN);
    }

    /// <summary>Saves the state at each of <paramref name="times"/> (strictly monotone in the direction of the solve) into <paramref name="states"/>[j].</summary>
    public static SaveAt AtTimes(IReadOnlyList<double> times, IReadOnlyList<Batch> states)
    {
        ArgumentNullException.ThrowIfNull(times);
        ArgumentNullException.ThrowIfNull(states);
        if (times.Count != states.Count) throw new ArgumentException($"{times.Count} times but {states.Count} buffers.", nameof(states));
        for (var j = 0; j < times.Count; j++)
            if (!double.IsFinite(times[j])) throw new ArgumentOutOfRangeException(nameof(times), times[j], "Save times must be finite.");
        return new SaveAt([.. times], 0, states);
    }

    /// <summary>Saves the start and then every <paramref name="k"/>-th accepted step (steps 0, k, 2k, …) into <paramref name="states"/>, as many as there are buffers.</summary>
    public static SaveAt EverySteps(int k, IReadOnlyList<Batch> states)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        return new SaveAt([], k, states);
    }

    /// <summary>The k of <see cref="EverySteps"/>; 0 for <see cref="AtTimes"/>.</summary>
    public int Every { get; }

    /// <summary>The requested times (<see cref="AtTimes"/>; empty otherwise).</summary>
    public IReadOnlyList<double> Times => _times;

    /// <summary>The buffers.</summary>
    public IReadOnlyList<Batch> States => _states;

    /// <summary>The time of each saved state (NaN until saved).</summary>
    public IReadOnlyList<double> SavedTimes => _saved;

    /// <summary>
    /// What a solver calls before its loop: throws unless every buffer has the shape of <paramref name="x"/> and every
    /// requested time lies on the closed interval of <paramref name="grid"/> (and, when <paramref name="onGrid"/>, is one of
    /// its times: fixed-step solvers), then forgets what an earlier solve saved (times back to NaN).
    /// </summary>
    public void Begin(TimeGrid grid, Batch x, bool onGrid)
    {
        ArgumentNullException.ThrowIfNull(grid);
        foreach (var s in _states)
            if (s.Count != x.Count || s.Dimension != x.Dimension)
                throw new ArgumentException($"SaveAt buffers must be {x.Count} x {x.Dimension} like the batch, got {s.Count} x {s.Dimension}.", "options");
        double low = Math.Min(grid.Start, grid.End), high = Math.Max(grid.Start, grid.End);
        var direction = grid.IsBackward ? -1.0 : 1.0;
        for (var j = 0; j < _times.Length; j++)
        {
            var t = _times[j];
            if (t < low || t > high)
                throw new ArgumentOutOfRangeException("options", t, $"SaveAt time {t} lies outside the grid's interval [{low}, {high}].");
            if (j > 0 && !(direction * (t - _times[j - 1]) > 0))
                throw new ArgumentException($"SaveAt times must be strictly monotone in the direction of the solve (time {j}: {t} after {_times[j - 1]}).", "options");
            if (onGrid && grid.Times.IndexOf(t) < 0)
                throw new ArgumentException($"SaveAt time {t} is not a time of the grid; a fixed-step solver saves only at grid times.", "options");
        }
        Array.Fill(_saved, double.NaN);
    }

    /// <summary>
    /// The first requested time strictly beyond <paramref name="t"/> in <paramref name="direction"/> (+1 forwards, −1 backwards),
    /// or <paramref name="end"/>: where an adaptive solver must land exactly.
    /// </summary>
    public double NextStop(double t, double direction, double end)
    {
        foreach (var s in _times)
            if (direction * (s - t) > 0 && direction * (end - s) > 0) return s;
        return end;
    }

    /// <summary>Copies the observed rows into every buffer whose time or step count they match (what solvers call after each accepted step and at the start).</summary>
    public void Record(in StepObservation observation)
    {
        var j = Every > 0
            ? (observation.Steps % Every == 0 ? observation.Steps / Every : -1)
            : Array.IndexOf(_times, observation.Time);
        if (j < 0 || j >= _states.Length) return;
        observation.State.CopyTo(_states[j].Slice(observation.FirstRow, observation.State.Count));
        _saved[j] = observation.Time;
    }
}
