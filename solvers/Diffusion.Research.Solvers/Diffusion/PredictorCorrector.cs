using System.Numerics.Tensors;
using Diffusion.Research.Kernels;
using Diffusion.Research.Numerics;
using Diffusion.Research.Registries;
using Diffusion.Research.Sampling;

namespace Diffusion.Research.Solvers;

/// <summary>
/// Predictor–corrector sampling (Song et al. 2021, Alg. 1–5; 000 "Inference process"; 001 §Corrector;
/// 004 §10). Each step t → s runs the predictor (<see cref="PredictorKind"/>) and then, at the new time s,
/// <see cref="CorrectorSteps"/> Langevin corrector updates x ← x + ε s(x, s) + sqrt(2ε) z with
/// ε = 2 a (r ||z|| / ||s||)² (Alg. 4–5), a = α_{t|s}² (1 for VE, 1 − β_i for VP), and the norms averaged
/// over the batch as in the reference code. That average couples the particles, so this sampler runs the
/// batch in lock step: chunks work in parallel between two reductions, each reduction sums per-particle
/// norms in particle order, and the result is bit-identical across thread counts and chunk sizes (a batch
/// split into two solves sees other averages). Noise: stream (1 + M) i for the predictor of step i,
/// (1 + M) i + k for corrector update k.
/// </summary>
public sealed class PredictorCorrector : IDiffusionSampler
{
    /// <summary>A PC sampler with the given predictor, corrector updates per step and signal-to-noise ratio.</summary>
    public PredictorCorrector(PredictorKind predictor = PredictorKind.ReverseDiffusion, int correctorSteps = 1, double snr = 0.16, string? name = null,
        bool correctorFirst = false, int discreteBetas = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(discreteBetas);
        if (discreteBetas == 1) throw new ArgumentOutOfRangeException(nameof(discreteBetas), discreteBetas, "discrete_betas needs N >= 2 (0: continuous kernel).");
        CorrectorFirst = correctorFirst;
        DiscreteBetas = discreteBetas;
        ArgumentOutOfRangeException.ThrowIfNegative(correctorSteps);
        if (!(snr >= 0) || !double.IsFinite(snr)) throw new ArgumentOutOfRangeException(nameof(snr), snr, "The signal-to-noise ratio must be finite and >= 0.");
        if (!Enum.IsDefined(predictor)) throw new ArgumentOutOfRangeException(nameof(predictor), predictor, "Unknown predictor.");
        Predictor = predictor;
        CorrectorSteps = correctorSteps;
        SignalToNoise = snr;
        Traits = new SolverTraits(name ?? (predictor == PredictorKind.ReverseDiffusion ? "pc" : "pc_em"), 1, 0.5, IsStochastic: true, IsAdaptive: false,
            NfePerStep: 1 + correctorSteps,
            $"Predictor-corrector ({(predictor == PredictorKind.ReverseDiffusion ? "reverse-diffusion" : "Euler-Maruyama")} predictor + Langevin corrector; Song et al. 2021).");
    }

    /// <summary>The predictor.</summary>
    public PredictorKind Predictor { get; }

    /// <summary>Langevin corrector updates per step (M).</summary>
    public int CorrectorSteps { get; }

    /// <summary>r, the corrector's signal-to-noise ratio.</summary>
    public double SignalToNoise { get; }

    /// <summary>
    /// Run the corrector at t_i before the predictor t_i → t_{i+1}, as score_sde's <c>pc_sampler</c> does
    /// (sampling.py: corrector_update_fn, then predictor_update_fn, each step); default false: predictor, then the
    /// corrector at t_{i+1} (Song et al. 2021 Alg. 1 read as "predict, then correct at the new level").
    /// </summary>
    public bool CorrectorFirst { get; }

    /// <summary>
    /// score_sde compatibility for the linear VP SDE (0: off): the reverse-diffusion predictor and the corrector's α_i take
    /// β_i from the fixed table linspace(β_min/N, β_max/N, N) at index floor(t (N − 1)) (score_sde sde_lib.VPSDE.discretize,
    /// Song et al. 2021 eq 46 with DDPM's β_i), instead of α_{t|s}, σ_{t|s} of the continuous kernel between the grid times.
    /// </summary>
    public int DiscreteBetas { get; }

    // (α_{t|s}, σ_{t|s}²) of one step: the continuous kernel (003 eq 4.4.5; Kingma et al. 2021) or score_sde's discrete β_i.
    private (double Alpha, double Variance) StepKernel(IKernel kernel, Sde.LinearBetaSchedule? linear, double s, double t)
    {
        if (linear is null)
        {
            var between = kernel.Between(s, t);
            return (between.Alpha, between.Variance);
        }
        var beta = DiscreteBetaTable.Beta(linear, DiscreteBetas, t);
        return (Math.Sqrt(1 - beta), beta);
    }

