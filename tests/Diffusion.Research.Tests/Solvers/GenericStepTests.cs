using Diffusion.Research.Data;
using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;
using Diffusion.Research.Scores;
using Diffusion.Research.Sde;
using Diffusion.Research.Solvers;

namespace Diffusion.Research.Tests.Solvers;

/// <summary>
/// Gaussian increments chosen by the test: draw d of particle p in stream k is z = 0.9 − 0.35 d + 0.27 k − 0.6 p
/// (generic, non-zero, different per stream, coordinate and particle), so a stochastic step is replayed exactly.
/// </summary>
internal sealed class ChosenIncrements : IGaussianIncrements
{
    public static double Z(uint stream, long particle, int draw) => 0.9 - 0.35 * draw + 0.27 * stream - 0.6 * particle;

    public void FillGaussian(uint stream, long firstParticle, Batch destination)
    {
        for (var i = 0; i < destination.Count; i++)
        for (var d = 0; d < destination.Dimension; d++)
            destination.Values[i * destination.Dimension + d] = Z(stream, firstParticle + i, d);
    }
}

/// <summary>
/// The exact score of Gaussian data N(μ, s0² I) under an affine kernel, s(x, t) = −(x − a(t) μ)/(a(t)² s0² + b(t)²),
/// with a and b the test's own closed forms of α_t and σ_t (not the library's kernel), so that a wrong kernel
/// coefficient inside a solver shows up as a mismatch.
/// </summary>
internal sealed class GaussianDataScore(double[] mu, double s0, Func<double, double> alpha, Func<double, double> sigma) : IScoreModel
{
    public double[] Of(double t, double[] x)
    {
        var a = alpha(t);
        var v = a * a * s0 * s0 + sigma(t) * sigma(t);
        return x.Select((xi, d) => -(xi - a * mu[d]) / v).ToArray();
    }

    public void Score(double t, Batch x, Batch destination)
    {
        for (var i = 0; i < x.Count; i++)
        {
            var row = Of(t, x.Row(i).ToArray());
            row.CopyTo(destination.Row(i));
        }
    }
}

/// <summary>
/// One step of every sampler at generic parameter values (η = 0.37, variance weight 0.3, churn ≠ 0 with generic
/// S_tmin/S_tmax/S_noise, l = 0.6, snr 0.23 with 2 corrector updates, ALD with 3 updates per level) against the
/// value worked out in the test from the paper's formula, with the increments of <see cref="ChosenIncrements"/>.
/// The closed forms of α_t, σ_t are written here: VP linear (Song et al. 2021 eq 33 / 001 eq 70),
/// B(t) = β_min t + (β_max − β_min) t²/2, α = e^{−B/2}, σ² = 1 − e^{−B}; VE σ_t² = σ_min² ((σ_max/σ_min)^{2t} − 1) (σ(t)² − σ(0)², 001 eq 67), α = 1.
/// At η ∈ {0, 1}, weight ∈ {0, 1} or churn 0 a dropped square, a swapped endpoint or a lost factor can vanish;
/// here it cannot.
/// </summary>
public class GenericStepTests
{
    private const double BetaMin = 0.1, BetaMax = 20.0;
    private const double SigmaMin = 0.01, SigmaMax = 10.0;
    private static readonly double[] Mu = [0.7, -1.2];
    private const double S0 = 0.45;
    private static readonly double[] Start = [0.8, -1.3];
    private const double T = 0.6, S = 0.35; // one step T -> S

    private static double VpB(double t) => BetaMin * t + 0.5 * (BetaMax - BetaMin) * t * t;
    private static double VpBeta(double t) => BetaMin + (BetaMax - BetaMin) * t;
    private static double VpAlpha(double t) => Math.Exp(-0.5 * VpB(t));
    private static double VpSigma(double t) => Math.Sqrt(1 - Math.Exp(-VpB(t)));
    // 001 eq 67: Song et al. 2021, eq (29).
    private static double VeSigma(double t) => SigmaMin * Math.Sqrt(Math.Pow(SigmaMax / SigmaMin, 2 * t) - 1); // σ(t)² − σ(0)² (001 eq 67)

    private static GaussianDataScore VpScore => new(Mu, S0, VpAlpha, VpSigma);
    private static GaussianDataScore VeScore => new(Mu, S0, _ => 1.0, VeSigma);

