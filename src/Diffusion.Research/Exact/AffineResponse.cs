using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;

namespace Diffusion.Research.Exact;

/// <summary>
/// The exact output law of any <see cref="ISolver"/> on a problem whose drift is affine in x (Gaussian data under
/// a linear SDE: the exact score is affine, 003 §4.4; Kingma et al. 2021), found from the outside. Every step of such a
/// solver is an
/// affine map of the state plus a linear map of its standard normals, so the whole solve is
/// x_0 = M x_T + c + Σ_k N_k z_k. The deterministic part comes from probe solves with zero noise (x_T = 0 gives c,
/// x_T = e_j gives c + M e_j); the noise part from replays in which one particle's noise is a unit impulse in one
/// stream and coordinate (<see cref="UnitImpulses"/>), which gives c + N_k. The streams a solver draws from are
/// found by a first solve through an <see cref="IncrementRecorder"/>. All probes are particles of one batch, so the
/// solver's own parallelism applies. A lone solve of a generic point checks the result (<see cref="AffineMap.AffinityDefect"/>).
/// Adaptive solvers run the probe batch in one chunk, so one step sequence applies to all probes: the law is exact
/// for that sequence (<see cref="AffineMap.StepSequenceFromProbes"/>). Samplers whose steps depend on the batch
/// (the predictor–corrector samplers' batch-averaged Langevin step) are not affine in this sense; their defect shows it.
/// </summary>
public static class AffineResponse
{
    /// <summary>
    /// The map of a general affine problem in <paramref name="dimension"/> dimensions: 1 + D + S·D probe particles for
    /// S noise streams (use <see cref="MeasureDiagonal"/> in high dimension).
    /// </summary>
    public static AffineMap Measure(ISolver solver, SamplingProblem problem, TimeGrid grid, int dimension, SolveOptions? options = null)
    {
        var (streams, lone, defectPoint) = Record(solver, problem, grid, dimension, options);
        var d = dimension;
        var s = streams.Count;
        var count = checked(1 + d + s * d);
        var x = new Batch(count, d);
        for (var j = 0; j < d; j++) x.Set(1 + j, j, 1.0);
        var solution = ProbeSolve(solver, problem, grid, x, new UnitImpulses(First(options) + 1 + d, streams, d, perCoordinate: true), streams, options);
        var c = x.Row(0).ToArray();
        var m = new double[d, d];
        for (var j = 0; j < d; j++)
        {
            var row = x.Row(1 + j);
            for (var i = 0; i < d; i++) m[i, j] = row[i] - c[i];
        }
        var q = new double[d, d];
        var n = new double[d];
        for (var k = 0; k < s * d; k++)
        {
            var row = x.Row(1 + d + k);
            for (var i = 0; i < d; i++) n[i] = row[i] - c[i];
            for (var i = 0; i < d; i++)
                for (var j = 0; j <= i; j++) q[i, j] += n[i] * n[j];
        }
        for (var i = 0; i < d; i++)
            for (var j = 0; j < i; j++) q[j, i] = q[i, j];
        // Check: y_v = M v + c.
        var worst = 0.0;
        var size = 1.0;
        for (var i = 0; i < d; i++)
        {
            var predicted = c[i];
            for (var j = 0; j < d; j++) predicted += m[i, j] * defectPoint[j];
            worst = Math.Max(worst, Math.Abs(predicted - lone[i]));
            size = Math.Max(size, Math.Abs(lone[i]));
        }
        return new AffineMap(m, c, q, s, worst / size, solver.Traits.IsAdaptive, solution.Statistics);
    }

