using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;
using Diffusion.Research.Solvers;

namespace Diffusion.Research.Tests.Solvers;

/// <summary>
/// Strong and weak order with replayed Brownian paths (<see cref="BrownianPath"/>): every solve below sees the
/// same Brownian motion, so the error against a fine reference on that path measures the discretisation alone.
/// Problem: OU dx = −x dt + 0.8 (1 + t/2) dW on [0, 1], x_0 = 1 (additive, time-dependent noise; IDynamics only
/// has additive noise, where Euler–Maruyama has strong order 1, Kloeden–Platen Thm 10.2.2 with Remark 10.2.3).
/// Reference: stochastic Heun at 2^10 steps on the same path (16 times finer than the finest solve).
/// </summary>
public class StochasticOrderTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const int Particles = 1000;
    private static readonly int[] Counts = [8, 16, 32, 64];
    private static readonly BrownianPath Path = new(new NoiseSource(5), 0, 0.0, 1.0, 1, depth: 10);
    private static readonly Lazy<double[]> Reference = new(() => Solve(new StochasticHeun(Path), 1024));
    private static readonly Lazy<double[]> StiffReference = new(() => Solve(new StochasticHeun(Path), 1024, Stiff));
    private static readonly OrnsteinUhlenbeck Mild = new(1.0, 0.8);
    private static readonly OrnsteinUhlenbeck Stiff = new(4.0, 0.8);

    private static double[] Solve(ISolver solver, int steps, OrnsteinUhlenbeck? ou = null)
    {
        var x = new Batch(Particles, 1);
        x.Values.Fill(1.0);
        var solution = solver.Solve(SamplingProblem.Of(ou ?? Mild), x, TimeGrid.Uniform(0, 1, steps), new SolveOptions());
        Assert.True(solution.IsSuccess, solution.Message);
        return x.ToArray();
    }

    private static double Slope(Func<double[], double> error, ISolver solver, int[]? counts = null, OrnsteinUhlenbeck? ou = null)
    {
        counts ??= Counts;
        var errors = counts.Select(n => error(Solve(solver, n, ou))).ToArray();
        return OrderFit.Slope(counts.Select(n => 1.0 / n).ToArray(), errors);
    }

    private static double StrongError(double[] x)
    {
        var r = Reference.Value;
        var sum = 0.0;
        for (var i = 0; i < x.Length; i++) sum += Math.Abs(x[i] - r[i]);
        return sum / x.Length;
    }

    [Fact]
    public void EulerMaruyamaHasStrongOrderOneForAdditiveNoise()
    {
        var slope = Slope(StrongError, new EulerMaruyama(Path));
        output.WriteLine($"EM strong slope {slope:F3}");
        Assert.InRange(slope, 0.7, 1.3);
    }

    [Fact]
    public void StochasticHeunHasStrongOrderOne()
    {
        var solver = new StochasticHeun(Path);
        var slope = Slope(StrongError, solver);
        output.WriteLine($"stochastic Heun strong slope {slope:F3}");
        Assert.InRange(slope, solver.Traits.StrongOrder - 0.3, solver.Traits.StrongOrder + 0.3);
    }

    [Fact]
    public void EulerMaruyamaHasWeakOrderOneOnOuMoments()
    {
        // Weak error of the first two moments, E_N[f(x_n)] − E_N[f(x_ref)] on the same paths: its Monte Carlo
        // noise is sd(f(x_n) − f(x_ref))/sqrt(N) = O(dt)/30. On the stiffer OU (theta = 4) the weak error of the
        // second moment is about (b²/2θ)(θ dt/2) = b² dt/4 (EM's stationary variance b²/(θ(2 − θ dt))), large
        // against that noise; with theta = 1 it is ten times smaller and the fit is noise-dominated.
        var solver = new EulerMaruyama(Path);
        var reference = StiffReference.Value;
        double Moment(double[] x, int k) => x.Select(v => Math.Pow(v, k)).Average();
        foreach (var k in new[] { 1, 2 })
        {
            var slope = Slope(x => Math.Abs(Moment(x, k) - Moment(reference, k)), solver, [16, 32, 64, 128], Stiff);
            output.WriteLine($"EM weak slope, moment {k}: {slope:F3}");
            Assert.True(Math.Abs(slope - solver.Traits.Order) <= 0.3, $"moment {k}: slope {slope}");
        }
    }

    [Fact]
    public void PathSolvesIgnoreTheNoiseSeedAndRefuseAShortPath()
    {
        var a = Solve(new EulerMaruyama(Path), 16);
        var x = new Batch(Particles, 1);
        x.Values.Fill(1.0);
        new EulerMaruyama(Path).Solve(SamplingProblem.Of(new OrnsteinUhlenbeck(1.0, 0.8)), x, TimeGrid.Uniform(0, 1, 16), new SolveOptions().WithNoise(new NoiseSource(77)));
        Assert.Equal(a, x.ToArray());
        Assert.Throws<ArgumentException>(() => new EulerMaruyama(Path).Solve(SamplingProblem.Of(new OrnsteinUhlenbeck(1.0, 0.8)), x, TimeGrid.Uniform(0, 2, 16), new SolveOptions()));
    }
}
