using Diffusion.Research.Nn.Autodiff;
using Diffusion.Research.Nn.Models;
using Diffusion.Research.Numerics;
using Diffusion.Research.Scores;

namespace Diffusion.Research.Tests.Nn;

public sealed class NeuralModelTests
{
    private static Batch RandomBatch(int n, int d, ulong seed)
    {
        var b = new Batch(n, d);
        new NoiseSource(seed).FillGaussian(0, 0, b);
        return b;
    }

    public static TheoryData<Prediction, bool, Activation, TimeEmbeddingKind> Architectures() => new()
    {
        { Prediction.Score, false, Activation.Silu, TimeEmbeddingKind.GaussianFourier },
        { Prediction.Epsilon, true, Activation.Tanh, TimeEmbeddingKind.Sinusoidal },
        { Prediction.Data, false, Activation.Softplus, TimeEmbeddingKind.GaussianFourier },
        { Prediction.Velocity, true, Activation.Silu, TimeEmbeddingKind.Sinusoidal },
    };

    [Theory]
    [MemberData(nameof(Architectures))]
    public void InferencePathEqualsTapePath(Prediction output, bool residual, Activation activation, TimeEmbeddingKind embedding)
    {
        var options = new ModelOptions().WithWidth(24).WithHiddenLayers(3).WithResidual(residual).WithActivation(activation)
            .WithEmbedding(embedding, 6).WithOutput(output).WithSeed(5);
        var model = new MlpScoreModel(3, options, new OuSde());
        var x = RandomBatch(300, 3, 1);
        const double t = 0.37;
        var fast = new Batch(300, 3);
        model.Score(t, x, fast);

        var tape = new Tape();
        var s = model.Score(tape, tape.Constant(x), tape.Constant(300, 1, t));
        var slow = s.ToArray();
        for (var i = 0; i < slow.Length; i++)
            Assert.True(Math.Abs(slow[i] - fast.Values[i]) <= 1e-12 * (1 + Math.Abs(slow[i])), $"entry {i}: tape {slow[i]}, inference {fast.Values[i]}");
    }

    [Fact]
    public void RawNetworkOutputIsBitIdenticalOnBothPathsAndAcrossChunks()
    {
        var model = new MlpScoreModel(2, new ModelOptions().WithWidth(40).WithOutput(Prediction.Score), null);
        var x = RandomBatch(700, 2, 2);
        var whole = new Batch(700, 2);
        model.Score(0.2, x, whole);
        var pieces = new Batch(700, 2);
        for (var start = 0; start < 700; start += 77)
        {
            var n = Math.Min(77, 700 - start);
            model.Score(0.2, x.Slice(start, n), pieces.Slice(start, n));
        }
        Assert.Equal(whole.ToArray(), pieces.ToArray());
        var tape = new Tape(2);
        Assert.Equal(whole.ToArray(), model.Score(tape, tape.Constant(x), tape.Constant(700, 1, 0.2)).ToArray());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void EnergyScoreIsMinusGradientOfEnergy(bool residual)
    {
        var model = new EnergyScoreModel(2, new ModelOptions().WithKind(ModelKind.Energy).WithWidth(16).WithResidual(residual).WithSeed(3));
        var x = RandomBatch(50, 2, 4);
        const double t = 0.6;
        var fast = new Batch(50, 2);
        model.Score(t, x, fast);
        var tape = new Tape();
        var slow = model.Score(tape, tape.Constant(x), tape.Constant(50, 1, t)).ToArray();
        var e = new double[1];
        const double h = 1e-5;
        for (var i = 0; i < 50; i++)
        for (var d = 0; d < 2; d++)
        {
            Assert.True(Math.Abs(slow[2 * i + d] - fast[i, d]) < 1e-12 * (1 + Math.Abs(slow[2 * i + d])));
            var p = x.Slice(i, 1).Clone();
            p[0, d] += h;
            model.Energy(t, p, e);
            var plus = e[0];
            p[0, d] -= 2 * h;
            model.Energy(t, p, e);
            var fd = -(plus - e[0]) / (2 * h);
            Assert.True(Math.Abs(fd - fast[i, d]) < 1e-7 * (1 + Math.Abs(fd)), $"row {i} dim {d}: score {fast[i, d]}, −dE/dx {fd}");
        }
    }

    [Fact]
    public void ConversionsFollowTheKernel()
    {
        // s = −ε/σ, s = (α x₀ − x)/σ², and s from v through ε = (σ x + α v)/(α² + σ²): checked on the network output directly.
        var kernel = new OuSde();
        const double t = 0.8;
        var a = kernel.Alpha(t);
        var s = kernel.Sigma(t);
        var x = RandomBatch(5, 2, 9);
        foreach (var p in new[] { Prediction.Epsilon, Prediction.Data, Prediction.Velocity })
        {
            var model = new MlpScoreModel(2, new ModelOptions().WithWidth(8).WithOutput(p), kernel);
            var raw = new double[10];
            model.Network.Evaluate(t, x, raw);
            var score = new Batch(5, 2);
            model.Score(t, x, score);
            for (var i = 0; i < 10; i++)
            {
                var xi = x.Values[i];
                var expected = p switch
                {
                    Prediction.Epsilon => -raw[i] / s,
                    Prediction.Data => (a * raw[i] - xi) / (s * s),
                    _ => -((s * xi + a * raw[i]) / (a * a + s * s)) / s,
                };
                Assert.Equal(expected, score.Values[i], 12);
            }
        }
    }

    [Fact]
    public void BadInputIsRejected()
    {
        Assert.Throws<ArgumentException>(() => new MlpScoreModel(2, new ModelOptions().WithOutput(Prediction.Epsilon), null));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MlpScoreModel(2, new ModelOptions().WithWidth(0), null));
        Assert.Throws<ArgumentException>(() => new EnergyScoreModel(2, new ModelOptions()));
        // Each entry point validates the options itself, naming the field (these values pass every later check).
        Assert.Equal("FourierScale", Assert.Throws<ArgumentOutOfRangeException>(() => new MlpNetwork(2, 2, new ModelOptions { FourierScale = double.NaN })).ParamName);
        Assert.Equal("Output", Assert.Throws<ArgumentOutOfRangeException>(() => new MlpNetwork(2, 2, new ModelOptions { Output = (Prediction)99 })).ParamName);
        Assert.Equal("options", Assert.Throws<ArgumentNullException>(() => NeuralScoreModels.Create(null!, 2, null)).ParamName);
        Assert.Equal("Kind", Assert.Throws<ArgumentOutOfRangeException>(() => NeuralScoreModels.Create(new ModelOptions { Kind = (ModelKind)7 }, 2, null)).ParamName);
        var model = new MlpScoreModel(2, new ModelOptions().WithOutput(Prediction.Score), null);
        Assert.Throws<ArgumentException>(() => model.Score(0.1, new Batch(3, 2), new Batch(3, 3)));
        Assert.Throws<ArgumentException>(() => model.Score(0.1, new Batch(3, 3), new Batch(3, 3)));
    }
}