    private static double[] Solve(ISolver solver, SamplingProblem problem, TimeGrid grid, double[] start, int particles = 1)
    {
        var x = new Batch((double[])start.Clone(), particles, start.Length / particles);
        var options = new SolveOptions().WithThreads(1).WithIncrements(new ChosenIncrements());
        var solution = solver.Solve(problem, x, grid, options);
        Assert.True(solution.IsSuccess, solution.Message);
        return x.Values.ToArray();
    }

    private static void Close(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        // Rounding only: the two computations differ in the order of a handful of flops on O(1) numbers.
        for (var i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 1e-12);
    }

    [Fact]
    public void DdimAtEta037IsSongMengErmonEquation12()
    {
        const double eta = 0.37;
        double at = VpAlpha(T), st = VpSigma(T), as_ = VpAlpha(S), ss = VpSigma(S);
        var score = VpScore.Of(T, Start);
        // σ_{t|s}² = σ_t² − (α_t/α_s)² σ_s² (003 eq 4.4.5; Kingma et al. 2021); DDIM's σ_t(η) = η sqrt(σ_{t|s}²
        // σ_s²/σ_t²) (eq 16).
        var between = st * st - at * at / (as_ * as_) * ss * ss;
        var c = eta * Math.Sqrt(between * ss * ss / (st * st));
        var expected = new double[2];
        for (var d = 0; d < 2; d++)
        {
            var eps = -st * score[d];                       // ε̂ = −σ_t s
            var x0 = (Start[d] - st * eps) / at;            // x̂_0 = (x − σ_t ε̂)/α_t (eq 12, "predicted x0")
            expected[d] = as_ * x0 + Math.Sqrt(ss * ss - c * c) * eps + c * ChosenIncrements.Z(0, 0, d);
        }
        var sde = VpSde.Linear(BetaMin, BetaMax);
        Close(expected, Solve(new Ddim(eta), SamplingProblem.Reverse(sde, VpScore, 1.0), TimeGrid.Uniform(T, S, 1), Start));
    }

    [Fact]
    public void DdpmWithVarianceWeight03IsNicholDhariwalInterpolation()
    {
        const double w = 0.3;
        double at = VpAlpha(T), st = VpSigma(T), as_ = VpAlpha(S), ss = VpSigma(S);
        var ats = at / as_;
        var between = st * st - ats * ats * ss * ss;                 // σ_{t|s}² ("β")
        var posterior = between * ss * ss / (st * st);               // σ̃² ("β̃")
        var variance = Math.Pow(posterior, 1 - w) * Math.Pow(between, w); // exp((1−w) log β̃ + w log β) (Nichol & Dhariwal eq 15)
        var score = VpScore.Of(T, Start);
        var expected = new double[2];
        for (var d = 0; d < 2; d++)
        {
            var x0 = (Start[d] + st * st * score[d]) / at; // Tweedie
            // posterior mean (Ho et al. eq 7, general kernel 003 Lemma 4.4.2)
            var mean = ats * ss * ss / (st * st) * Start[d] + as_ * between / (st * st) * x0;
            expected[d] = mean + Math.Sqrt(variance) * ChosenIncrements.Z(0, 0, d);
        }
        var sde = VpSde.Linear(BetaMin, BetaMax);
        Close(expected, Solve(new DdpmAncestral(w), SamplingProblem.Reverse(sde, VpScore, 1.0), TimeGrid.Uniform(T, S, 1), Start));
    }

    // EDM steps (Karras et al. 2022 Alg. 2) on VE over the grid, γ_i = min(S_churn/n, √2 − 1) where σ_i ∈ [S_tmin, S_tmax].
    private static double[] KarrasAlgorithm2(double[] times, double sChurn, double sTMin, double sTMax, double sNoise)
    {
        var n = times.Length - 1;
        var x = (double[])Start.Clone();
        for (var i = 0; i < n; i++)
        {
            double sigma = VeSigma(times[i]), next = VeSigma(times[i + 1]);
            var gamma = sigma >= sTMin && sigma <= sTMax ? Math.Min(sChurn / n, Math.Sqrt(2) - 1) : 0.0; // line 4
            var hat = sigma * (1 + gamma);
            var tHat = Math.Log(1 + hat * hat / (SigmaMin * SigmaMin)) / (2 * Math.Log(SigmaMax / SigmaMin)); // σ_{t̂} = σ̂
            var xHat = new double[2];
            for (var d = 0; d < 2; d++)
                xHat[d] = x[d] + Math.Sqrt(hat * hat - sigma * sigma) * sNoise * ChosenIncrements.Z((uint)i, 0, d); // line 6
            // D(x; σ) = x + σ² s: (x − D)/σ = −σ s (line 7)
            var d1 = VeScore.Of(tHat, xHat).Select(v => -hat * v).ToArray();
            var euler = xHat.Select((v, d) => v + (next - hat) * d1[d]).ToArray(); // line 8
            var d2 = VeScore.Of(times[i + 1], euler).Select(v => -next * v).ToArray(); // line 10
            x = xHat.Select((v, d) => v + (next - hat) * 0.5 * (d1[d] + d2[d])).ToArray(); // line 11
        }
        return x;
    }

