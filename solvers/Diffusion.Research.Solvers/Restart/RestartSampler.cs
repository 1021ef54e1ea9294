using System.Numerics.Tensors;
using Diffusion.Research.Kernels;
using Diffusion.Research.Numerics;
using Diffusion.Research.Registries;
using Diffusion.Research.Sampling;
using Diffusion.Research.Sde;

namespace Diffusion.Research.Solvers;

/// <summary>
/// Restart sampling (Xu et al. 2023, "Restart Sampling for Improving Generative Processes", Alg. 1): the PF-ODE solved
/// with the EDM Heun step (<see cref="EdmHeun"/>, Karras et al. 2022 Alg. 2 without churn) on the main grid; when a step
/// lands at the first grid time t_min whose EDM level σ̂ = σ_t/α_t is at or below <see cref="SigmaMin"/>, K restarts
/// follow, each a forward jump by the kernel between times from t_min to t_max (σ̂(t_max) = <see cref="SigmaMax"/>),
/// x_{t_max} = α_{t_max|t_min} x_{t_min} + σ_{t_max|t_min} z (Alg. 1 line 4 in its VE form x + sqrt(t_max² − t_min²) z,
/// here from 003 eq 4.4.5 so that VP and VE share it), then <see cref="RestartSteps"/> Heun steps back to t_min on the
/// Karras ρ = 7 levels between σ̂(t_max) and σ̂(t_min) (Karras eq 5; Xu et al. §5 use the EDM discretisation in the
/// restart interval). The k-th jump of a restart at step i draws stream i + k·n (n the main grid's steps), particle =
/// global index, draw = coordinate. With K = 0 this is <see cref="EdmHeun"/> bit for bit. The ODE part is second order
/// (declared order 2); each restart adds 2·<see cref="RestartSteps"/> evaluations, counted in the solve's NFE.
/// </summary>
public sealed class RestartSampler : DiffusionSampler, ISolverConstraint
{
    /// <summary>Restart with K = <paramref name="restarts"/> restarts in [σ̂_min, σ̂_max] and <paramref name="restartSteps"/> Heun steps per restart.</summary>
    public RestartSampler(double sigmaMin, double sigmaMax, int restarts, int restartSteps)
    {
        if (!(sigmaMin > 0) || !double.IsFinite(sigmaMin)) throw new ArgumentOutOfRangeException(nameof(sigmaMin), sigmaMin, "sigma_min must be finite and > 0.");
        if (!(sigmaMax > sigmaMin) || !double.IsFinite(sigmaMax)) throw new ArgumentOutOfRangeException(nameof(sigmaMax), sigmaMax, "sigma_max must be finite and > sigma_min.");
        if (restarts < 0) throw new ArgumentOutOfRangeException(nameof(restarts), restarts, "the number of restarts K must be >= 0.");
        if (restartSteps < 1) throw new ArgumentOutOfRangeException(nameof(restartSteps), restartSteps, "restart_steps must be >= 1.");
        SigmaMin = sigmaMin;
        SigmaMax = sigmaMax;
        Restarts = restarts;
        RestartSteps = restartSteps;
        Traits = new SolverTraits("restart", 2, 0, IsStochastic: restarts > 0, IsAdaptive: false, NfePerStep: 2,
            "Restart sampling (Xu et al. 2023 Alg. 1): EDM Heun with K forward jumps t_min -> t_max, each followed by Heun back to t_min.");
    }

    /// <summary>σ̂ at or below which the restart interval starts (its t_min is the first such grid time).</summary>
    public double SigmaMin { get; }

    /// <summary>σ̂ at t_max, the top of the restart interval.</summary>
    public double SigmaMax { get; }

    /// <summary>Number of restarts K.</summary>
    public int Restarts { get; }

    /// <summary>Heun steps per restart interval.</summary>
    public int RestartSteps { get; }

    /// <inheritdoc />
    public override SolverTraits Traits { get; }

    /// <inheritdoc />
    protected override int Buffers => 4;

    /// <inheritdoc />
    protected override void Validate(DiffusionProblem problem, Batch x, TimeGrid grid) => CheckConstraint(problem.Sde, problem.Kernel, grid);

    /// <summary>When a restart happens on <paramref name="grid"/>, its forward jump to σ̂_max must stay at or below the level
    /// σ/α at T (Xu et al. 2023, Alg. 1 line 4: t_max is a time of the forward process); otherwise throws with ParamName
    /// <c>sigma_max</c>.</summary>
    public void CheckConstraint(ISde sde, IKernel kernel, TimeGrid grid)
    {
        ArgumentNullException.ThrowIfNull(sde);
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(grid);
        if (Restarts > 0 && RestartIndex(kernel, grid) >= 0 && !(SigmaMax <= Level(kernel, sde.T)))
            throw new ArgumentException($"restart: sigma_max = {SigmaMax} lies above sigma/alpha at T ({Level(kernel, sde.T)}); the forward jump cannot go there.", "sigma_max");
    }