public sealed class NeuralModelSamplingTests
{
    [Theory]
    [InlineData(ModelKind.Mlp)]
    [InlineData(ModelKind.Energy)]
    public void InferenceAllocatesNothingInSteadyState(ModelKind kind)
    {
        var sde = Diffusion.Research.Sde.VpSde.Linear();
        var model = NeuralScoreModels.Create(new ModelOptions().WithKind(kind).WithWidth(32), 2, sde);
        var x = new Batch(600, 2);
        new NoiseSource(1).FillGaussian(0, 0, x);
        var s = new Batch(600, 2);
        var allocated = new long[40];
        for (var i = 0; i < allocated.Length; i++) // the first passes warm the pool and the JIT tiers
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            model.Score(0.1 * (i % 5 + 1), x, s);
            allocated[i] = GC.GetAllocatedBytesForCurrentThread() - before;
        }
        Assert.All(allocated[^10..], a => Assert.Equal(0, a));
    }

    [Theory]
    [InlineData(ModelKind.Mlp, 0.0)]
    [InlineData(ModelKind.Energy, 1.0)]
    public void SolversSampleFromNeuralModelsWhateverTheThreadCount(ModelKind kind, double lambda)
    {
        // The solver zoo sees an IScoreModel: reverse SDE (l = 1) or PF-ODE (l = 0), chunked over 2 threads or not.
        var sde = Diffusion.Research.Sde.VpSde.Linear();
        var model = NeuralScoreModels.Create(new ModelOptions().WithKind(kind).WithWidth(16), 2, sde);
        var problem = Diffusion.Research.Sampling.SamplingProblem.Reverse(sde, model, lambda);
        var grid = Diffusion.Research.Sampling.TimeGrid.Uniform(1.0, 1e-3, 20);
        Batch Run(int threads)
        {
            var x = new Batch(300, 2);
            new NoiseSource(3).FillGaussian(0, 0, x);
            var options = new Diffusion.Research.Sampling.SolveOptions().WithThreads(threads).WithChunkSize(64).WithNoise(new NoiseSource(4));
            var solution = new Diffusion.Research.Solvers.EulerMaruyama().Solve(problem, x, grid, options);
            Assert.True(solution.IsSuccess, solution.Message);
            return solution.Samples;
        }
        var one = Run(1);
        Assert.True(one.IsFinite());
        Assert.Equal(one.ToArray(), Run(2).ToArray());
    }
}
