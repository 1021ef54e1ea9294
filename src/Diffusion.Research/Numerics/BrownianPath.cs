namespace Diffusion.Research.Numerics;

/// <summary>
/// One D-dimensional Brownian path per particle on [t0, t1], W(t0) = 0, that can be queried at any times in any
/// order and at any resolution and always answers from the same path (a Brownian tree). Increments over any
/// partition of [t0, t1] therefore telescope: the path at step h and at step h/2 is the same path.
/// </summary>
/// <remarks>
/// <para>Construction (Lévy's Brownian-bridge bisection, Karatzas and Shreve 1991, §2.3; the increment properties it must
/// reproduce are 002
/// "Important Properties of Brownian Motion": independent increments W(t) - W(s) ~ N(0, (t - s) I)): W(t1) = sqrt(t1 - t0) Z_0; the
/// value at the midpoint of a node interval [a, b] given W(a), W(b) is (W(a) + W(b))/2 + sqrt((b - a)/4) Z_id
/// (the Brownian-bridge law). Nodes are numbered like a heap (root interval 1, children 2 id and 2 id + 1) and
/// Z_id are the Gaussian draws 0..D-1 of stream <c>id</c> of a source derived from (noise, stream), so each
/// particle's path is a pure function of (seed, stream, particle) and does not depend on the depth: paths
/// of depth 10 and 20 agree on the level-10 dyadic points.</para>
/// <para>The path is exact Brownian motion at the 2^depth + 1 dyadic points t0 + k (t1 - t0) / 2^depth. Between
/// two neighbouring finest points it is linearly interpolated: still continuous and consistent (increments
/// telescope), but an increment over [s, t] inside one finest cell has variance (t - s)^2 / cell rather than
/// t - s. With the default depth 24 a cell is (t1 - t0) / 16,777,216. Times within 1e-7 cell of a dyadic point
/// are snapped to it, so grids like t0 + i h with h = (t1 - t0) / 2^k use the exact nodes despite rounding.</para>
/// <para>A query at a level-l dyadic point costs l node evaluations (one Philox call per two coordinates each),
/// any other point costs depth evaluations; an increment is two queries.
/// Thread-safe; allocation-free for D up to 128.</para>
/// </remarks>
public sealed class BrownianPath
{
    private const ulong PathTag = 0x42726F776E69616EUL; // "Brownian"
    private const double SnapTolerance = 1e-7;

    private readonly NoiseSource _noise;
    private readonly long _cells;
    private readonly double _cell;

    /// <summary>A Brownian path on [<paramref name="t0"/>, <paramref name="t1"/>] in <paramref name="dimension"/> dimensions,
    /// exact at the dyadic points of level up to <paramref name="depth"/> (1..30).</summary>
    public BrownianPath(NoiseSource noise, uint stream, double t0, double t1, int dimension, int depth = 24)
    {
        if (!double.IsFinite(t0)) throw new ArgumentOutOfRangeException(nameof(t0), t0, "t0 must be finite.");
        if (!double.IsFinite(t1) || !(t1 > t0)) throw new ArgumentOutOfRangeException(nameof(t1), t1, $"t1 must be finite and greater than t0 = {t0}.");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        if (depth < 1 || depth > 30) throw new ArgumentOutOfRangeException(nameof(depth), depth, "depth must be in [1, 30].");
        _noise = noise.Derive(PathTag ^ stream);
        StartTime = t0;
        EndTime = t1;
        Dimension = dimension;
        Depth = depth;
        _cells = 1L << depth;
        _cell = (t1 - t0) / _cells;
    }

    /// <summary>Start time t0 (W(t0) = 0).</summary>
    public double StartTime { get; }

    /// <summary>End time t1.</summary>
    public double EndTime { get; }

    /// <summary>Dimension of W.</summary>
    public int Dimension { get; }

    /// <summary>Number of bisection levels: the path is exact on the grid of spacing (t1 - t0) / 2^Depth.</summary>
    public int Depth { get; }