    // The linear beta schedule of the problem's VP SDE when DiscreteBetas > 0 (refused otherwise), else null.
    private Sde.LinearBetaSchedule? DiscreteTable(SamplingProblem problem)
    {
        return DiscreteBetas == 0 ? null : DiscreteBetaTable.Schedule(problem.Sde, DiscreteBetas, Traits.Name);
    }

    /// <inheritdoc />
    public SolverTraits Traits { get; }

    /// <inheritdoc />
    public Solution Solve(SamplingProblem problem, Batch x, TimeGrid grid, SolveOptions options)
    {
        ProblemGuard.Check(this, problem, x, grid, options);
        var table = DiscreteTable(problem);
        return new Run(this, problem, x, grid, options, table).Execute();
    }

    /// <summary>One solve: whole-batch registers and the chunk bodies, created once.</summary>
    private sealed class Run
    {
        private readonly PredictorCorrector _owner;
        private readonly SamplingProblem _problem;
        private readonly Batch _x, _score, _noise, _drift;
        private readonly double[] _scoreNorms, _noiseNorms;
        private readonly bool[] _finite;
        private readonly TimeGrid _grid;
        private readonly SolveOptions _options;
        private readonly ChunkPartition _chunks;
        private readonly ParallelOptions _parallel;
        private readonly Action<int> _predict, _correctorScores, _correctorUpdate;
        private int _step, _correction;
        private double _epsilon;

        private readonly Sde.LinearBetaSchedule? _table;
        private double _correctorTime;

        public Run(PredictorCorrector owner, SamplingProblem problem, Batch x, TimeGrid grid, SolveOptions options, Sde.LinearBetaSchedule? table)
        {
            _owner = owner;
            _table = table;
            _problem = problem;
            _x = x;
            _grid = grid;
            _options = options;
            _score = new Batch(x.Count, x.Dimension);
            _noise = new Batch(x.Count, x.Dimension);
            _drift = owner.Predictor == PredictorKind.EulerMaruyama ? new Batch(x.Count, x.Dimension) : default;
            _scoreNorms = new double[x.Count];
            _noiseNorms = new double[x.Count];
            _chunks = new ChunkPartition(x.Count, options.ChunkSize);
            _finite = new bool[_chunks.Count];
            _parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Threads };
            _predict = Predict;
            _correctorScores = CorrectorScores;
            _correctorUpdate = CorrectorUpdate;
        }

        private uint Stream(int k) => (uint)(_step * (1 + _owner.CorrectorSteps) + k);

        private void Predict(int c)
        {
            var sde = _problem.Diffusion.Sde;
            var kernel = _problem.Diffusion.Kernel;
            int start = _chunks.Start(c), rows = _chunks.Rows(c);
            var x = _x.Slice(start, rows);
            var score = _score.Slice(start, rows);
            var z = _noise.Slice(start, rows);
            double t = _grid[_step], s = _grid[_step + 1];
            _problem.Diffusion.Score.Score(t, x, score);
            _options.FillGaussian(Stream(0), _options.FirstParticle + start, z);
            if (_owner.Predictor == PredictorKind.ReverseDiffusion)
            {
                // Discretised forward step x_t = x_s + f_i + G_i ε with f_i = (α_{t|s} − 1) x, G_i = σ_{t|s}
                // (003 eq 4.4.5); reverse diffusion: x_s = x_t − f_i + G_i² s + G_i z (Song et al. 2021 eq 46).
                var (alpha, variance) = _owner.StepKernel(kernel, _table, s, t);
                TensorPrimitives.Multiply(x.Values, 2 - alpha, x.Values);
                TensorPrimitives.MultiplyAdd(score.Values, variance, x.Values, x.Values);
                TensorPrimitives.MultiplyAdd(z.Values, Math.Sqrt(variance), x.Values, x.Values);
            }
            else
            {
                // x_s = x + [f(x, t) − g(t)² s(x, t)] dt + g(t) sqrt|dt| z (004 §10.1; Kloeden and Platen 1992, §10.2),
                // dt = s − t < 0.
                var drift = _drift.Slice(start, rows);
                var dt = s - t;
                var g = sde.Diffusion(t);
                sde.Drift(t, x, drift);
                TensorPrimitives.MultiplyAdd(drift.Values, dt, x.Values, x.Values);
                TensorPrimitives.MultiplyAdd(score.Values, -g * g * dt, x.Values, x.Values);
                TensorPrimitives.MultiplyAdd(z.Values, g * Math.Sqrt(-dt), x.Values, x.Values);
            }
            _finite[c] = x.IsFinite();
        }

