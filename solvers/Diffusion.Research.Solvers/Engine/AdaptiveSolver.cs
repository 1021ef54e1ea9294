using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;

namespace Diffusion.Research.Solvers;

/// <summary>
/// Base of the adaptive solvers and the one place where the adaptive loop lives. One step size is chosen
/// for the whole batch: every chunk of <see cref="SolveOptions.ChunkSize"/> rows computes its candidate and
/// the largest scaled error over its particles, the chunk maxima are reduced (max is exact and
/// order-free), and the shared <see cref="PiController"/> accepts or rejects and proposes the next step.
/// Results are therefore bit-identical across thread counts and chunk sizes; solving a batch in two
/// pieces gives each piece its own step sequence, so a split batch differs from the whole one
/// (within tolerance, not bit for bit). The grid gives the end points; the first attempted step follows
/// <see cref="SolveOptions.InitialStep"/>: automatic (<see cref="StartingStepSize"/>, Hairer, Nørsett, Wanner I §II.4; the
/// default), the grid's first step |t_1 − t_0|, or a given dt0; it is capped at the interval.
/// </summary>
public abstract class AdaptiveSolver : ISolver
{
    /// <summary>An adaptive solver using <paramref name="controller"/>.</summary>
    protected AdaptiveSolver(PiController controller)
    {
        ArgumentNullException.ThrowIfNull(controller);
        controller.Validate();
        Controller = controller;
    }

    /// <inheritdoc />
    public abstract SolverTraits Traits { get; }

    /// <summary>The step-size controller.</summary>
    public PiController Controller { get; }

    /// <summary>
    /// Order q of the error estimate (local error O(h^(q+1))), for the automatic starting step (<see cref="StartingStepSize"/>);
    /// by default the declared order minus one.
    /// </summary>
    protected virtual int ErrorOrder => Math.Max(1, Traits.Order - 1);

    /// <summary>Scratch batches per chunk; they persist across the steps of one solve.</summary>
    protected abstract int Buffers { get; }

    /// <summary>Solver-specific checks before the loop; throw an <see cref="ArgumentException"/> to refuse.</summary>
    protected virtual void Validate(SamplingProblem problem, Batch x, TimeGrid grid)
    {
    }

    /// <summary>Prepares a chunk's persistent registers at the start of the solve.</summary>
    protected virtual void Begin(SamplingProblem problem, Batch x, Workspace workspace)
    {
    }

    /// <summary>
    /// Computes a candidate step from (t, x) to t + dt for one chunk, keeping the candidate in the workspace,
    /// and returns the largest scaled error norm over the chunk and the evaluations used.
    /// <paramref name="attempt"/> counts attempts (accepted + rejected) from 0 and keys the noise stream.
    /// </summary>
    protected abstract AttemptResult Attempt(SamplingProblem problem, double t, double dt, int attempt, SolveOptions options, long firstParticle, Batch x, Workspace workspace);

    /// <summary>Makes the last candidate the state of the chunk (called once per accepted step).</summary>
    protected abstract void Commit(Batch x, Workspace workspace);

    /// <inheritdoc />
    public Solution Solve(SamplingProblem problem, Batch x, TimeGrid grid, SolveOptions options)
    {
        var traits = Traits;
        ProblemGuard.Check(this, problem, x, grid, options);
        Validate(problem, x, grid);
        return new Run(this, problem, x, grid, options).Execute();
    }

    /// <summary>The state of one solve; its body delegate is created once, not per step.</summary>
    private sealed class Run
    {
        private readonly AdaptiveSolver _solver;
        private readonly SamplingProblem _problem;
        private readonly Batch _x;
        private readonly TimeGrid _grid;
        private readonly SolveOptions _options;
        private readonly ChunkPartition _chunks;
        private readonly Workspace[] _workspaces;
        private readonly AttemptResult[] _results;
        private readonly Action<int> _body;
        private readonly ParallelOptions _parallel;
        private double _t, _dt;
        private int _attempt;
        private bool _commitPending;

        public Run(AdaptiveSolver solver, SamplingProblem problem, Batch x, TimeGrid grid, SolveOptions options)
        {
            _solver = solver;
            _problem = problem;
            _x = x;
            _grid = grid;
            _options = options;
            _chunks = new ChunkPartition(x.Count, options.ChunkSize);
            _workspaces = new Workspace[_chunks.Count];
            for (var c = 0; c < _chunks.Count; c++)
            {
                _workspaces[c] = new Workspace(solver.Buffers, _chunks.Rows(c), x.Dimension);
                solver.Begin(problem, _chunks.Slice(x, c), _workspaces[c]);
            }
            _results = new AttemptResult[_chunks.Count];
            _body = AttemptChunk;
            _parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Threads };
        }

        private void AttemptChunk(int c)
        {
            var chunk = _chunks.Slice(_x, c);
            if (_commitPending) _solver.Commit(chunk, _workspaces[c]);
            _results[c] = _solver.Attempt(_problem, _t, _dt, _attempt, _options, _options.FirstParticle + _chunks.Start(c), chunk, _workspaces[c]);
        }

        private void CommitAll()
        {
            if (!_commitPending) return;
            for (var c = 0; c < _workspaces.Length; c++) _solver.Commit(_chunks.Slice(_x, c), _workspaces[c]);
            _commitPending = false;
        }