    /// <summary>Row i gets W(t) of particle <c>firstParticle + i</c>.</summary>
    public void Value(double t, long firstParticle, Batch destination)
    {
        CheckTime(t, nameof(t));
        CheckDestination(firstParticle, destination);
        Span<double> scratch = Dimension <= 128 ? stackalloc double[3 * Dimension] : new double[3 * Dimension];
        for (var i = 0; i < destination.Count; i++)
            ValueRow(t, firstParticle + i, destination.Row(i), scratch);
    }

    /// <summary>Row i gets W(t) - W(s) of particle <c>firstParticle + i</c> (s &gt; t is allowed: the increment is then
    /// minus that over [t, s]).</summary>
    public void Increment(double s, double t, long firstParticle, Batch destination)
    {
        CheckTime(s, nameof(s));
        CheckTime(t, nameof(t));
        CheckDestination(firstParticle, destination);
        var d = Dimension;
        Span<double> scratch = d <= 128 ? stackalloc double[4 * d] : new double[4 * d];
        var start = scratch.Slice(3 * d, d);
        var work = scratch.Slice(0, 3 * d);
        for (var i = 0; i < destination.Count; i++)
        {
            var row = destination.Row(i);
            ValueRow(s, firstParticle + i, start, work);
            ValueRow(t, firstParticle + i, row, work);
            for (var j = 0; j < d; j++) row[j] -= start[j];
        }
    }

    // W(t) by descending the tree from the root towards t, holding W at both ends of the current node interval
    // [a, b] (in units of the finest cell). Stops at a node hit exactly, or at the finest cell containing t, where
    // it interpolates linearly between the two ends (documented above). At most Depth node evaluations.
    private void ValueRow(double t, long particle, Span<double> result, Span<double> scratch)
    {
        var d = Dimension;
        var u = Math.Clamp((t - StartTime) / _cell, 0.0, _cells);
        var nearest = Math.Round(u);
        if (Math.Abs(u - nearest) < SnapTolerance) u = nearest;
        if (u == 0.0) { result.Clear(); return; }
        var left = scratch.Slice(0, d);
        var right = scratch.Slice(d, d);
        var z = scratch.Slice(2 * d, d);
        // W(t1) = sqrt(t1 - t0) Z_0.
        _noise.FillGaussian(0, particle, right);
        var rootScale = Math.Sqrt(EndTime - StartTime);
        for (var j = 0; j < d; j++) right[j] *= rootScale;
        left.Clear();
        long a = 0, b = _cells;
        uint id = 1;
        while (u != b)
        {
            if (b - a == 1)
            {
                var fraction = u - a;
                for (var j = 0; j < d; j++) result[j] = left[j] + fraction * (right[j] - left[j]);
                return;
            }
            var mid = (a + b) >> 1;
            // Brownian bridge: W(mid) | W(a), W(b) ~ N((W(a) + W(b)) / 2, (b - a) cell / 4).
            _noise.FillGaussian(id, particle, z);
            var scale = Math.Sqrt((b - a) * _cell * 0.25);
            if (u < mid)
            {
                for (var j = 0; j < d; j++) right[j] = 0.5 * (left[j] + right[j]) + scale * z[j];
                b = mid;
                id = 2 * id;
            }
            else
            {
                for (var j = 0; j < d; j++) left[j] = 0.5 * (left[j] + right[j]) + scale * z[j];
                a = mid;
                id = 2 * id + 1;
                if (u == a) { left.CopyTo(result); return; }
            }
        }
        right.CopyTo(result);
    }

    private void CheckTime(double t, string name)
    {
        // Allow rounding at the ends: a grid that should end at t1 may land a few ulps outside.
        var slack = 1e-12 * (EndTime - StartTime);
        if (!(t >= StartTime - slack && t <= EndTime + slack))
            throw new ArgumentOutOfRangeException(name, t, $"Time outside the path's interval [{StartTime}, {EndTime}].");
    }

    private void CheckDestination(long firstParticle, Batch destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(firstParticle);
        if (destination.Dimension != Dimension)
            throw new ArgumentException($"Destination has dimension {destination.Dimension}, the path has {Dimension}.", nameof(destination));
    }
}