    /// <summary>
    /// The map of a problem that acts on each coordinate separately (a linear problem with scalar diffusion in the
    /// eigenbasis of the data covariance): 2 + S probe particles whatever D, each impulse hitting every coordinate
    /// of its stream at once. The caller vouches for the decoupling; the lone-point check catches a coupled drift.
    /// </summary>
    public static DiagonalAffineMap MeasureDiagonal(ISolver solver, SamplingProblem problem, TimeGrid grid, int dimension, SolveOptions? options = null)
    {
        var (streams, lone, defectPoint) = Record(solver, problem, grid, dimension, options);
        var d = dimension;
        var s = streams.Count;
        var x = new Batch(2 + s, d);
        x.Row(1).Fill(1.0);
        var solution = ProbeSolve(solver, problem, grid, x, new UnitImpulses(First(options) + 2, streams, d, perCoordinate: false), streams, options);
        var c = x.Row(0).ToArray();
        var gain = new double[d];
        var one = x.Row(1);
        for (var j = 0; j < d; j++) gain[j] = one[j] - c[j];
        var q = new double[d];
        for (var k = 0; k < s; k++)
        {
            var row = x.Row(2 + k);
            for (var j = 0; j < d; j++)
            {
                var r = row[j] - c[j];
                q[j] += r * r;
            }
        }
        var worst = 0.0;
        var size = 1.0;
        for (var j = 0; j < d; j++)
        {
            worst = Math.Max(worst, Math.Abs(gain[j] * defectPoint[j] + c[j] - lone[j]));
            size = Math.Max(size, Math.Abs(lone[j]));
        }
        return new DiagonalAffineMap(gain, c, q, s, worst / size, solver.Traits.IsAdaptive, solution.Statistics);
    }

    private static long First(SolveOptions? options) => options?.FirstParticle ?? 0;

    // A lone solve of a generic point v through a recorder: the streams the solver draws from, and y_v for the check.
    private static (IReadOnlyList<uint> Streams, double[] Lone, double[] Point) Record(ISolver solver, SamplingProblem problem, TimeGrid grid, int dimension, SolveOptions? options)
    {
        ArgumentNullException.ThrowIfNull(solver);
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        var point = new double[dimension];
        for (var j = 0; j < dimension; j++) point[j] = 0.1 + 0.75 * Math.Cos(1.3 * j + 0.4); // generic: no zero, no repeats
        var x = new Batch(1, dimension);
        point.CopyTo(x.Row(0));
        var recorder = new IncrementRecorder();
        var solution = solver.Solve(problem, x, grid, (options ?? new SolveOptions()).WithIncrements(recorder));
        if (!solution.IsSuccess) throw new InvalidOperationException($"The recording solve failed: {solution.Status} {solution.Message}");
        if (recorder.Dimension != 0 && recorder.Dimension != dimension)
            throw new InvalidOperationException($"The solver drew {recorder.Dimension}-dimensional increments for a {dimension}-dimensional state.");
        return (recorder.Streams, x.Row(0).ToArray(), point);
    }

    // The probe solve; its streams must be those of the recording solve, else the noise usage depends on the state
    // (an adaptive SDE solver whose attempts differ) and the impulses would miss draws: refused rather than wrong.
    private static Solution ProbeSolve(ISolver solver, SamplingProblem problem, TimeGrid grid, Batch x, UnitImpulses impulses, IReadOnlyList<uint> streams, SolveOptions? options)
    {
        var recorder = new IncrementRecorder(impulses);
        var o = (options ?? new SolveOptions()).WithIncrements(recorder);
        if (solver.Traits.IsAdaptive) o = o.WithChunkSize(x.Count); // one chunk: one step sequence for all probes
        var solution = solver.Solve(problem, x, grid, o);
        if (!solution.IsSuccess) throw new InvalidOperationException($"The probe solve failed: {solution.Status} {solution.Message}");
        if (!recorder.Streams.SequenceEqual(streams))
            throw new InvalidOperationException($"Solver '{solver.Traits.Name}' drew from {recorder.Streams.Count} noise streams in the probe solve but {streams.Count} in the recording solve: its noise usage depends on the state (adaptive step attempts), so it has no single affine response.");
        return solution;
    }
}