    [Fact]
    public void EdmWithChurnIsKarrasAlgorithm2()
    {
        // Two steps 0.6 -> 0.45 -> 0.3: σ_t = 0.63, 0.22 lie in [S_tmin, S_tmax] = [0.05, 3.5]; γ = min(0.58/2, √2 − 1) = 0.29.
        double[] times = [0.6, 0.45, 0.3];
        var sde = new VeSde(SigmaMin, SigmaMax);
        var actual = Solve(new EdmHeun(new Churn(0.58, 0.05, 3.5, 1.007)), SamplingProblem.Reverse(sde, VeScore, 1.0), new TimeGrid(times), Start);
        Close(KarrasAlgorithm2(times, 0.58, 0.05, 3.5, 1.007), actual);
    }

    [Fact]
    public void EdmChurnIsCappedAtSqrt2MinusOneAndGatedBySigmaRange()
    {
        var sde = new VeSde(SigmaMin, SigmaMax);
        var problem = SamplingProblem.Reverse(sde, VeScore, 1.0);
        double[] times = [T, S];
        var grid = new TimeGrid(times);
        // S_churn / n = 0.9 > √2 − 1: γ = √2 − 1 (Alg. 2 line 4).
        Close(KarrasAlgorithm2(times, 0.9, 0.05, 3.5, 0.93), Solve(new EdmHeun(new Churn(0.9, 0.05, 3.5, 0.93)), problem, grid, Start));
        // σ_T ≈ 0.63 above S_tmax = 0.5 (and below S_tmin = 0.7): no churn, the deterministic Heun step.
        Close(KarrasAlgorithm2(times, 0, 0, 0, 1), Solve(new EdmHeun(new Churn(0.29, 0.05, 0.5, 1.007)), problem, grid, Start));
        Close(KarrasAlgorithm2(times, 0, 0, 0, 1), Solve(new EdmHeun(new Churn(0.29, 0.7, 3.5, 1.007)), problem, grid, Start));
        // S_noise scales the added noise (1.007 vs 0.93 differ)
        Assert.NotEqual(KarrasAlgorithm2(times, 0.29, 0.05, 3.5, 1.007)[0], KarrasAlgorithm2(times, 0.29, 0.05, 3.5, 0.93)[0]);
    }

    [Fact]
    public void EulerMaruyamaOnTheReverseFamilyAtL06IsEquation85()
    {
        const double l = 0.6;
        var dt = S - T;
        var beta = VpBeta(T);
        var score = VpScore.Of(T, Start);
        var expected = new double[2];
        for (var d = 0; d < 2; d++)
        {
            // dx = [f − (1 + l²)/2 g² s] dt + l g dW̄, f = −β x/2, g² = β (001 eq 85; Song et al. 2021 eq 32)
            var drift = -0.5 * beta * Start[d] - 0.5 * (1 + l * l) * beta * score[d];
            expected[d] = Start[d] + drift * dt + l * Math.Sqrt(beta) * Math.Sqrt(-dt) * ChosenIncrements.Z(0, 0, d);
        }
        var sde = VpSde.Linear(BetaMin, BetaMax);
        Close(expected, Solve(new EulerMaruyama(), SamplingProblem.Reverse(sde, VpScore, l), TimeGrid.Uniform(T, S, 1), Start));
    }

