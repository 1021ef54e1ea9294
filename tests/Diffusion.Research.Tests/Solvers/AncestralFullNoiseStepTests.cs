using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;
using Diffusion.Research.Sde;
using Diffusion.Research.Solvers;

namespace Diffusion.Research.Tests.Solvers;

/// <summary>
/// The ancestral step at large η, where k-diffusion's <c>get_ancestral_step</c> gives σ_up = σ̂' and σ_down = 0: the
/// deterministic part is then the Euler step to σ = 0 (Karras et al. 2022 eq 3), x̂ − σ̂ ε̂ = D(x̂; σ̂), the Tweedie
/// denoiser, so one step from t to s is x_s = α_s x̂_0 + σ_s s_noise z with x̂_0 = (x + σ_t² s(x, t))/α_t
/// (Tweedie's formula, 003 §3; Efron 2011; Karras et al. 2022, eq (3)). Written from that formula with the test's own
/// closed-form VP α, σ and
/// Gaussian score, for all three ancestral samplers (each routes σ_down = 0 through the shared base step).
/// </summary>
public class AncestralFullNoiseStepTests
{
    private const double BetaMin = 0.1, BetaMax = 20.0, T = 0.6, S = 0.35, Eta = 50, SNoise = 0.83, S0 = 0.45;
    private static readonly double[] Mu = [0.7, -1.2];
    private static readonly double[] Start = [0.8, -1.3];

    private static double B(double t) => BetaMin * t + 0.5 * (BetaMax - BetaMin) * t * t;
    private static double Alpha(double t) => Math.Exp(-0.5 * B(t));
    private static double Sigma(double t) => Math.Sqrt(1 - Math.Exp(-B(t)));

    public static TheoryData<string> Samplers => new() { "euler_ancestral", "dpm_2_ancestral", "dpmpp_2s_ancestral" };

    private static ISolver Create(string name) => name switch
    {
        "euler_ancestral" => new EulerAncestral(Eta, SNoise),
        "dpm_2_ancestral" => new Dpm2Ancestral(Eta, SNoise),
        _ => new DpmSolverPlusPlus2SAncestral(Eta, SNoise),
    };

    [Theory]
    [MemberData(nameof(Samplers))]
    public void FullNoiseStepIsTheDenoiserPlusScaledNoise(string name)
    {
        var score = new GaussianDataScore(Mu, S0, Alpha, Sigma);
        var s = score.Of(T, Start);
        double at = Alpha(T), st = Sigma(T), as_ = Alpha(S), ss = Sigma(S);
        var expected = new double[2];
        for (var d = 0; d < 2; d++)
            expected[d] = as_ * (Start[d] + st * st * s[d]) / at + ss * SNoise * ChosenIncrements.Z(0, 0, d);

        var x = new Batch((double[])Start.Clone(), 1, 2);
        var problem = SamplingProblem.Reverse(VpSde.Linear(BetaMin, BetaMax), score, 1.0);
        var solution = Create(name).Solve(problem, x, TimeGrid.Uniform(T, S, 1), new SolveOptions().WithThreads(1).WithIncrements(new ChosenIncrements()));
        Assert.True(solution.IsSuccess, solution.Message);
        // Rounding only: a handful of flops on O(1) numbers.
        for (var d = 0; d < 2; d++) Assert.Equal(expected[d], x.Values[d], 1e-12);
    }
}
