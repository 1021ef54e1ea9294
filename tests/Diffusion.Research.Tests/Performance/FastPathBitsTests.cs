using Diffusion.Research.Data;
using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;
using Diffusion.Research.Scores;
using Diffusion.Research.Sde;
using Diffusion.Research.Solvers;
using Diffusion.Research.Tests.Experiments;
using Xunit;

namespace Diffusion.Research.Tests.Performance;

/// <summary>
/// The fast paths of issue 9 (the register-level isotropic mixture score, the fused reverse-SDE drift and the fused
/// Euler–Maruyama chunk) reproduce, bit for bit, what the tile evaluation and the step-by-step solvers computed before
/// them: tests/golden/fast-path-bits.txt was written by tests/golden/generate_fast_path_bits.cs on that earlier code
/// (commit 73dea57), for the cases below (the same list as the generator's).
/// </summary>
public sealed class FastPathBitsTests
{
    private static readonly Dictionary<string, ulong[]> Golden = Load();

    private static Dictionary<string, ulong[]> Load()
    {
        var lines = File.ReadAllLines(Path.Combine(TestFiles.RepositoryRoot(), "tests", "golden", "fast-path-bits.txt"));
        var golden = new Dictionary<string, ulong[]>();
        for (var i = 0; i + 1 < lines.Length; i += 2)
            golden[lines[i][2..]] = lines[i + 1].Split(' ').Select(h => Convert.ToUInt64(h, 16)).ToArray();
        return golden;
    }

    private static IEnumerable<(string Name, GaussianMixture Data, ISde Sde)> Problems()
    {
        yield return ("8gaussians/vp", ToyData.EightGaussians(), VpSde.Linear());
        var mix3 = GaussianMixture.Isotropic(new[] { 0.2, 0.5, 0.3 },
            new[] { new[] { 1.5, -0.5, 0.25 }, new[] { -2.0, 1.0, 0.0 }, new[] { 0.3, 0.7, -1.1 } }, new[] { 0.04, 0.3, 1.7 });
        yield return ("mix3d/ve", mix3, new VeSde(0.02, 30.0));
    }

    private static IEnumerable<(ISolver Solver, double Lambda)> Solvers()
    {
        yield return (new EulerMaruyama(), 1.0);
        yield return (new EulerMaruyama(), 0.6);
        yield return (new ExplicitRungeKutta(Tableau.Euler), 0.0);
        yield return (new ExplicitRungeKutta(Tableau.Heun), 0.0);
        yield return (new ExplicitRungeKutta(Tableau.RungeKutta4), 0.0);
        yield return (new DpmSolver2(), 0.0);
    }

    private static Batch Start(int n, int d)
    {
        var x = new Batch(n, d);
        new NoiseSource(5).FillGaussian(0, 0, x);
        for (var i = 0; i < x.Values.Length; i++) x.Values[i] *= 1.7;
        return x;
    }

    private static void AssertBits(string label, Batch actual)
    {
        Assert.True(Golden.TryGetValue(label, out var expected), $"no golden entry '{label}'");
        Assert.Equal(expected!.Length, actual.Values.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            var bits = BitConverter.DoubleToUInt64Bits(actual.Values[i]);
            Assert.True(bits == expected[i],
                $"{label}: entry {i} is {actual.Values[i]:R} ({bits:x16}), the earlier code gave {BitConverter.UInt64BitsToDouble(expected[i]):R} ({expected[i]:x16})");
        }
    }

    [Fact]
    public void ScoreIsBitIdenticalToTheTileEvaluation()
    {
        foreach (var (name, data, sde) in Problems())
        {
            var x = Start(37, data.Dimension);
            foreach (var t in new[] { 0.013, 0.37, 0.91 })
            {
                var s = new Batch(37, data.Dimension);
                new ExactNoisedScore(data, sde.Kernel!).Score(t, x, s);
                AssertBits($"{name} score t={t}", s);
            }
        }
    }

    [Theory]
    [InlineData(16, 1)]
    [InlineData(16, 2)]
    [InlineData(5, 2)]
    [InlineData(2048, 1)]
    public void SolvesAreBitIdenticalToTheStepByStepSolvers(int chunkSize, int threads)
    {
        foreach (var (name, data, sde) in Problems())
            foreach (var (solver, lambda) in Solvers())
            {
                var y = Start(37, data.Dimension);
                var problem = SamplingProblem.Reverse(sde, new ExactNoisedScore(data, sde.Kernel!), lambda);
                var options = new SolveOptions().WithNoise(new NoiseSource(11)).WithChunkSize(chunkSize).WithThreads(threads);
                var result = solver.Solve(problem, y, TimeGrid.Uniform(sde.T, 1e-3, 50), options);
                AssertBits($"{name} {solver.Traits.Name} lambda={lambda} {result.Status}", y);
            }
    }