    [Fact]
    public void AnnealedLangevinAtGenericStepIsSongErmonAlgorithm1()
    {
        const double eps = 0.013;
        const int m = 3;
        double[] times = [0.8, 0.55, 0.3]; // levels σ(0.55) > σ(0.3) = σ_L
        var sde = new VeSde(SigmaMin, SigmaMax);
        var x = (double[])Start.Clone();
        var sigmaL = VeSigma(times[^1]);
        for (var i = 0; i < 2; i++)
        {
            var level = times[i + 1];
            var alpha = eps * VeSigma(level) * VeSigma(level) / (sigmaL * sigmaL); // α_i = ε σ_i²/σ_L²
            for (var k = 0; k < m; k++)
            {
                var score = VeScore.Of(level, x);
                var stream = (uint)(i * m + k);
                for (var d = 0; d < 2; d++) x[d] += 0.5 * alpha * score[d] + Math.Sqrt(alpha) * ChosenIncrements.Z(stream, 0, d);
            }
        }
        Close(x, Solve(new AnnealedLangevin(eps, m), SamplingProblem.Reverse(sde, VeScore, 1.0), new TimeGrid(times), Start));
    }

    [Fact]
    public void PredictorCorrectorAtGenericSnrIsSongEtAlAlgorithm5()
    {
        const double snr = 0.23;
        const int m = 2;
        // Two particles: the corrector's step uses batch-averaged norms (Song et al.'s code), so both must agree.
        double[] start = [0.8, -1.3, -0.4, 0.25];
        double at = VpAlpha(T), as_ = VpAlpha(S), st = VpSigma(T), ss = VpSigma(S);
        var ats = at / as_;
        var between = st * st - ats * ats * ss * ss; // G_i² = σ_{t|s}²
        var x = (double[])start.Clone();
        // Predictor (reverse diffusion, Song et al. 2021 eq 46): x ← x − f_i + G_i² s + G_i z, f_i = (α_{t|s} − 1) x.
        for (var p = 0; p < 2; p++)
        {
            var score = VpScore.Of(T, x[(2 * p)..(2 * p + 2)]);
            for (var d = 0; d < 2; d++)
                x[2 * p + d] = x[2 * p + d] - (ats - 1) * x[2 * p + d] + between * score[d] + Math.Sqrt(between) * ChosenIncrements.Z(0, p, d);
        }
        // Corrector (Alg. 5): ε = 2 α_i (r ||z|| / ||s||)², α_i = α_{t|s}² (1 − β_i), then x ← x + ε s + sqrt(2ε) z.
        for (var k = 1; k <= m; k++)
        {
            var stream = (uint)((1 + m) * 0 + k);
            var scores = new double[2][];
            double scoreNorm = 0, noiseNorm = 0;
            for (var p = 0; p < 2; p++)
            {
                scores[p] = VpScore.Of(S, x[(2 * p)..(2 * p + 2)]);
                scoreNorm += Math.Sqrt(scores[p][0] * scores[p][0] + scores[p][1] * scores[p][1]) / 2;
                double z0 = ChosenIncrements.Z(stream, p, 0), z1 = ChosenIncrements.Z(stream, p, 1);
                noiseNorm += Math.Sqrt(z0 * z0 + z1 * z1) / 2;
            }
            var ratio = snr * noiseNorm / scoreNorm;
            var epsilon = 2 * ats * ats * ratio * ratio;
            for (var p = 0; p < 2; p++)
            for (var d = 0; d < 2; d++)
                x[2 * p + d] += epsilon * scores[p][d] + Math.Sqrt(2 * epsilon) * ChosenIncrements.Z(stream, p, d);
        }
        var sde = VpSde.Linear(BetaMin, BetaMax);
        var actual = Solve(new PredictorCorrector(PredictorKind.ReverseDiffusion, m, snr), SamplingProblem.Reverse(sde, VpScore, 1.0),
            TimeGrid.Uniform(T, S, 1), start, particles: 2);
        Close(x, actual);
    }

