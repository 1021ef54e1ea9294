using System.Numerics.Tensors;
using System.Text.Json;
using Diffusion.Research.Data;
using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;
using Diffusion.Research.Scores;
using Diffusion.Research.Sde;
using Diffusion.Research.Solvers;
using Diffusion.Research.Tests.Experiments;

namespace Diffusion.Research.Tests.Solvers;

/// <summary>
/// Our samplers against the upstream reference implementations (k-diffusion sampling.py, dpm_solver_pytorch.py), run
/// (and uni_pc.py of the UniPC authors, diffusers' PNDMScheduler, IPNDMScheduler and DEISMultistepScheduler, the Restart authors' restart_sampler) by tests/golden/generate_samplers.py in float64 on the committed start batch and grids with the exact mixture
/// denoiser; the stochastic ones see the normals of tests/golden/normals.json, which are our NoiseSource draws
/// (step i = stream i). Agreement to 1e-10 absolute. k-diffusion works in the EDM level σ̂ = σ/α and x̂ = x/α, so the
/// VP cases start from x = α_T x̂_0 and compare x/α at the end.
/// </summary>
public class GoldenSamplerTests
{
    private const double Tolerance = 1e-10;
    private const ulong NormalsSeed = 20261127;

    private static string GoldenPath(string name) => TestFiles.GoldenPath(name);

    private static readonly Lazy<JsonElement> Golden = new(() => TestFiles.GoldenJson("samplers.json"));

