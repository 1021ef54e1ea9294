using Diffusion.Research.Data;
using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;
using Diffusion.Research.Scores;
using Diffusion.Research.Sde;

namespace Diffusion.Research.Likelihood;

/// <summary>
/// log p_{t_0}(x) through the probability-flow ODE augmented with the divergence (003 §4.2 item 7, Eq 4.2.7;
/// Song et al. 2021, §4.3; 002 "ODE Enables Exact Likelihood Computation"; Grathwohl et al. 2019):
/// integrate d/dt [x, δ] = [v, ∇·v], v = f x − ½ g² s, from the grid start
/// t_0 (t_eps) to its end (normally T) with any ODE solver, then log p_{t_0}(x) = log p_prior(x(T)) + δ(T).
/// With the exact score and the exact divergence this is exact up to the solver error and the prior mismatch
/// p_T ≠ prior. The divergence is either exact (<see cref="Exact"/>) or a Hutchinson estimate (<see cref="Hutchinson"/>)
/// whose probes travel in the ODE state, so a particle's estimate does not depend on batching.
/// </summary>
public sealed class ProbabilityFlowLikelihood
{
    private ProbabilityFlowLikelihood(ILinearSde sde, IScoreModel score, IScoreDivergence? exact, HutchinsonDivergence? hutchinson)
    {
        Sde = sde;
        Score = score;
        ExactDivergence = exact;
        Estimator = hutchinson;
    }

    /// <summary>With an exact divergence (for example the score model itself, or a <see cref="ExactNoisedScore"/>).</summary>
    public static ProbabilityFlowLikelihood Exact(ILinearSde sde, IScoreModel score, IScoreDivergence divergence)
    {
        ArgumentNullException.ThrowIfNull(sde);
        ArgumentNullException.ThrowIfNull(score);
        ArgumentNullException.ThrowIfNull(divergence);
        return new ProbabilityFlowLikelihood(sde, score, divergence, null);
    }

    /// <summary>With the Hutchinson estimate of <paramref name="estimator"/> (probes drawn for particle FirstParticle + i of the solve).</summary>
    public static ProbabilityFlowLikelihood Hutchinson(ILinearSde sde, HutchinsonDivergence estimator)
    {
        ArgumentNullException.ThrowIfNull(sde);
        ArgumentNullException.ThrowIfNull(estimator);
        return new ProbabilityFlowLikelihood(sde, estimator.Score, null, estimator);
    }

    /// <summary>The forward SDE (linear, so that ∇·f = D f(t)).</summary>
    public ILinearSde Sde { get; }

    /// <summary>The score model.</summary>
    public IScoreModel Score { get; }

    /// <summary>The exact divergence, or null when estimated.</summary>
    public IScoreDivergence? ExactDivergence { get; }

    /// <summary>The Hutchinson estimator, or null when exact.</summary>
    public HutchinsonDivergence? Estimator { get; }

    /// <summary>
    /// log p_{t_0}(x_i) for every row of <paramref name="x"/> (not modified), integrating over <paramref name="grid"/>
    /// (increasing, inside [0, T]; t_0 = grid start, usually a small t_eps &gt; 0) with <paramref name="solver"/>.
    /// A failed solve returns NaN log-densities and the solver's status. The density at the grid end is the SDE's prior
    /// unless <paramref name="terminal"/> is given (e.g. the exact p_T in tests, or p_{t_1} for a grid ending before T).
    /// </summary>
    public LikelihoodResult Evaluate(Batch x, ISolver solver, TimeGrid grid, SolveOptions options, IDistribution? terminal = null)
    {
        ArgumentNullException.ThrowIfNull(solver);
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (grid.IsBackward)
            throw new ArgumentException("The likelihood integrates forwards, from t_eps up to T: the grid must increase.", nameof(grid));
        if (grid.Start < 0 || grid.End > Sde.T * (1 + 1e-12))
            throw new ArgumentOutOfRangeException(nameof(grid), $"The grid [{grid.Start}, {grid.End}] must lie in [0, {Sde.T}].");
        if (x.Count == 0) throw new ArgumentException("No particles.", nameof(x));
        if (terminal is not null && terminal.Dimension != x.Dimension)
            throw new ArgumentException($"The terminal density has dimension {terminal.Dimension}, the data {x.Dimension}.", nameof(terminal));
        int n = x.Count, d = x.Dimension;
        var flow = new AugmentedProbabilityFlow(Sde, Score, d, ExactDivergence, Estimator);
        var state = new Batch(n, flow.Width);
        for (var i = 0; i < n; i++) x.Row(i).CopyTo(state.Row(i));
        if (Estimator is not null)
        {
            var probes = new Batch(n, flow.Width - d - 1);
            Estimator.FillProbes(options.FirstParticle, probes);
            for (var i = 0; i < n; i++) probes.Row(i).CopyTo(state.Row(i)[(d + 1)..]);
        }
        var solution = solver.Solve(SamplingProblem.Of(flow), state, grid, options);
        var latent = new Batch(n, d);
        for (var i = 0; i < n; i++) state.Row(i)[..d].CopyTo(latent.Row(i));
        var logp = new double[n];
        var bpd = new double[n];
        if (solution.IsSuccess)
        {
            (terminal ?? Sde.Prior(d)).LogDensity(latent, logp);
            // 003 Eq 4.2.7: Song et al. 2021, §4.3 and App. D.2; Chen et al. 2018, Thm 1.
            for (var i = 0; i < n; i++) logp[i] += state[i, d]; // 003 Eq 4.2.7: log p_0 = log p_prior(x(T)) + δ(T)
        }
        else
        {
            Array.Fill(logp, double.NaN);
        }
        for (var i = 0; i < n; i++) bpd[i] = -logp[i] / (d * Math.Log(2));
        return new LikelihoodResult(logp, bpd, latent, solution);
    }
}