    [Fact]
    public void PredictorCorrectorWithEulerMaruyamaPredictorIsTheReverseSde()
    {
        const double snr = 0.31;
        var dt = S - T;
        var beta = VpBeta(T);
        double at = VpAlpha(T), as_ = VpAlpha(S);
        var x = (double[])Start.Clone();
        var score = VpScore.Of(T, x);
        // x_s = x + [f − g² s] dt + g sqrt|dt| z (Song et al. 2021 eq 6 discretised, 004 §10.1)
        for (var d = 0; d < 2; d++) x[d] += (-0.5 * beta * x[d] - beta * score[d]) * dt + Math.Sqrt(beta * -dt) * ChosenIncrements.Z(0, 0, d);
        var s2 = VpScore.Of(S, x);
        double z0 = ChosenIncrements.Z(1, 0, 0), z1 = ChosenIncrements.Z(1, 0, 1);
        var ratio = snr * Math.Sqrt(z0 * z0 + z1 * z1) / Math.Sqrt(s2[0] * s2[0] + s2[1] * s2[1]);
        var epsilon = 2 * (at / as_) * (at / as_) * ratio * ratio;
        for (var d = 0; d < 2; d++) x[d] += epsilon * s2[d] + Math.Sqrt(2 * epsilon) * ChosenIncrements.Z(1, 0, d);
        var sde = VpSde.Linear(BetaMin, BetaMax);
        Close(x, Solve(new PredictorCorrector(PredictorKind.EulerMaruyama, 1, snr), SamplingProblem.Reverse(sde, VpScore, 1.0), TimeGrid.Uniform(T, S, 1), Start));
    }

    /// <summary>
    /// s_noise = 0 turns the ancestral step into the deterministic one (η is ignored): the sampler takes the ODE step to
    /// σ_{i+1}, not k-diffusion's step to σ_down with no noise added, which would leave the state at the level σ_down while
    /// the next step assumes σ_{i+1} (docs/errata.md).
    /// </summary>
    [Fact]
    public void AncestralStepWithoutNoiseScaleIsTheDeterministicStep()
    {
        var sde = VpSde.Linear(BetaMin, BetaMax);
        var problem = SamplingProblem.Reverse(sde, new ExactNoisedScore(ToyData.EightGaussians(), sde.Kernel!), 1.0);
        var grid = TimeGrid.Uniform(T, S, 3);
        var start = new[] { 0.3, -0.8, 1.1, 0.4 };
        Assert.Equal(Solve(new EulerAncestral(0, 1), problem, grid, start, 2), Solve(new EulerAncestral(1, 0), problem, grid, start, 2));
        Assert.NotEqual(Solve(new EulerAncestral(0, 1), problem, grid, start, 2), Solve(new EulerAncestral(1, 1), problem, grid, start, 2));
    }

    /// <summary>
    /// Given increments are used on the fused Euler–Maruyama path too (an isotropic mixture's exact score has the fused
    /// form): the result equals the generic path's, reached through a score that hides the fused form.
    /// </summary>
    [Fact]
    public void EulerMaruyamaUsesGivenIncrementsOnTheFusedPath()
    {
        const double l = 0.6;
        var sde = VpSde.Linear(BetaMin, BetaMax);
        var exact = new ExactNoisedScore(ToyData.EightGaussians(), sde.Kernel!);
        var grid = TimeGrid.Uniform(T, S, 3);
        var start = new[] { 0.3, -0.8, 1.1, 0.4 };
        Close(Solve(new EulerMaruyama(), SamplingProblem.Reverse(sde, new Opaque(exact), l), grid, start, 2),
              Solve(new EulerMaruyama(), SamplingProblem.Reverse(sde, exact, l), grid, start, 2));
    }

    private sealed class Opaque(IScoreModel inner) : IScoreModel
    {
        public void Score(double t, Batch x, Batch destination) => inner.Score(t, x, destination);
    }

    /// <summary>
    /// Stochastic Heun (Rößler-type Heun for additive noise: x'' = x + dt/2 [a + a'] + (b(t) + b(t + dt))/2 sqrt|dt| z)
    /// with b vanishing at the start of the step only: the noise is drawn, with weight (0 + b(t + dt))/2.
    /// </summary>
    [Fact]
    public void StochasticHeunDrawsNoiseWhenTheDiffusionVanishesAtOneEndOnly()
    {
        var start = new[] { 0.3, -0.2 };
        var x = Solve(new StochasticHeun(), SamplingProblem.Of(new VanishingAtZero()), TimeGrid.Uniform(0, 0.5, 1), start);
        for (var d = 0; d < 2; d++) Assert.Equal(start[d] + 0.5 * (0 + 0.5) * Math.Sqrt(0.5) * ChosenIncrements.Z(0, 0, d), x[d], 1e-14);
    }

    private sealed class VanishingAtZero : IDynamics
    {
        public void Drift(double t, Batch x, Batch destination) => destination.Values.Clear();
        public double Diffusion(double t) => t;
    }
}