    [Fact]
    public void GoldenNormalsAreTheNoiseSourceDraws()
    {
        const int steps = 10, particles = 5, dimension = 2;
        var noise = new NoiseSource(NormalsSeed);
        var values = new double[steps][][];
        for (var i = 0; i < steps; i++)
        {
            values[i] = new double[particles][];
            for (var p = 0; p < particles; p++)
            {
                values[i][p] = new double[dimension];
                noise.FillGaussian((uint)i, p, values[i][p]);
            }
        }
        if (Environment.GetEnvironmentVariable("DIFFUSION_WRITE_GOLDEN_NORMALS") == "1")
            File.WriteAllText(GoldenPath("normals.json"), JsonSerializer.Serialize(new { seed = NormalsSeed, values }));
        var committed = JsonDocument.Parse(File.ReadAllText(GoldenPath("normals.json"))).RootElement;
        Assert.Equal(NormalsSeed, committed.GetProperty("seed").GetUInt64());
        for (var i = 0; i < steps; i++)
            for (var p = 0; p < particles; p++)
                for (var d = 0; d < dimension; d++)
                    Assert.Equal(values[i][p][d], committed.GetProperty("values")[i][p][d].GetDouble());
    }

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var c in Golden.Value.GetProperty("cases").EnumerateArray())
            data.Add(c.GetProperty("source").GetString() + "|" + c.GetProperty("sde").GetString() + "|" + c.GetProperty("case").GetString());
        return data;
    }

    private static JsonElement Case(string id)
    {
        foreach (var c in Golden.Value.GetProperty("cases").EnumerateArray())
            if (c.GetProperty("source").GetString() + "|" + c.GetProperty("sde").GetString() + "|" + c.GetProperty("case").GetString() == id)
                return c;
        throw new KeyNotFoundException(id);
    }

    private static double[] Doubles(JsonElement array) => array.EnumerateArray().Select(e => e.GetDouble()).ToArray();

    private static double[] Flat(JsonElement rows) => rows.EnumerateArray().SelectMany(r => r.EnumerateArray().Select(e => e.GetDouble())).ToArray();

    private static GaussianMixture Mixture()
    {
        var m = Golden.Value.GetProperty("mixture");
        return GaussianMixture.Isotropic(Doubles(m.GetProperty("weights")),
            m.GetProperty("means").EnumerateArray().Select(Doubles).ToArray(), Doubles(m.GetProperty("variances")));
    }

    private static ISde Sde(string name)
    {
        var g = Golden.Value;
        return name == "ve"
            ? new VeSde(g.GetProperty("ve").GetProperty("sigma_min").GetDouble(), g.GetProperty("ve").GetProperty("sigma_max").GetDouble())
            : VpSde.Linear(g.GetProperty("vp").GetProperty("beta_min").GetDouble(), g.GetProperty("vp").GetProperty("beta_max").GetDouble());
    }

    /// <summary>Our sampler for a golden case (the named options that reproduce the upstream convention).</summary>
    internal static ISolver Solver(JsonElement c)
    {
        var registry = SolverRegistry.CreateDefault();
        var kwargs = c.GetProperty("kwargs");
        double Eta() => kwargs.GetProperty("eta").GetDouble();
        if (c.GetProperty("source").GetString() == "UniPC")
            return new UniPc("golden", kwargs.GetProperty("order").GetInt32(), kwargs.GetProperty("variant").GetString() == "bh1" ? UniPcVariant.Bh1 : UniPcVariant.Bh2,
                kwargs.GetProperty("algorithm_type").GetString() == "data_prediction" ? ModelPrediction.Data : ModelPrediction.Noise,
                kwargs.GetProperty("lower_order_final").GetBoolean());
        if (c.GetProperty("source").GetString() == "restart") // the authors' restart_sampler, VE
            return new RestartSampler(kwargs.GetProperty("sigma_min").GetDouble(), kwargs.GetProperty("sigma_max").GetDouble(),
                kwargs.GetProperty("restarts").GetInt32(), kwargs.GetProperty("restart_steps").GetInt32());
        if (c.GetProperty("source").GetString() == "diffusers")
            return c.GetProperty("function").GetString() == "DEISMultistepScheduler.step"
                ? new DeisLogRho(kwargs.GetProperty("order").GetInt32(), kwargs.GetProperty("lower_order_final").GetBoolean()) // N < 15: diffusers applies it
                : c.GetProperty("function").GetString() == "IPNDMScheduler.step"
                ? registry.Create("ipndm", new Dictionary<string, double> { ["order"] = kwargs.GetProperty("order").GetInt32() }) // AB1-4 warm-up, DDIM transfer
                : registry.Create("pndm"); // PNDMScheduler, PRK start
        if (c.GetProperty("source").GetString() == "dpm-solver")
        {
            var prediction = kwargs.GetProperty("algorithm_type").GetString() == "dpmsolver++" ? ModelPrediction.Data : ModelPrediction.Noise;
            var order = kwargs.GetProperty("order").GetInt32();
            if (kwargs.GetProperty("method").GetString() == "adaptive") // dpm_solver_adaptive, its float32 step proposal
                return registry.Create("dpm_solver_adaptive", new Dictionary<string, double>
                    { ["order"] = order, ["data_prediction"] = prediction == ModelPrediction.Data ? 1 : 0, ["float32_step"] = 1 });
            return kwargs.GetProperty("method").GetString() == "multistep"
                ? new DpmSolverMultistep("golden", order, prediction, SecondOrderCorrection.DpmSolver, kwargs.GetProperty("lower_order_final").GetBoolean(), 0, upstreamSecondDifference: true)
                : new DpmSolverSinglestep("golden", order, prediction);
        }
        return c.GetProperty("case").GetString() switch
        {
            "dpmpp_2m" => registry.Create("dpmpp_2m", new Dictionary<string, double> { ["lower_order_final"] = 0 }),
            "dpmpp_3m_sde" => registry.Create("dpmpp_3m", new Dictionary<string, double> { ["lower_order_final"] = 0, ["taylor"] = 1, ["upstream_d2"] = 1 }),
            "dpmpp_2s_ancestral" => registry.Create("dpmpp_2s"),
            "dpm_2" => registry.Create("dpm_2_ancestral", new Dictionary<string, double> { ["eta"] = 0 }),
            "lms" => registry.Create("lms", new Dictionary<string, double> { ["order"] = 4 }),
            "euler_ancestral" => registry.Create("euler_ancestral", new Dictionary<string, double> { ["eta"] = Eta() }),
            "dpm_2_ancestral" => registry.Create("dpm_2_ancestral", new Dictionary<string, double> { ["eta"] = Eta() }),
            "dpmpp_2s_ancestral_eta" => registry.Create("dpmpp_2s_ancestral", new Dictionary<string, double> { ["eta"] = Eta() }),
            "dpmpp_2m_sde" => registry.Create("dpmpp_2m_sde", new Dictionary<string, double> { ["eta"] = Eta(), ["lower_order_final"] = 0 }),
            "dpmpp_3m_sde_eta" => registry.Create("dpmpp_3m_sde", new Dictionary<string, double> { ["eta"] = Eta(), ["lower_order_final"] = 0, ["upstream_d2"] = 1 }),
            var other => throw new KeyNotFoundException(other),
        };
    }

    /// <summary>Our result for a golden case, in the case's own coordinates (x̂ for k-diffusion, x for dpm-solver).</summary>
    internal static double[] Run(JsonElement c, ISolver solver)
    {
        var sde = Sde(c.GetProperty("sde").GetString()!);
        var kernel = sde.Kernel!;
        var times = Doubles(c.GetProperty("times"));
        var kd = c.GetProperty("source").GetString() == "k-diffusion";
        var start = Flat(c.GetProperty(kd ? "start_hat" : "start"));
        var a0 = kd ? kernel.Alpha(times[0]) : 1.0;
        var x = new Batch(start.Select(v => v * a0).ToArray(), start.Length / 2, 2);
        var problem = SamplingProblem.Reverse(sde, new ExactNoisedScore(Mixture(), kernel), 0.0);
        var options = new SolveOptions().WithNoise(new NoiseSource(NormalsSeed)).WithThreads(1);
        if (c.GetProperty("kwargs").TryGetProperty("atol", out var atol))
            options = options.WithTolerances(c.GetProperty("kwargs").GetProperty("rtol").GetDouble(), atol.GetDouble());
        var solution = solver.Solve(problem, x, new TimeGrid(times), options);
        Assert.True(solution.IsSuccess, solution.Message);
        if (c.GetProperty("kwargs").TryGetProperty("final_denoise", out var denoise) && denoise.GetBoolean())
        {
            // Upstream's Euler step from the last level to sigma = 0 lands on the denoiser D(x, sigma) = x + sigma^2 s(x, t)
            // (VE, alpha = 1; Tweedie, 003 §3; Efron 2011; Karras et al. 2022, eq (3)): applied here to our solution on the grid
            // without the 0.
            var score = new Batch(new double[x.Values.Length], x.Count, 2);
            problem.Diffusion.Score.Score(times[^1], x, score);
            var sigma = kernel.Sigma(times[^1]);
            TensorPrimitives.MultiplyAdd(score.Values, sigma * sigma, x.Values, x.Values);
        }
        var a1 = kd ? kernel.Alpha(times[^1]) : 1.0;
        return x.Values.ToArray().Select(v => v / a1).ToArray();
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesTheUpstreamReferenceTo1e10(string id)
    {
        var c = Case(id);
        var expected = Flat(c.GetProperty(c.GetProperty("source").GetString() == "k-diffusion" ? "end_hat" : "end"));
        var actual = Run(c, Solver(c));
        var worst = expected.Select((e, i) => Math.Abs(e - actual[i])).Max();
        Assert.True(worst <= Tolerance, $"{id}: max |ours - upstream| = {worst:E3}");
    }
}
