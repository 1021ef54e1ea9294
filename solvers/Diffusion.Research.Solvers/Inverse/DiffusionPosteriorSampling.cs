using Diffusion.Research.Conditional;
using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;

namespace Diffusion.Research.Solvers;

/// <summary>
/// Diffusion posterior sampling (DPS; Chung et al. 2023, Alg. 1, Gaussian noise): from x_i at time t the reverse step of the
/// inner solver gives x'_{i+1}, then x_{i+1} = x'_{i+1} − ζ_i ∇_{x_i} ‖y − A x̂_0(x_i)‖² with x̂_0(x) = (x + σ_t² s(x, t)) / α_t
/// (Tweedie for the kernel N(α_t x_0, σ_t² I); Alg. 1 line 4 in DDPM form). The gradient is −2 Jᵀ Aᵀ (y − A x̂_0) with
/// J = ∂x̂_0/∂x = (I + σ_t² ∇s) / α_t, symmetric for a gradient field, so Jᵀ v = (v + σ_t² H v) / α_t and the Hessian-vector
/// product H v is a central difference of the score along v with displacement δ = 10⁻³ σ_t (error O(δ²) relative to the
/// curvature scale σ_t of the noised law): 3 score evaluations per interval besides the inner solver's.
/// Step size: see <see cref="DpsStepRule"/> (constant as in Alg. 1, normalised by the residual as in Chung et al.'s
/// experiments, or the Gaussian-likelihood weight that involves the measurement noise s).
/// </summary>
public sealed class DiffusionPosteriorSampling : InverseProblemSolver
{
    /// <summary>DPS with step <paramref name="zeta"/> &gt; 0 around <paramref name="inner"/>.</summary>
    public DiffusionPosteriorSampling(LinearMeasurement measurement, ISolver inner, double zeta, DpsStepRule rule)
        : base(measurement, inner, "dps", 3, "Diffusion posterior sampling (Chung et al. 2023 Alg. 1) with step size zeta.")
    {
        if (!(double.IsFinite(zeta) && zeta > 0)) throw new ArgumentOutOfRangeException(nameof(zeta), zeta, "ζ must be finite and positive.");
        Zeta = zeta;
        if (!Enum.IsDefined(rule)) throw new ArgumentOutOfRangeException(nameof(rule), rule, "Unknown DPS step rule.");
        Rule = rule;
    }

    /// <summary>ζ.</summary>
    public double Zeta { get; }

    /// <summary>How ζ_i is set.</summary>
    public DpsStepRule Rule { get; }

    /// <inheritdoc />
    protected override Solution Advance(SamplingProblem problem, Batch x, TimeGrid grid, int interval, SolveOptions options)
    {
        double t = grid[interval], s = grid[interval + 1];
        var gradient = MeasurementGradient(problem, x, t, t - s);
        var solution = InnerStep(problem, x, t, s, options, (ulong)interval);
        if (!solution.IsSuccess) return solution;
        var v = x.Values;
        var g = gradient.Values;
        for (var i = 0; i < v.Length; i++) v[i] -= g[i];
        return solution with { Statistics = solution.Statistics.Add(new SolverStatistics(3, 0, 0)) };
    }

    // ζ_i ∇_x ‖y − A x̂_0(x)‖² per row at time t.
    internal Batch MeasurementGradient(SamplingProblem problem, Batch x, double t, double dt)
    {
        var kernel = problem.Diffusion.Kernel;
        var score = problem.Diffusion.Score;
        var alpha = kernel.Alpha(t);
        var sigma = kernel.Sigma(t);
        var n = x.Count;
        var d = x.Dimension;
        var m = Measurement.Rows;
        var result = new Batch(n, d);
        score.Score(t, x, result);
        // result = x̂_0 = (x + σ² s) / α, then v = Aᵀ (y − A x̂_0) per row (kept in result), residual norms kept.
        var norms = new double[n];
        var direction = new Batch(n, d);
        Span<double> residual = m <= 64 ? stackalloc double[m] : new double[m];
        for (var i = 0; i < n; i++)
        {
            var row = result.Row(i);
            var xi = x.Row(i);
            for (var j = 0; j < d; j++) row[j] = (xi[j] + sigma * sigma * row[j]) / alpha;
            var norm2 = 0.0;
            for (var r = 0; r < m; r++)
            {
                var ax = 0.0;
                for (var j = 0; j < d; j++) ax += Measurement[r, j] * row[j];
                residual[r] = Measurement.Observation[r] - ax;
                norm2 += residual[r] * residual[r];
            }
            norms[i] = Math.Sqrt(norm2);
            var dir = direction.Row(i);
            for (var j = 0; j < d; j++)
            {
                var acc = 0.0;
                for (var r = 0; r < m; r++) acc += Measurement[r, j] * residual[r];
                dir[j] = acc;
            }
        }
        // H v by a central difference along v̂ = v / ‖v‖ with displacement δ = 1e-3 σ_t: H v ≈ ‖v‖ (s(x + δ v̂) − s(x − δ v̂)) / (2 δ).
        var delta = 1e-3 * sigma;
        var plus = new Batch(n, d);
        var minus = new Batch(n, d);
        var vnorm = new double[n];
        for (var i = 0; i < n; i++)
        {
            var dir = direction.Row(i);
            var len = 0.0;
            for (var j = 0; j < d; j++) len += dir[j] * dir[j];
            vnorm[i] = Math.Sqrt(len);
            var inv = vnorm[i] > 0 ? 1.0 / vnorm[i] : 0.0;
            var xi = x.Row(i);
            for (var j = 0; j < d; j++)
            {
                plus.Set(i, j, xi[j] + delta * inv * dir[j]);
                minus.Set(i, j, xi[j] - delta * inv * dir[j]);
            }
        }
        var g = problem.Diffusion.Sde.Diffusion(t);
        var lambda = double.IsNaN(problem.Lambda) ? 1.0 : problem.Lambda;
        var likelihoodStep = Zeta * (1 + lambda * lambda) * g * g * Math.Abs(dt) / (4 * Measurement.Noise * Measurement.Noise);
        var scorePlus = new Batch(n, d);
        var scoreMinus = new Batch(n, d);
        score.Score(t, plus, scorePlus);
        score.Score(t, minus, scoreMinus);
        for (var i = 0; i < n; i++)
        {
            var dir = direction.Row(i);
            var row = result.Row(i);
            var step = Rule switch
            {
                DpsStepRule.Normalised => norms[i] > 0 ? Zeta / norms[i] : 0.0,
                DpsStepRule.Likelihood => likelihoodStep,
                _ => Zeta,
            };
            for (var j = 0; j < d; j++)
            {
                var hv = vnorm[i] * (scorePlus[i, j] - scoreMinus[i, j]) / (2 * delta);
                // ∇‖y − A x̂_0‖² = −2 J v, J v = (v + σ² H v) / α.
                row[j] = step * (-2.0 * (dir[j] + sigma * sigma * hv) / alpha);
            }
        }
        return result;
    }
}