    /// <summary>The score as an opaque model: same arithmetic, but no solver recognises it, so it takes the generic loop.</summary>
    private sealed class OpaqueScore(IScoreModel inner) : IScoreModel
    {
        public void Score(double t, Batch x, Batch destination) => inner.Score(t, x, destination);
    }

    public static TheoryData<string, int, int> Cases()
    {
        var data = new TheoryData<string, int, int>();
        foreach (var solver in new[] { "em", "em_sqrt2", "euler", "heun", "rk4", "dpm_solver_2" })
        {
            data.Add(solver, 24, 2);
            data.Add(solver, 7, 1);
            data.Add(solver, 29, 1); // four lane groups (two pairs), the last one partial: padding lanes 5-7

        }
        return data;
    }

    private static (ISolver Solver, double Lambda) Named(string name) => name switch
    {
        "em" => (new EulerMaruyama(), 1.0),
        "em_sqrt2" => (new EulerMaruyama(), Math.Sqrt(2)),
        "euler" => (new ExplicitRungeKutta(Tableau.Euler), 0.0),
        "heun" => (new ExplicitRungeKutta(Tableau.Heun), 0.0),
        "rk4" => (new ExplicitRungeKutta(Tableau.RungeKutta4), 0.0),
        _ => (new DpmSolver2(), 0.0),
    };

    /// <summary>
    /// Fused and generic paths side by side on cases the golden file does not cover: a grid that ends at sigma = 0 (the
    /// first-order last step of the multi-stage tableaus), an odd dimension (D = 5: the last Gaussian pair is half used),
    /// l = sqrt 2, and rows that overflow (the failing step, the reached time and the stopped chunks must agree).
    /// </summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void FusedPathsAgreeWithTheGenericLoop(string name, int chunkSize, int threads)
    {
        var (solver, lambda) = Named(name);
        var sde = VpSde.Linear();
        var mix5 = GaussianMixture.Isotropic(new[] { 0.35, 0.65 },
            new[] { new[] { 1.0, -2.0, 0.5, 0.0, 3.0 }, new[] { -1.5, 0.25, 2.0, -1.0, 0.0 } }, new[] { 0.2, 0.45 });
        foreach (var (data, end, blowUp) in new[] { ((GaussianMixture)ToyData.EightGaussians(), 0.0, false), (mix5, 1e-3, false), (mix5, 1e-3, true) })
        {
            if (end == 0.0 && name.StartsWith("dpm", StringComparison.Ordinal)) continue; // DPM-Solver needs sigma > 0 at the end
            var grid = TimeGrid.Uniform(1.0, end, 23);
            var options = new SolveOptions().WithNoise(new NoiseSource(3)).WithChunkSize(chunkSize).WithThreads(threads);
            var score = new ExactNoisedScore(data, sde.Kernel!);
            var fused = Start(61, data.Dimension);
            if (blowUp)
                for (var i = 0; i < data.Dimension; i++) fused.Values[43 * data.Dimension + i] = 1e307; // chunk 29: lane 6 of group 1 of 4
            var generic = fused.Clone();
            var a = solver.Solve(SamplingProblem.Reverse(sde, score, lambda), fused, grid, options);
            var b = solver.Solve(SamplingProblem.Reverse(sde, new OpaqueScore(score), lambda), generic, grid, options);
            Assert.Equal(b.Status, a.Status);
            Assert.Equal(b.Statistics, a.Statistics);
            Assert.Equal(b.ReachedTime, a.ReachedTime);
            if (blowUp) Assert.NotEqual(SolveStatus.Success, a.Status);
            for (var i = 0; i < fused.Values.Length; i++)
                Assert.True(BitConverter.DoubleToUInt64Bits(fused.Values[i]) == BitConverter.DoubleToUInt64Bits(generic.Values[i]),
                    $"{name}, D = {data.Dimension}, end {end}, overflow {blowUp}: entry {i} fused {fused.Values[i]:R}, generic {generic.Values[i]:R}");
        }
    }
}