        private void CorrectorScores(int c)
        {
            int start = _chunks.Start(c), rows = _chunks.Rows(c);
            var x = _x.Slice(start, rows);
            var score = _score.Slice(start, rows);
            var z = _noise.Slice(start, rows);
            _problem.Diffusion.Score.Score(_correctorTime, x, score);
            _options.FillGaussian(Stream(_correction), _options.FirstParticle + start, z);
            var d = _x.Dimension;
            for (var i = 0; i < rows; i++)
            {
                _scoreNorms[start + i] = TensorPrimitives.Norm(score.Values.Slice(i * d, d));
                _noiseNorms[start + i] = TensorPrimitives.Norm(z.Values.Slice(i * d, d));
            }
        }

        private void CorrectorUpdate(int c)
        {
            int start = _chunks.Start(c), rows = _chunks.Rows(c);
            var x = _x.Slice(start, rows);
            LangevinUpdate.Apply(x, _score.Slice(start, rows), _noise.Slice(start, rows), _epsilon);
            _finite[c] = x.IsFinite();
        }

        private bool AllFinite()
        {
            foreach (var f in _finite)
                if (!f) return false;
            return true;
        }

        public Solution Execute()
        {
            var kernel = _problem.Diffusion.Kernel;
            var nfePerStep = (long)_owner.Traits.NfePerStep;
            var observed = _options.IsObserved;
            if (observed) _options.Observe(0, _grid.Start, _x, 0);
            for (_step = 0; _step < _grid.Steps; _step++)
            {
                if (!_owner.CorrectorFirst)
                {
                    ChunkLoop.Run(_chunks.Count, _parallel, _predict);
                    if (!AllFinite()) return Failed();
                }
                var (alphaStep, _) = _owner.StepKernel(kernel, _table, _grid[_step + 1], _grid[_step]);
                var a = alphaStep * alphaStep; // Song et al. Alg. 5: α_i = 1 − β_i for VP; 1 for VE (Alg. 4)
                _correctorTime = _owner.CorrectorFirst ? _grid[_step] : _grid[_step + 1];
                for (_correction = 1; _correction <= _owner.CorrectorSteps; _correction++)
                {
                    ChunkLoop.Run(_chunks.Count, _parallel, _correctorScores);
                    // Batch means in particle order: independent of chunking and threads.
                    double scoreSum = 0, noiseSum = 0;
                    for (var i = 0; i < _x.Count; i++) { scoreSum += _scoreNorms[i]; noiseSum += _noiseNorms[i]; }
                    _epsilon = LangevinUpdate.SignalToNoiseStep(noiseSum / _x.Count, scoreSum / _x.Count, _owner.SignalToNoise, a);
                    if (!double.IsFinite(_epsilon)) return Failed();
                    ChunkLoop.Run(_chunks.Count, _parallel, _correctorUpdate);
                    if (!AllFinite()) return Failed();
                }
                if (_owner.CorrectorFirst)
                {
                    ChunkLoop.Run(_chunks.Count, _parallel, _predict);
                    if (!AllFinite()) return Failed();
                }
                if (observed) _options.Observe(_step + 1, _grid[_step + 1], _x, 0);
            }
            return new Solution(_x, SolveStatus.Success, new SolverStatistics(nfePerStep * _grid.Steps, _grid.Steps, 0), _grid.End, null);
        }

        private Solution Failed()
        {
            var steps = _step + 1;
            return new Solution(_x, SolveStatus.NonFinite, new SolverStatistics((long)_owner.Traits.NfePerStep * steps, steps, 0), _grid[_step],
                $"{_owner.Traits.Name}: non-finite state in step {_step} (t = {_grid[_step]} -> {_grid[_step + 1]}).");
        }
    }

    /// <summary>Registers pc and pc_em (the registry reads name and description from the traits; <see cref="SolverRegistry.CreateDefault"/>).</summary>
    [SolverRegistration(60)]
    internal static void Register(SolverRegistry r)
    {
        ParameterSpec[] parameters =
        [
            ParameterSpec.Real("snr", 0.16, "corrector signal-to-noise ratio r"), ParameterSpec.Integer("corrector_steps", 1, "Langevin updates per step"),
            ParameterSpec.Integer("corrector_first", 0, "1: corrector at t_i before the predictor (score_sde order); 0: after, at t_(i+1)"),
            ParameterSpec.Integer("discrete_betas", 0, "N > 0: score_sde's discrete VP betas linspace(beta_min/N, beta_max/N, N) at floor(t (N-1)); 0: continuous kernel"),
        ];
        foreach (var kind in new[] { PredictorKind.ReverseDiffusion, PredictorKind.EulerMaruyama })
            r.Register(p => new PredictorCorrector(kind, p.Integer("corrector_steps"), p["snr"], null, p.Integer("corrector_first") != 0, p.Integer("discrete_betas")), parameters);
    }
}
