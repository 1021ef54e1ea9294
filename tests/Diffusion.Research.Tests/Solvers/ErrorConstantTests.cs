using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;
using Diffusion.Research.Sde;
using Diffusion.Research.Solvers;

namespace Diffusion.Research.Tests.Solvers;

/// <summary>
/// The error at a fixed number of steps, not only its slope: on linear problems the n-step result of each method is a
/// product of per-step factors that the test writes from the method's defining formula, so the global error is known
/// in closed form and a bug that keeps the order but changes the error constant (a wrong node, a halved weight in one
/// stage, a wrong noise-level ratio) is caught. Where a classical leading error term exists it is checked too.
/// </summary>
public class ErrorConstantTests
{
    private static double SolveScalar(ISolver solver, IDynamics dynamics, double x0, TimeGrid grid)
    {
        var x = new Batch([x0], 1, 1);
        var solution = solver.Solve(SamplingProblem.Of(dynamics), x, grid, new SolveOptions().WithThreads(1));
        Assert.True(solution.IsSuccess, solution.Message);
        return x.Values[0];
    }

    private sealed class ConstantRate(double lambda) : IDynamics
    {
        public void Drift(double t, Batch x, Batch destination)
        {
            for (var i = 0; i < x.Values.Length; i++) destination.Values[i] = lambda * x.Values[i];
        }

        public double Diffusion(double t) => 0;
    }

    [Fact]
    public void EulerGlobalErrorOnALinearOdeIsItsClosedFormAndLeadingTerm()
    {
        // dx/dt = λ x: Euler gives x0 (1 + λh)^N exactly, so e_N = x0 |e^{λT} − (1 + λh)^N|; its leading term is
        // x0 e^{λT} λ² T h / 2 (N ln(1 + λh) = λT − λ²Th/2 + λ³Th²/3 − …). At N = 200, λ = −1.3, T = 1.5 the next terms
        // change the ratio by about λ²Th/4 + 2|λ|h/3 ≈ 0.011, so 0.02 bounds it.
        const double lambda = -1.3, x0 = 0.7, t0 = 0.25, t1 = 1.75;
        const int n = 200;
        var h = (t1 - t0) / n;
        var x = SolveScalar(new ExplicitRungeKutta(Tableau.Euler), new ConstantRate(lambda), x0, TimeGrid.Uniform(t0, t1, n));
        Assert.Equal(x0 * Math.Pow(1 + lambda * h, n), x, 1e-14);
        var error = x0 * Math.Exp(lambda * (t1 - t0)) - x;
        var leading = x0 * Math.Exp(lambda * (t1 - t0)) * lambda * lambda * (t1 - t0) * h / 2;
        Assert.InRange(error / leading, 0.98, 1.02);
    }

    // One step of each method on dx/dt = −t x, written from its classical formula (HNW I §II.1), not from a tableau.
    private static double EulerStep(double t, double h, double x) => x + h * (-t * x);

    private static double HeunStep(double t, double h, double x)
    {
        var k1 = -t * x;
        var k2 = -(t + h) * (x + h * k1);
        return x + h / 2 * (k1 + k2);
    }

