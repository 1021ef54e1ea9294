using Diffusion.Research.Data;
using Diffusion.Research.Kernels;
using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;
using Diffusion.Research.Scores;
using Diffusion.Research.Sde;
using Diffusion.Research.Solvers;
using ILGPU;
using ILGPU.Runtime;

namespace Diffusion.Research.Gpu;

/// <summary>
/// A fixed-step CPU solver of the zoo run as one fused kernel on a device: same traits, same formulas, same noise
/// indices, so its result agrees with the CPU twin to rounding (tests: 1e-12 relative for deterministic solvers, 1e-10
/// after 100 steps for stochastic ones). Supported: euler_maruyama and stochastic_heun (any l), euler, heun, rk4 (PF-ODE),
/// ddim (any eta), ddpm, dpm_solver_2, edm (with or without churn), ald, pc and pc_em (lock-step), on the reverse family of a linear SDE (VE, VP linear/cosine, sub-VP, affine, linear) with the exact score of
/// a Gaussian mixture (K ≤ 64, D ≤ 16, full covariances). Anything else is refused by <see cref="Unsupported(ISolver)"/>
/// and <see cref="Unsupported(SamplingProblem)"/> so that callers can name the offending key.
/// </summary>
public sealed class GpuSolver : ISolver
{
    private readonly DeviceContext _device;
    private readonly ISolver _twin;
    private readonly DeviceMethod _method;

