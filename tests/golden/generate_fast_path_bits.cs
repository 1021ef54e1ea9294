// Writes the bit patterns (hex) of the exact isotropic-mixture score and of short fixed-step solves with it, as computed
// by the tile-based evaluation that preceded the register-level fast path (issue 9). Run once on that code:
//   dotnet run tests/golden/generate_fast_path_bits.cs > tests/golden/fast-path-bits.txt
// (it ran at commit 73dea57, where ExactNoisedScore was still called NoisedMixtureScore)
// The test FastPathBitsTests checks that the fast path reproduces every value bit for bit.
#:project ../../solvers/Diffusion.Research.Solvers/Diffusion.Research.Solvers.csproj
#:property PublishAot=false
using Diffusion.Research.Data;
using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;
using Diffusion.Research.Scores;
using Diffusion.Research.Sde;
using Diffusion.Research.Solvers;

foreach (var (name, data, sde) in FastPathCases.Problems())
{
    var n = 37;
    var x = FastPathCases.Start(n, data.Dimension);
    foreach (var t in new[] { 0.013, 0.37, 0.91 })
    {
        var score = new ExactNoisedScore(data, sde.Kernel!);
        var s = new Batch(n, data.Dimension);
        score.Score(t, x, s);
        Print($"{name} score t={t}", s);
    }
    foreach (var (solver, lambda) in FastPathCases.Solvers())
    {
        var y = FastPathCases.Start(n, data.Dimension);
        var problem = SamplingProblem.Reverse(sde, new ExactNoisedScore(data, sde.Kernel!), lambda);
        var options = new SolveOptions().WithNoise(new NoiseSource(11)).WithChunkSize(16);
        var result = solver.Solve(problem, y, TimeGrid.Uniform(sde.T, 1e-3, 50), options);
        Print($"{name} {solver.Traits.Name} lambda={lambda} {result.Status}", y);
    }
}

static void Print(string label, Batch b)
{
    Console.WriteLine("# " + label);
    Console.WriteLine(string.Join(" ", b.Values.ToArray().Select(v => BitConverter.DoubleToUInt64Bits(v).ToString("x16"))));
}

static class FastPathCases
{
    public static IEnumerable<(string, GaussianMixture, ISde)> Problems()
    {
        yield return ("8gaussians/vp", ToyData.EightGaussians(), VpSde.Linear());
        var mix3 = GaussianMixture.Isotropic(new[] { 0.2, 0.5, 0.3 },
            new[] { new[] { 1.5, -0.5, 0.25 }, new[] { -2.0, 1.0, 0.0 }, new[] { 0.3, 0.7, -1.1 } }, new[] { 0.04, 0.3, 1.7 });
        yield return ("mix3d/ve", mix3, new VeSde(0.02, 30.0));
    }

    public static IEnumerable<(ISolver, double)> Solvers()
    {
        yield return (new EulerMaruyama(), 1.0);
        yield return (new EulerMaruyama(), 0.6);
        yield return (new ExplicitRungeKutta(Tableau.Euler), 0.0);
        yield return (new ExplicitRungeKutta(Tableau.Heun), 0.0);
        yield return (new ExplicitRungeKutta(Tableau.RungeKutta4), 0.0);
        yield return (new DpmSolver2(), 0.0);
    }

    public static Batch Start(int n, int d)
    {
        var x = new Batch(n, d);
        new NoiseSource(5).FillGaussian(0, 0, x);
        for (var i = 0; i < x.Values.Length; i++) x.Values[i] *= 1.7;
        return x;
    }
}