        // |dt| of the first attempt (SolveOptions.InitialStep), capped at the interval; the automatic rule costs two drift
        // evaluations (counted), each chunk computing its particles' candidates and the batch taking the smallest.
        private double FirstStep(double direction, ref long nfe)
        {
            var interval = Math.Abs(_grid.End - _grid.Start);
            var rule = _options.InitialStep;
            if (rule.Rule == InitialStepRule.Grid) return Math.Abs(_grid[1] - _grid[0]);
            if (rule.Rule == InitialStepRule.Given) return Math.Min(rule.Value, interval);
            double rtol = _options.RelativeTolerance, atol = _options.AbsoluteTolerance;
            var dynamics = _problem.Dynamics;
            var t0 = _grid.Start;
            var scratch = new Workspace[_chunks.Count];
            var guesses = new double[_chunks.Count];
            ChunkLoop.Run(_chunks.Count, _parallel, c =>
            {
                scratch[c] = new Workspace(StartingStepSize.Buffers, _chunks.Rows(c), _x.Dimension);
                guesses[c] = StartingStepSize.FirstGuess(dynamics, t0, _chunks.Slice(_x, c), scratch[c].Buffer(0, _chunks.Rows(c)), rtol, atol);
            });
            var h0 = Math.Min(Min(guesses), interval);
            nfe += 2;
            if (!(h0 > 0)) return interval; // a non-finite drift: the first attempt fails as before and the loop reports it
            var order = _solver.ErrorOrder;
            ChunkLoop.Run(_chunks.Count, _parallel, c =>
            {
                var rows = _chunks.Rows(c);
                var w = scratch[c];
                guesses[c] = StartingStepSize.SecondGuess(dynamics, t0, direction * h0, _chunks.Slice(_x, c), w.Buffer(0, rows), w.Buffer(1, rows), w.Buffer(2, rows), rtol, atol, order);
            });
            var h = Min(guesses);
            return h > 0 ? Math.Min(h, interval) : interval;
        }

        // The smallest value, NaN when any is NaN (Math.Min propagates NaN).
        private static double Min(double[] values)
        {
            var m = double.PositiveInfinity;
            foreach (var v in values) m = Math.Min(m, v);
            return m;
        }

        public Solution Execute()
        {
            var name = _solver.Traits.Name;
            var controller = _solver.Controller;
            var end = _grid.End;
            var direction = _grid.IsBackward ? -1.0 : 1.0;
            _t = _grid.Start;
            long nfe = 0, accepted = 0, rejected = 0;
            var h = FirstStep(direction, ref nfe);
            var previousError = 1.0;
            var afterRejection = false;
            var nonFinite = false;
            SolveStatus status;
            string? message = null;
            var observed = _options.IsObserved;
            var saveAt = _options.SaveAt;
            if (observed) _options.Observe(0, _t, _x, 0);
            while (true)
            {
                if (end == _t) { status = SolveStatus.Success; break; }
                // The step lands exactly on the next SaveAt time when it would pass it (the end otherwise).
                var stop = saveAt is null ? end : saveAt.NextStop(_t, direction, end);
                var remaining = Math.Abs(stop - _t);
                if (accepted + rejected >= _options.MaxSteps)
                {
                    status = SolveStatus.MaxStepsExceeded;
                    message = $"{name}: step budget of {_options.MaxSteps} used up at t = {_t}.";
                    break;
                }
                if (h < _options.MinStepSize && remaining > _options.MinStepSize)
                {
                    status = SolveStatus.StepSizeCollapse;
                    message = $"{name}: step size {h} fell below MinStepSize = {_options.MinStepSize} at t = {_t}.";
                    break;
                }
                var last = h >= remaining;
                var step = last ? remaining : h;
                _dt = last ? stop - _t : direction * step;
                _attempt = (int)Math.Min(accepted + rejected, int.MaxValue);
                ChunkLoop.Run(_workspaces.Length, _parallel, _body);
                _commitPending = false;

                var error = 0.0;
                var evaluations = 0;
                for (var c = 0; c < _results.Length; c++)
                {
                    var e = _results[c].Error;
                    if (double.IsNaN(e)) error = double.NaN; // a non-finite state; +inf (an overflowing ratio) is a rejection
                    else if (!double.IsNaN(error)) error = Math.Max(error, e);
                    evaluations = Math.Max(evaluations, _results[c].Evaluations);
                }
                nfe += evaluations;
                // Non-finite values reject the step like a huge error (diffrax does the same), so that a
                // transient instability is stepped around; if the step then collapses or the budget ends,
                // the status says NonFinite (below), with the time of the last accepted state.
                nonFinite = double.IsNaN(error);
                if (nonFinite) error = double.PositiveInfinity;

                var decision = controller.Decide(step, error, previousError, afterRejection);
                if (decision.Accepted)
                {
                    _commitPending = true;
                    _t = last ? stop : _t + _dt;
                    previousError = Math.Max(error, 1e-4);
                    afterRejection = false;
                    accepted++;
                    if (observed)
                    {
                        CommitAll(); // the observer sees the accepted state (commits are copies, so results do not change)
                        _options.Observe((int)Math.Min(accepted, int.MaxValue), _t, _x, 0);
                    }
                }
                else
                {
                    afterRejection = true;
                    rejected++;
                }
                h = decision.NextStep;
            }

            if (nonFinite && status != SolveStatus.Success)
            {
                status = SolveStatus.NonFinite;
                message = $"{name}: non-finite values in every attempted step from t = {_t} down to |dt| = {h}; the state is the last accepted one. ({message})";
            }

            CommitAll();
            return new Solution(_x, status, new SolverStatistics(nfe, accepted, rejected), _t, message);
        }
    }
}