    /// <summary>Runs <paramref name="cpuTwin"/>'s method on <paramref name="device"/>.</summary>
    /// <exception cref="NotSupportedException">When the solver has no device kernel (see <see cref="Unsupported(ISolver)"/>).</exception>
    public GpuSolver(DeviceContext device, ISolver cpuTwin)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(cpuTwin);
        if (Unsupported(cpuTwin) is { } reason) throw new NotSupportedException(reason);
        _device = device;
        _twin = cpuTwin;
        _method = MethodOf(cpuTwin)!.Value;
    }

    /// <summary>False runs a two-dimensional isotropic mixture through the general isotropic path instead of the
    /// two-dimensional one (<see cref="DeviceMixtureScore.Planar"/>; the same bits): for the device check, which times both.</summary>
    internal bool TwoDimensionalPath { get; init; } = true;

    /// <summary>Which kernel evaluates an MLP score inside the fused trajectory kernels: null chooses (the group kernel on CUDA from width
    /// <see cref="TiledMlpWidth"/>), true the group kernel with tiled dense layers (<see cref="DeviceTiledMlpScore"/>), false
    /// one thread per particle (<see cref="DeviceMlpScore"/>); the same values either way (TiledMlpTests). For the device
    /// check, which times both, and the tests.</summary>
    internal bool? TiledMlp { get; init; }

    /// <summary>The device time of the last fused kernel launch of this solver, between timing markers before and after it on
    /// the stream, when its context takes them (<see cref="DeviceContext.Profiles"/>; the device check's kernel-only
    /// figures, which separate the kernel from the host's share of a solve); null otherwise and for the
    /// predictor–corrector's lock-step launches.</summary>
    internal TimeSpan? LastKernelTime { get; private set; }

    /// <summary>Hidden width from which an MLP score runs as <see cref="DeviceTiledMlpScore"/> on CUDA by default.</summary>
    internal const int TiledMlpWidth = 32;

    // The group kernel for MLPs of width TiledMlpWidth and more on CUDA. On the CPU accelerator, whose group threads are OS threads
    // that meet at every barrier, the group kernel is several times slower than one thread per particle (docs/gpu.md), and
    // both give the same values, so gpu-emulated runs per particle unless told otherwise.
    private bool UsesTiledMlp(Nn.Models.MlpScoreModel mlp) => UsesTiledMlp(TiledMlp, _device.IsEmulated, mlp.Options.Width);

    internal static bool UsesTiledMlp(bool? setting, bool emulated, int width) => setting ?? (!emulated && width >= TiledMlpWidth);

    /// <summary>The CPU solver this one mirrors.</summary>
    public ISolver Twin => _twin;

    /// <inheritdoc />
    public SolverTraits Traits => _twin.Traits;

    /// <summary>Null when <paramref name="solver"/> has a device kernel, else why not.</summary>
    public static string? Unsupported(ISolver solver)
    {
        ArgumentNullException.ThrowIfNull(solver);
        if (solver.Traits.IsAdaptive) return $"solver '{solver.Traits.Name}' is adaptive and runs on the CPU only (device: cpu)";
        return solver switch
        {
            EulerMaruyama { Path: not null } => "euler_maruyama with a replayed Brownian path has no device kernel",
            StochasticHeun { Path: not null } => "stochastic_heun with a replayed Brownian path has no device kernel",
            PredictorCorrector { CorrectorFirst: true } => "pc with corrector_first (corrector at the step's start time) has no device kernel",
            PredictorCorrector { DiscreteBetas: > 0 } => "pc with discrete_betas (score_sde's discrete beta table) has no device kernel",
            DdpmAncestral { DiscreteBetas: > 0 } => "ddpm with discrete_betas (score_sde's discrete beta table) has no device kernel",
            ExplicitRungeKutta rk when rk.Tableau.Stages > DeviceLimits.MaxStages => $"Runge-Kutta tableaus of more than {DeviceLimits.MaxStages} stages have no device kernel",
            _ when MethodOf(solver) is null => $"solver '{solver.Traits.Name}' has no device kernel yet (device kernels: euler_maruyama, stochastic_heun, euler, heun, rk4, ddim, ddpm, dpm_solver_2, edm, ald, pc, pc_em)",
            _ => null,
        };
    }

    /// <summary>Null when the problem's SDE and score run on the device, else why not.</summary>
    public static string? Unsupported(SamplingProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        if (!problem.IsDiffusionModel) return "the device kernels sample the reverse family of a forward SDE with a score model";
        if (problem.Sde is not ILinearSde) return $"the SDE {problem.Sde} is not linear (f(t) x); the device kernels need a linear SDE";
        if (problem.Sde.Kernel is null) return "the device kernels need an SDE with a closed-form kernel";
        if (problem.Score is Nn.Models.MlpScoreModel mlp) return MlpScoreTables.Unsupported(mlp);
        if (problem.Score is not ExactNoisedScore { Data: GaussianMixture mixture })
            return "only the exact score of a Gaussian mixture (model kind 'exact') and MLP score models (model kind 'mlp') run on the device";
        if (mixture.Dimension > DeviceLimits.MaxDimension) return $"the device kernels handle dimension up to {DeviceLimits.MaxDimension}, the data have {mixture.Dimension}";
        if (mixture.Components > DeviceLimits.MaxComponents) return $"the device kernels handle up to {DeviceLimits.MaxComponents} mixture components, the data have {mixture.Components}";
        return null;
    }

    private static DeviceMethod? MethodOf(ISolver solver) => solver switch
    {
        EulerMaruyama => DeviceMethod.EulerMaruyama,
        ExplicitRungeKutta => DeviceMethod.RungeKutta,
        Ddim or DdpmAncestral => DeviceMethod.GaussianStep,
        StochasticHeun => DeviceMethod.StochasticHeun,
        DpmSolver2 => DeviceMethod.DpmSolver2,
        EdmHeun => DeviceMethod.Edm,
        AnnealedLangevin => DeviceMethod.AnnealedLangevin,
        PredictorCorrector => DeviceMethod.PredictorCorrector,
        _ => null,
    };

    /// <inheritdoc />
    public Solution Solve(SamplingProblem problem, Batch x, TimeGrid grid, SolveOptions options)
    {
        Validate(problem, x, grid, options);
        using var particles = new DeviceBatch(_device, x);
        var (firstFailure, stoppedAt) = Run(problem, particles, grid, options);
        particles.CopyTo(x);
        var (status, statistics, reached, message) = Outcome(grid, firstFailure, stoppedAt);
        return new Solution(x, status, statistics, reached, message);
    }

    /// <summary>
    /// Solves in place on particles that stay on the device (no copy to or from the host: for chaining device work, and
    /// for timing the device as the eager-PyTorch and JAX peers are timed). Same checks as the host overload, the
    /// score's shape check on the batch's first particle.
    /// </summary>
    /// <exception cref="ArgumentException">When <paramref name="x"/> lives on another device context, or is empty.</exception>
    public DeviceSolution Solve(SamplingProblem problem, DeviceBatch x, TimeGrid grid, SolveOptions options)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(options);
        if (!ReferenceEquals(x.Device, _device)) throw new ArgumentException("The device batch belongs to another DeviceContext than this solver's.", nameof(x));
        ProblemGuard.CheckParticles(x.Count, options);
        Validate(problem, x.FirstRow(), grid, options);
        var (firstFailure, stoppedAt) = Run(problem, x, grid, options);
        var (status, statistics, reached, message) = Outcome(grid, firstFailure, stoppedAt);
        return new DeviceSolution(x, status, statistics, reached, message);
    }

    // The checks of the CPU twin and of the device kernels, before any device work.
    private void Validate(SamplingProblem problem, Batch x, TimeGrid grid, SolveOptions options)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(options);
        if (Unsupported(problem) is { } reason) throw new NotSupportedException(reason);
        if (options.IsObserved)
            throw new NotSupportedException("The device kernels run the whole trajectory on the device: no per-step Observer or SaveAt (use the CPU solver).");
        // The CPU twin's own checks: the shared ones, then its Validate (ODE-only Runge-Kutta).
        ProblemGuard.Check(_twin, problem, x, grid, options);
        if (_twin is ExplicitRungeKutta) ProblemGuard.RequireOde(Traits.Name, problem.Dynamics, grid);
        // ExplicitRungeKutta's grid ending at sigma = 0: the CPU twin refuses it or takes a first-order (Euler) last step
        // (Karras et al. 2022 Alg. 1 lines 7-8); the device kernel applies one tableau to every step, so it does neither.
        if (_twin is ExplicitRungeKutta { Tableau.Stages: > 1 } zeroEnd && grid.IsBackward && problem.Diffusion.Kernel.Sigma(grid.End) == 0)
        {
            if (zeroEnd.ZeroNoiseEnd == ZeroNoiseEnd.Refuse)
                throw new ArgumentException($"Solver '{Traits.Name}': the grid ends at t = {grid.End} where sigma = 0; end at t_eps > 0, or take a first-order last step (EDM Alg. 1).", nameof(grid));
            throw new NotSupportedException($"solver '{Traits.Name}' takes a first-order last step into sigma = 0 (t = {grid.End}), which has no device kernel; end at t_eps > 0 or run on the CPU (device: cpu)");
        }
        var scoreDimension = problem.Score is Nn.Models.MlpScoreModel m ? m.Dimension : ((GaussianMixture)((ExactNoisedScore)problem.Diffusion.Score).Data).Dimension;
        if (x.Dimension != scoreDimension)
            throw new ArgumentException($"The batch has dimension {x.Dimension}, the score {scoreDimension}.", nameof(x));
    }

    // Tabulates the solve's scalars and the score's tables, and runs the kernel(s) on the device particles; returns the
    // earliest step at which a particle became non-finite (−1 if none) and the step a lock-step solve stopped at.
    private (int FirstFailure, int? StoppedAt) Run(SamplingProblem problem, DeviceBatch x, TimeGrid grid, SolveOptions options)
    {

        var sde = (ILinearSde)problem.Diffusion.Sde;
        var n = grid.Steps;
        var dts = new double[n];
        for (var i = 0; i < n; i++) dts[i] = grid[i + 1] - grid[i];

        // The time of every slot, and the per-slot scalars the kernel reads.
        double[] slotTimes;
        double[] coefficients;
        var tableau = Array.Empty<double>();
        var stages = 1;
        switch (_twin)
        {
            case ExplicitRungeKutta rk:
                stages = rk.Tableau.Stages;
                tableau = new double[stages * stages + stages];
                for (var j = 0; j < stages; j++)
                {
                    for (var l = 0; l < j; l++) tableau[j * stages + l] = rk.Tableau.A(j, l);
                    tableau[stages * stages + j] = rk.Tableau.SolutionWeights[j];
                }
                slotTimes = new double[n * stages];
                for (var i = 0; i < n; i++)
                    for (var j = 0; j < stages; j++) slotTimes[i * stages + j] = grid[i] + rk.Tableau.Nodes[j] * dts[i]; // RungeKuttaStages: t + C[j] dt
                coefficients = ReverseCoefficients(sde, slotTimes);
                break;
            case StochasticHeun:
                slotTimes = new double[2 * n];
                for (var i = 0; i < n; i++)
                {
                    slotTimes[2 * i] = grid[i];
                    slotTimes[2 * i + 1] = grid[i] + dts[i]; // StochasticHeun.Propose evaluates at t + dt
                }
                coefficients = ReverseCoefficients(sde, slotTimes);
                break;
            case EulerMaruyama:
                slotTimes = grid.Times[..n].ToArray();
                coefficients = EulerMaruyamaCoefficients(sde, problem.Lambda, slotTimes, dts);
                break;
            case DpmSolver2:
                (slotTimes, coefficients) = DpmSolver2Coefficients(problem.Diffusion.Kernel, grid);
                break;
            case EdmHeun edm:
                (slotTimes, coefficients) = EdmCoefficients(edm.Churn, problem.Diffusion.Sde, grid);
                break;
            case PredictorCorrector pc:
                {
                    stages = pc.CorrectorSteps;
                    slotTimes = new double[2 * n];
                    coefficients = new double[4 * n];
                    var kernel = problem.Diffusion.Kernel;
                    for (var i = 0; i < n; i++)
                    {
                        double t = grid[i], s = grid[i + 1];
                        slotTimes[2 * i] = t;
                        slotTimes[2 * i + 1] = s;
                        if (pc.Predictor == PredictorKind.ReverseDiffusion)
                        {
                            var between = kernel.Between(s, t); // PredictorCorrector.Predict (Song et al. 2021 eq 46)
                            coefficients[4 * i] = 2 - between.Alpha;
                            coefficients[4 * i + 1] = between.Variance;
                            coefficients[4 * i + 2] = between.Sigma;
                        }
                        else
                        {
                            var dt = s - t;
                            var g = problem.Diffusion.Sde.Diffusion(t);
                            coefficients[4 * i] = sde.DriftCoefficient(t);
                            coefficients[4 * i + 1] = dt;
                            coefficients[4 * i + 2] = -g * g * dt;
                            coefficients[4 * i + 3] = g * Math.Sqrt(-dt);
                        }
                    }
                    break;
                }
            case AnnealedLangevin ald:
                {
                    stages = ald.StepsPerLevel;
                    slotTimes = grid.Times[1..].ToArray(); // the level of step i is t_{i+1}
                    coefficients = new double[2 * n];
                    var kernel = problem.Diffusion.Kernel;
                    var sigmaMin = kernel.Sigma(grid.End); // σ_L (AnnealedLangevin.Step)
                    for (var i = 0; i < n; i++)
                    {
                        var sigma = kernel.Sigma(grid[i + 1]);
                        var alpha = ald.Epsilon * sigma * sigma / (sigmaMin * sigmaMin);
                        coefficients[2 * i] = 0.5 * alpha;
                        coefficients[2 * i + 1] = Math.Sqrt(2 * (0.5 * alpha)); // LangevinUpdate.Apply: √(2ε)
                    }
                    break;
                }
            case Ddim ddim:
                slotTimes = grid.Times[..n].ToArray();
                coefficients = DdimCoefficients(ddim, problem.Diffusion.Kernel, grid);
                break;
            case DdpmAncestral ddpm:
                slotTimes = grid.Times[..n].ToArray();
                coefficients = DdpmCoefficients(ddpm, problem.Diffusion.Kernel, grid);
                break;
            default:
                slotTimes = grid.Times[..n].ToArray();
                coefficients = ReverseCoefficients(sde, slotTimes);
                break;
        }
        var accelerator = _device.Accelerator;
        using var dtBuffer = accelerator.Allocate1D(dts);
        using var coefficientBuffer = accelerator.Allocate1D(coefficients);
        using var tableauBuffer = accelerator.Allocate1D(tableau.Length == 0 ? [0.0] : tableau);
        // The fused kernels reduce failures to the earliest failing step in one value; the predictor-corrector's lock-step
        // kernels keep a flag per particle.
        var lockStep = _twin is PredictorCorrector;
        using var failedBuffer = accelerator.Allocate1D<int>(lockStep ? Math.Max(1, x.Count) : 1);
        if (!lockStep) failedBuffer.CopyFromCPU([int.MaxValue]);
        var arguments = new TrajectoryArguments
        {
            X = x.View,
            Dts = dtBuffer.View,
            Coefficients = coefficientBuffer.View,
            Tableau = tableauBuffer.View,
            Failed = failedBuffer.View,
            Seed = options.Noise.Seed,
            FirstParticle = options.FirstParticle,
            Steps = n,
            Dimension = x.Dimension,
            SlotWidth = coefficients.Length / n,
            Stages = stages,
            Lambda = double.IsNaN(problem.Lambda) ? 0 : problem.Lambda,
            Constants = MathConstants.Taylor,
        };
        int? stoppedAt = null;
        if (x.Count > 0)
        {
            if (problem.Score is Nn.Models.MlpScoreModel mlp)
            {
                var tables = new MlpScoreTables(mlp);
                var stride = tables.Stride;
                var scoreTables = new double[slotTimes.Length * stride];
                for (var slot = 0; slot < slotTimes.Length; slot++) tables.Fill(slotTimes[slot], scoreTables.AsSpan(slot * stride, stride));
                using var weightBuffer = accelerator.Allocate1D(tables.Weights);
                using var tableBuffer = accelerator.Allocate1D(scoreTables);
                var network = tables.Device(weightBuffer.View, tableBuffer.View);
                stoppedAt = UsesTiledMlp(mlp)
                    ? ExecuteGrouped(new DeviceTiledMlpScore { Model = network }, arguments, problem, grid, x.Count)
                    : Execute(network, arguments, problem, grid, x.Count);
            }
            else
            {
                var score = (ExactNoisedScore)problem.Diffusion.Score;
                var tables = new MixtureScoreTables((GaussianMixture)score.Data);
                var stride = tables.Stride;
                var scoreTables = new double[slotTimes.Length * stride];
                for (var slot = 0; slot < slotTimes.Length; slot++)
                    tables.Fill(score.Kernel.Alpha(slotTimes[slot]), score.Kernel.Sigma(slotTimes[slot]), scoreTables.AsSpan(slot * stride, stride));
                using var eigenBuffer = accelerator.Allocate1D(tables.Eigenvectors.Length == 0 ? [0.0] : tables.Eigenvectors);
                using var tableBuffer = accelerator.Allocate1D(scoreTables);
                var deviceScore = tables.Device(eigenBuffer.View, tableBuffer.View);
                if (!TwoDimensionalPath) deviceScore.Planar = 0;
                stoppedAt = Execute(deviceScore, arguments, problem, grid, x.Count);
            }
        }
        if (x.Count == 0) return (-1, stoppedAt);
        if (!lockStep)
        {
            var earliest = failedBuffer.GetAsArray1D()[0];
            return (earliest == int.MaxValue ? -1 : earliest, stoppedAt);
        }
        return (failedBuffer.GetAsArray1D().Aggregate(-1, Earlier), stoppedAt);
    }

    // The solve with one thread per particle (the kernels of DeviceContext.Kernel).
    private int? Execute<TScore>(TScore score, TrajectoryArguments arguments, SamplingProblem problem, TimeGrid grid, int count) where TScore : struct, IDeviceScore =>
        Execute(
            a => _device.Kernel<TScore>(_method)(count, a, score),
            a => _device.Kernel<TScore>(DeviceMethod.PredictorCorrector)(count, a, score),
            a => _device.Kernel<TScore>(DeviceMethod.CorrectorScores)(count, a, score),
            a => _device.Kernel<TScore>(DeviceMethod.CorrectorUpdate)(count, a, score),
            arguments, problem, grid, count);

    // The solve with a group score: the kernels that evaluate the score explicitly grouped (DeviceContext.GroupedKernel),
    // one group per GroupParticles particles; the corrector update, which does not, per particle.
    private int? ExecuteGrouped<TScore>(TScore score, TrajectoryArguments arguments, SamplingProblem problem, TimeGrid grid, int count) where TScore : struct, IGroupScore
    {
        var groups = new KernelConfig(checked((int)((count + DeviceLimits.GroupParticles - 1L) / DeviceLimits.GroupParticles)), DeviceLimits.GroupThreads);
        return Execute(
            a => _device.GroupedKernel<TScore>(_method)(groups, a, score),
            a => _device.GroupedKernel<TScore>(DeviceMethod.PredictorCorrector)(groups, a, score),
            a => _device.GroupedKernel<TScore>(DeviceMethod.CorrectorScores)(groups, a, score),
            a => _device.Kernel<TScore>(DeviceMethod.CorrectorUpdate)(count, a, score),
            arguments, problem, grid, count);
    }

    // One launch of the fused kernel, or the lock-step loop of the predictor-corrector (predictor, then per corrector
    // update the scores-and-norms launch, the step size on the host and the update launch); returns the step at which a
    // lock-step solve stopped (non-finite Langevin step size), else null.
    private int? Execute(Action<TrajectoryArguments> fused, Action<TrajectoryArguments> predict, Action<TrajectoryArguments> scores,
        Action<TrajectoryArguments> update, TrajectoryArguments arguments, SamplingProblem problem, TimeGrid grid, int count)
    {
        var accelerator = _device.Accelerator;
        if (_twin is not PredictorCorrector pc)
        {
            var start = _device.Profiles ? accelerator.AddProfilingMarker() : null;
            fused(arguments);
            using var end = start is null ? null : accelerator.AddProfilingMarker();
            accelerator.Synchronize();
            if (start is not null) LastKernelTime = end! - start;
            start?.Dispose();
            return null;
        }
        var d = arguments.Dimension;
        using var work = accelerator.Allocate1D<double>(2L * count * d + 2L * count);
        arguments.Work = work.View;
        var initial = new int[count];
        Array.Fill(initial, -1);
        arguments.Failed.CopyFromCPU(initial);
        var norms = new double[2 * count];
        var kernel = problem.Diffusion.Kernel;
        for (var step = 0; step < grid.Steps; step++)
        {
            arguments.Step = step;
            arguments.Variant = pc.Predictor == PredictorKind.ReverseDiffusion ? 0 : 1;
            predict(arguments);
            var between = kernel.Between(grid[step + 1], grid[step]);
            var a = between.Alpha * between.Alpha; // Song et al. Alg. 5: α_i = 1 − β_i for VP; 1 for VE (Alg. 4)
            for (var k = 1; k <= pc.CorrectorSteps; k++)
            {
                arguments.Variant = k;
                scores(arguments);
                accelerator.Synchronize();
                work.View.SubView(2L * count * d, 2L * count).CopyToCPU(norms);
                // Batch means in particle order, as the CPU sums them.
                double scoreSum = 0, noiseSum = 0;
                for (var i = 0; i < count; i++) { scoreSum += norms[i]; noiseSum += norms[count + i]; }
                var epsilon = LangevinUpdate.SignalToNoiseStep(noiseSum / count, scoreSum / count, pc.SignalToNoise, a);
                if (!double.IsFinite(epsilon)) return step;
                arguments.Epsilon = epsilon;
                update(arguments);
            }
        }
        accelerator.Synchronize();
        return null;
    }

    // f(t) and g(t) of the forward SDE at every slot (ReverseSde.Drift and Diffusion read these two scalars).
    private static double[] ReverseCoefficients(ILinearSde sde, double[] times)
    {
        var result = new double[2 * times.Length];
        for (var i = 0; i < times.Length; i++)
        {
            result[2 * i] = sde.DriftCoefficient(times[i]);
            result[2 * i + 1] = sde.Diffusion(times[i]);
        }
        return result;
    }

    // Euler–Maruyama's per-step scalars (f, −(1+l²)/2 g², l g, l g √|dt|) with the expressions of ReverseSde.Drift and
    // Diffusion and EulerMaruyama.Step (001 eq 85; Song et al. 2021 eq (6)).
    private static double[] EulerMaruyamaCoefficients(ILinearSde sde, double lambda, double[] times, double[] dts)
    {
        var l = double.IsNaN(lambda) ? 0 : lambda;
        var result = new double[4 * times.Length];
        for (var i = 0; i < times.Length; i++)
        {
            var g = sde.Diffusion(times[i]);
            var b = l * g;
            result[4 * i] = sde.DriftCoefficient(times[i]);
            result[4 * i + 1] = -0.5 * (1.0 + l * l) * g * g;
            result[4 * i + 2] = b;
            result[4 * i + 3] = b * Math.Sqrt(Math.Abs(dts[i]));
        }
        return result;
    }

    // Ddim.Step: x_s = α_s (x + σ_t² score)/α_t − sqrt(σ_s² − c²) σ_t score + c z (Song, Meng, Ermon 2021 eq 12).
    private static double[] DdimCoefficients(Ddim ddim, IKernel kernel, TimeGrid grid)
    {
        var result = new double[3 * grid.Steps];
        for (var i = 0; i < grid.Steps; i++)
        {
            double t = grid[i], s = grid[i + 1];
            double alphaT = kernel.Alpha(t), sigmaT = kernel.Sigma(t), alphaS = kernel.Alpha(s), sigmaS = kernel.Sigma(s);
            var c = ddim.Eta == 0 ? 0.0 : ddim.Eta * kernel.Posterior(s, t).StandardDeviation;
            var direction = Math.Sqrt(Math.Max(0, sigmaS * sigmaS - c * c));
            result[3 * i] = alphaS / alphaT;
            result[3 * i + 1] = alphaS * sigmaT * sigmaT / alphaT - direction * sigmaT;
            result[3 * i + 2] = c;
        }
        return result;
    }

    // DdpmAncestral.Step: μ = (a + b/α_t) x + (b σ_t²/α_t) score from the kernel posterior (003 Lemma 4.4.2; Kingma et al. 2021).
    private static double[] DdpmCoefficients(DdpmAncestral ddpm, IKernel kernel, TimeGrid grid)
    {
        var result = new double[3 * grid.Steps];
        for (var i = 0; i < grid.Steps; i++)
        {
            double t = grid[i], s = grid[i + 1];
            var posterior = kernel.Posterior(s, t);
            var alphaT = kernel.Alpha(t);
            var sigmaT = kernel.Sigma(t);
            var variance = DdpmVariance(ddpm.VarianceWeight, kernel, s, t, posterior.Variance);
            result[3 * i] = posterior.NoisyWeight + posterior.DataWeight / alphaT;
            result[3 * i + 1] = posterior.DataWeight * sigmaT * sigmaT / alphaT;
            result[3 * i + 2] = variance > 0 ? Math.Sqrt(variance) : 0;
        }
        return result;
    }

    // DpmSolver2.Step: slots (t_i, m_i) with λ(m) the log-SNR midpoint; per step α_m/α_t, σ_m expm1(h/2) σ_t, α_s/α_t, σ_s expm1(h) σ_m.
    private static (double[] Times, double[] Coefficients) DpmSolver2Coefficients(IKernel kernel, TimeGrid grid)
    {
        var times = new double[2 * grid.Steps];
        var result = new double[4 * grid.Steps];
        for (var i = 0; i < grid.Steps; i++)
        {
            double t = grid[i], s = grid[i + 1];
            double alphaT = kernel.Alpha(t), sigmaT = kernel.Sigma(t), alphaS = kernel.Alpha(s), sigmaS = kernel.Sigma(s);
            var lambdaT = 0.5 * kernel.LogSnr(t);
            var h = 0.5 * kernel.LogSnr(s) - lambdaT;
            var m = kernel.TimeAtLogSnr(2 * (lambdaT + 0.5 * h), s, t);
            double alphaM = kernel.Alpha(m), sigmaM = kernel.Sigma(m);
            times[2 * i] = t;
            times[2 * i + 1] = m;
            result[4 * i] = alphaM / alphaT;
            result[4 * i + 1] = sigmaM * ExpM1(0.5 * h) * sigmaT;
            result[4 * i + 2] = alphaS / alphaT;
            result[4 * i + 3] = sigmaS * ExpM1(h) * sigmaM;
        }
        return (times, result);
    }

    // DpmSolver2.ExpM1: e^x − 1 to full relative precision (Higham, Accuracy and Stability, §1.14.1).
    private static double ExpM1(double x)
    {
        var u = Math.Exp(x);
        if (u == 1.0) return x;
        var um1 = u - 1.0;
        return um1 == -1.0 ? -1.0 : um1 * x / Math.Log(u);
    }

    // EdmHeun.Step (Karras et al. 2022 Alg. 2): slots (t̂_i, t_{i+1}); per step 1/α_t, the churn noise scale (0: none),
    // α(t̂), −σ̂ α(t̂), h = σ_{i+1} − σ̂, ½h, α_s, −σ_{i+1} α_s.
    private static (double[] Times, double[] Coefficients) EdmCoefficients(Churn churn, ISde sde, TimeGrid grid)
    {
        var kernel = sde.Kernel!;
        var times = new double[2 * grid.Steps];
        var result = new double[8 * grid.Steps];
        for (var i = 0; i < grid.Steps; i++)
        {
            var (alphaT, alphaS, sigmaNext, sigmaHat, tHat, alphaHat, noise) = EdmStep.Of(sde, kernel, grid, i, churn);
            var s = grid[i + 1];
            var h = sigmaNext - sigmaHat;
            times[2 * i] = tHat;
            times[2 * i + 1] = s;
            result[8 * i] = 1 / alphaT;
            result[8 * i + 1] = noise;
            result[8 * i + 2] = alphaHat;
            result[8 * i + 3] = -sigmaHat * alphaHat;
            result[8 * i + 4] = h;
            result[8 * i + 5] = 0.5 * h;
            result[8 * i + 6] = alphaS;
            result[8 * i + 7] = -sigmaNext * alphaS;
        }
        return (times, result);
    }

    // DdpmAncestral.Variance: the posterior variance (weight 0), β (weight 1) or their geometric interpolation.
    private static double DdpmVariance(double weight, IKernel kernel, double s, double t, double posteriorVariance)
    {
        if (weight == 0) return posteriorVariance;
        var upper = kernel.Between(s, t).Variance; // σ_{t|s}² (003 eq 4.4.5; Kingma et al. 2021)
        if (weight == 1 || posteriorVariance == 0) return weight == 1 ? upper : 0;
        return Math.Exp((1 - weight) * Math.Log(posteriorVariance) + weight * Math.Log(upper));
    }

    // The earlier of two steps, −1 standing for none.
    private static int Earlier(int a, int b) => b >= 0 && (a < 0 || b < a) ? b : a;

    // The status, statistics, reached time and message of a solve from the earliest failing step of any particle and
    // the step a lock-step solve stopped at (−1 and null when none), whichever is earlier.
    internal (SolveStatus, SolverStatistics, double, string?) Outcome(TimeGrid grid, int firstFailure, int? stoppedAt)
    {
        var first = Earlier(stoppedAt ?? -1, firstFailure);
        var nfe = (long)Traits.NfePerStep;
        if (first < 0) return (SolveStatus.Success, new SolverStatistics(nfe * grid.Steps, grid.Steps, 0), grid.End, null);
        var steps = first + 1;
        return (SolveStatus.NonFinite, new SolverStatistics(nfe * steps, steps, 0), grid[first],
            $"{Traits.Name}: non-finite state in step {first} (t = {grid[first]} -> {grid[first + 1]}); the affected particles stopped there.");
    }
}