    private static double Rk4Step(double t, double h, double x)
    {
        var k1 = -t * x;
        var k2 = -(t + h / 2) * (x + h / 2 * k1);
        var k3 = -(t + h / 2) * (x + h / 2 * k2);
        var k4 = -(t + h) * (x + h * k3);
        return x + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4);
    }

    public static TheoryData<string, int> Methods() => new() { { "euler", 9 }, { "euler", 23 }, { "heun", 9 }, { "heun", 23 }, { "rk4", 9 }, { "rk4", 23 } };

    [Theory]
    [MemberData(nameof(Methods))]
    public void RungeKuttaErrorAtNStepsOnTheTimeDependentOdeIsTheProductOfStepFactors(string name, int n)
    {
        const double x0 = 0.9, t0 = 0.2, t1 = 1.7;
        Func<double, double, double, double> step = name switch { "euler" => EulerStep, "heun" => HeunStep, _ => Rk4Step };
        var h = (t1 - t0) / n;
        var expected = x0;
        for (var i = 0; i < n; i++) expected = step(t0 + i * h, h, expected);
        var actual = SolveScalar(SolverRegistry.CreateDefault().Create(name), new LinearTimeDependentOde(), x0, TimeGrid.Uniform(t0, t1, n));
        var exact = LinearTimeDependentOde.Exact(x0, t0, t1);
        // The errors themselves must agree (relative to the error, which is ≥ 1e-7 here), not just the values.
        Assert.Equal(exact - expected, exact - actual, Math.Abs(exact - expected) * 1e-6 + 1e-15);
        Assert.True(Math.Abs(exact - expected) > 1e-9, "the test needs a visible error");
    }

    // Gaussian data N(μ, s0²): every solver below maps y = x − α_t μ linearly, so its n-step factor is a product.
    private const double S0 = 0.45, Mu = 0.7;

    [Fact]
    public void DdimAtEtaZeroErrorIsTheProductOfItsStepRatios()
    {
        // VP linear: B(t) = 0.1 t + 9.95 t², α = e^{−B/2}, σ² = 1 − e^{−B}; σ̄_t² = α_t² s0² + σ_t².
        // DDIM (η = 0): x_s = α_s x̂_0 + σ_s ε̂ with x̂_0 = μ + α_t s0² y/σ̄_t², ε̂ = σ_t y/σ̄_t², so
        // y_s = y_t (α_s α_t s0² + σ_s σ_t)/σ̄_t², while the flow gives y_s = y_t σ̄_s/σ̄_t.
        static double B(double t) => 0.1 * t + 0.5 * 19.9 * t * t;
        static double A(double t) => Math.Exp(-0.5 * B(t));
        static double Sg(double t) => Math.Sqrt(1 - Math.Exp(-B(t)));
        static double Bar(double t) => Math.Sqrt(A(t) * A(t) * S0 * S0 + Sg(t) * Sg(t));
        const int n = 12;
        const double start = 1.0, end = 1e-2, x0 = -1.1;
        var grid = TimeGrid.Uniform(start, end, n);
        var y = x0 - A(start) * Mu;
        for (var i = 0; i < n; i++)
        {
            double t = grid[i], s = grid[i + 1];
            y *= (A(s) * A(t) * S0 * S0 + Sg(s) * Sg(t)) / (Bar(t) * Bar(t));
        }
        var exactY = (x0 - A(start) * Mu) * Bar(end) / Bar(start);
        var score = new GaussianDataScore([Mu], S0, A, Sg);
        var x = new Batch([x0], 1, 1);
        var solution = new Ddim(0).Solve(SamplingProblem.Reverse(VpSde.Linear(), score, 0.0), x, grid, new SolveOptions().WithThreads(1));
        Assert.True(solution.IsSuccess, solution.Message);
        var error = x.Values[0] - (A(end) * Mu + exactY);
        Assert.Equal(y - exactY, error, Math.Abs(y - exactY) * 1e-9);
        Assert.True(Math.Abs(y - exactY) > 1e-4, "the test needs a visible error");
    }

    [Fact]
    public void EdmHeunErrorOnVeIsTheProductOfItsStepFactors()
    {
        // VE (α = 1), data N(μ, s0²): dx/dσ = σ (x − μ)/(s0² + σ²) = k(σ) y; Heun from σ to σ' (h = σ' − σ):
        // y' = y (1 + h/2 (k(σ) + k(σ')(1 + h k(σ)))) (Karras et al. 2022 Alg. 1 lines 5–8); exact y ∝ sqrt(s0² + σ²).
        const double sigmaMin = 0.01, sigmaMax = 10.0;
        // 001 eq 67: Song et al. 2021, eq (29).
        static double Sg(double t) => sigmaMin * Math.Sqrt(Math.Pow(sigmaMax / sigmaMin, 2 * t) - 1); // σ_t² = σ(t)² − σ(0)² (001 eq 67)
        static double K(double sigma) => sigma / (S0 * S0 + sigma * sigma);
        const int n = 7;
        const double start = 1.0, end = 0.05, x0 = 6.3;
        var grid = TimeGrid.Uniform(start, end, n);
        var y = x0 - Mu;
        for (var i = 0; i < n; i++)
        {
            double a = Sg(grid[i]), b = Sg(grid[i + 1]), h = b - a;
            y *= 1 + h / 2 * (K(a) + K(b) * (1 + h * K(a)));
        }
        var exactY = (x0 - Mu) * Math.Sqrt((S0 * S0 + Sg(end) * Sg(end)) / (S0 * S0 + Sg(start) * Sg(start)));
        var score = new GaussianDataScore([Mu], S0, _ => 1.0, Sg);
        var x = new Batch([x0], 1, 1);
        var solution = new EdmHeun().Solve(SamplingProblem.Reverse(new VeSde(sigmaMin, sigmaMax), score, 0.0), x, grid, new SolveOptions().WithThreads(1));
        Assert.True(solution.IsSuccess, solution.Message);
        Assert.Equal(y - exactY, x.Values[0] - Mu - exactY, Math.Abs(y - exactY) * 1e-9);
        Assert.True(Math.Abs(y - exactY) > 1e-4, "the test needs a visible error");
    }
}