    /// <inheritdoc />
    protected override long ExtraEvaluations(SamplingProblem problem, TimeGrid grid, int steps)
    {
        var r = RestartIndex(problem.Diffusion.Kernel, grid);
        return r >= 0 && r < steps ? 2L * Restarts * RestartSteps : 0;
    }

    /// <inheritdoc />
    protected override void Step(DiffusionProblem problem, StepInfo step, Batch x, Workspace workspace)
    {
        var sde = problem.Sde;
        var kernel = problem.Kernel;
        var scoreModel = problem.Score;
        var rows = x.Count;
        double t = step.Time, s = step.NextTime;
        double alphaT = kernel.Alpha(t), alphaS = kernel.Alpha(s);
        double sigma = kernel.Sigma(t) / alphaT, sigmaNext = kernel.Sigma(s) / alphaS;
        var score = workspace.Buffer(0, rows);
        var d = workspace.Buffer(1, rows);
        var probe = workspace.Buffer(2, rows);

        // The main ODE step: exactly EdmHeun.Step without churn.
        TensorPrimitives.Multiply(x.Values, 1 / alphaT, x.Values);
        EdmHeun.HeunInSigma(scoreModel, kernel, t, sigma, s, sigmaNext, x, score, d, probe);
        TensorPrimitives.Multiply(x.Values, alphaS, x.Values);

        if (Restarts == 0 || !(sigma > SigmaMin && sigmaNext <= SigmaMin)) return;

        // K restarts in [t_min, t_max] (Xu et al. 2023 Alg. 1 lines 3-6), t_min = s.
        var tMin = s;
        var tMax = kernel.TimeAtSigmaRatio(SigmaMax, tMin, sde.T);
        var jump = kernel.Between(tMin, tMax); // 003 eq 4.4.5; Kingma et al. 2021
        double a = Math.Pow(SigmaMax, 1 / Rho), b = Math.Pow(sigmaNext, 1 / Rho);
        var z = workspace.Buffer(3, rows);
        for (var k = 0; k < Restarts; k++)
        {
            // Forward jump x_{t_max} = α_{t_max|t_min} x + σ_{t_max|t_min} z (Alg. 1 line 4).
            step.FillGaussian((uint)(step.Index + (long)k * step.Steps), z);
            ForwardJump(jump, x, z);

            // Heun back to t_min on the Karras levels of the interval (Alg. 1 line 5; Karras eq 5).
            TensorPrimitives.Multiply(x.Values, 1 / kernel.Alpha(tMax), x.Values);
            double tj = tMax, sj = SigmaMax;
            for (var j = 1; j <= RestartSteps; j++)
            {
                double tn, sn;
                if (j == RestartSteps) (tn, sn) = (tMin, sigmaNext);
                else
                {
                    sn = Math.Pow(a + (b - a) * j / RestartSteps, Rho);
                    tn = kernel.TimeAtSigmaRatio(sn, tMin, tMax);
                }
                EdmHeun.HeunInSigma(scoreModel, kernel, tj, sj, tn, sn, x, score, d, probe);
                (tj, sj) = (tn, sn);
            }
            TensorPrimitives.Multiply(x.Values, alphaS, x.Values);
        }
    }

    private const double Rho = 7.0;

    /// <summary>x ← α_{t_max|t_min} x + σ_{t_max|t_min} z (Xu et al. 2023 Alg. 1 line 4; 003 eq 4.4.5), in place.</summary>
    internal static void ForwardJump(TransitionKernel jump, Batch x, Batch z)
    {
        TensorPrimitives.Multiply(x.Values, jump.Alpha, x.Values);
        TensorPrimitives.MultiplyAdd(z.Values, jump.Sigma, x.Values, x.Values);
    }

    private static double Level(IKernel kernel, double t) => kernel.Sigma(t) / kernel.Alpha(t);

    // Index of the main step that lands at t_min (σ̂(t_i) > σ̂_min ≥ σ̂(t_{i+1})), or −1.
    private int RestartIndex(IKernel kernel, TimeGrid grid)
    {
        for (var i = 0; i < grid.Steps; i++)
            if (Level(kernel, grid[i]) > SigmaMin && Level(kernel, grid[i + 1]) <= SigmaMin) return i;
        return -1;
    }

    /// <summary>Registers restart (the registry reads name and description from the traits; <see cref="SolverRegistry.CreateDefault"/>).</summary>
    [SolverRegistration(190)]
    internal static void Register(SolverRegistry r) =>
        r.Register(p => new RestartSampler(p["sigma_min"], p["sigma_max"], p.Integer("restarts"), p.Integer("restart_steps")),
            ParameterSpec.Real("sigma_min", 0.06, "sigma/alpha at or below which the restart interval starts (first such grid time)"),
            ParameterSpec.Real("sigma_max", 0.3, "sigma/alpha at the top of the restart interval"),
            ParameterSpec.Integer("restarts", 2, "number of restarts K (0: the EDM Heun sampler)"),
            ParameterSpec.Integer("restart_steps", 5, "Heun steps per restart interval (2 NFE each)"));
}
