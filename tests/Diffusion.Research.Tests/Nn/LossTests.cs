using Diffusion.Research.Nn.Autodiff;
using Diffusion.Research.Nn.Losses;
using Diffusion.Research.Nn.Models;
using Diffusion.Research.Numerics;
using Diffusion.Research.Scores;

namespace Diffusion.Research.Tests.Nn;

public sealed class LossTests
{
    private static readonly OuSde Sde = new();
    private static readonly IsotropicGaussian Data = new([0.5, -1.0], 0.7);

    private static LossBatch MakeBatch(int n, double t, ulong seed, long first = 0)
    {
        var x0 = new Batch(n, 2);
        Data.Sample(x0, new NoiseSource(seed), first);
        var times = Enumerable.Repeat(t, n).ToArray();
        var weights = Enumerable.Repeat(1.0, n).ToArray();
        return new LossBatch(x0, times, weights, Sde, new NoiseSource(seed + 1), 0, first) { ExactScore = Data.NoisedScore(Sde) };
    }

    private static double Evaluate(IScoreLoss loss, INeuralScoreModel model, LossBatch batch) => loss.Loss(new Tape(), model, batch).Scalar;

    [Fact]
    public void DsmWithSigmaSquaredWeightingEqualsEpsilonRegression()
    {
        // ½σ²‖s_θ + ε/σ‖² = ½‖−σ s_θ − ε‖² = ½‖ε_θ − ε‖² (000 "DSM": target −ε/σ; ε_θ = −σ s_θ; Vincent 2011).
        foreach (var output in new[] { Prediction.Epsilon, Prediction.Score, Prediction.Velocity })
        {
            var model = new MlpScoreModel(2, new ModelOptions().WithWidth(16).WithOutput(output), Sde);
            var batch = MakeBatch(64, 0.3, 11);
            var sigma2 = Sde.Sigma(0.3) * Sde.Sigma(0.3);
            var dsm = Evaluate(new DenoisingScoreMatchingLoss(Prediction.Score), model, batch with { Weights = Enumerable.Repeat(sigma2, 64).ToArray() });
            var eps = Evaluate(new DenoisingScoreMatchingLoss(Prediction.Epsilon), model, batch);
            Assert.Equal(dsm, eps, 1e-12 * Math.Abs(dsm) + 1e-15);
        }
    }

    [Fact]
    public void RegressionTargetsAreTheKernelQuantities()
    {
        // A model whose raw output is exactly the target has zero loss: o = x₀ for the x₀ loss, o = α ε − σ x₀ for v.
        var batch = MakeBatch(16, 0.45, 3);
        var a = Sde.Alpha(0.45);
        var s = Sde.Sigma(0.45);
        var eps = new Batch(16, 2);
        batch.Noise.FillGaussian(batch.Stream, batch.FirstParticle, eps);
        var xt = new Batch(16, 2);
        for (var i = 0; i < 32; i++) xt.Values[i] = a * batch.Data.Values[i] + s * eps.Values[i];
        foreach (var (target, truth) in new (Prediction, Func<int, double>)[]
                 {
                     (Prediction.Data, i => batch.Data.Values[i]),
                     (Prediction.Velocity, i => a * eps.Values[i] - s * batch.Data.Values[i]),
                     (Prediction.Epsilon, i => eps.Values[i]),
                     (Prediction.Score, i => -eps.Values[i] / s),
                 })
        {
            var oracle = new OracleModel(target, Enumerable.Range(0, 32).Select(truth).ToArray(), xt.ToArray());
            foreach (var loss in new[] { Prediction.Score, Prediction.Epsilon, Prediction.Data, Prediction.Velocity })
                Assert.True(Evaluate(new DenoisingScoreMatchingLoss(loss), oracle, batch) < 1e-20, $"oracle {target}, loss {loss}");
        }
    }

    /// <summary>
    /// Batch-means test of E[d] = 0 for a per-particle difference d: <paramref name="groups"/> batches of
    /// <paramref name="size"/> particles give group means m_g; t = mean(m) / (sd(m)/√G) has a Student
    /// distribution with G − 1 degrees of freedom under the identity. With G = 36, |t| &lt; 4 fails falsely
    /// with probability about 3e-4.
    /// </summary>
    private static (double Mean, double StandardError) GroupMeans(int groups, int size, Func<LossBatch, double> difference, double t)
    {
        var means = new double[groups];
        for (var g = 0; g < groups; g++) means[g] = difference(MakeBatch(size, t, 100, (long)g * size));
        var mean = means.Average();
        var sd = Math.Sqrt(means.Select(m => (m - mean) * (m - mean)).Sum() / (groups - 1));
        return (mean, sd / Math.Sqrt(groups));
    }

    [Fact]
    public void ImplicitEqualsExplicitMinusConstant()
    {
        // 000/001 (Hyvärinen 2005, Thm 1): J_ISM = J_ESM − C with C = ½ E‖∇ log p_t‖². Per particle ISM_i − ESM_i + C_i = Tr ∇s
        // + s·∇log p_t,
        // whose mean is 0 by integration by parts; tested with the batch-means t statistic (36 x 250 particles).
        // (Cross-check, not in the suite: 400 x 1000 particles give mean −0.0007 ± 0.0020.)
        var model = new MlpScoreModel(2, new ModelOptions().WithWidth(16).WithOutput(Prediction.Epsilon).WithSeed(21), Sde);
        const double t = 0.1;
        var exact = Data.NoisedScore(Sde);
        var (mean, se) = GroupMeans(36, 250, b =>
        {
            var ism = Evaluate(new ImplicitScoreMatchingLoss(), model, b);
            var esm = Evaluate(new ExplicitScoreMatchingLoss(), model, b);
            var tape = new Tape();
            var xt = PerturbedSamples.Draw(tape, b, false).X.AsBatch();
            var g = new Batch(xt.Count, 2);
            exact.Score(t, xt, g);
            var c = 0.5 * g.Values.ToArray().Sum(v => v * v) / xt.Count;
            return ism - esm + c;
        }, t);
        Assert.True(Math.Abs(mean) < 4 * se, $"mean {mean}, standard error {se}");
    }

    [Theory]
    [InlineData(ProbeKind.Rademacher, false)]
    [InlineData(ProbeKind.Gaussian, false)]
    [InlineData(ProbeKind.Rademacher, true)]
    public void SlicedEqualsImplicitInExpectation(ProbeKind kind, bool varianceReduced)
    {
        // 003 Hutchinson identity (Song, Garg, Shi and Ermon 2019; Hutchinson 1989): E_u[uᵀ J u] = Tr J and E_u[(uᵀ s)²] = ‖s‖²,
        // so SSM − ISM on the same particles has
        // mean 0 over probes and particles; same batch-means test.
        var model = new MlpScoreModel(2, new ModelOptions().WithWidth(16).WithOutput(Prediction.Epsilon).WithSeed(8), Sde);
        var (mean, se) = GroupMeans(36, 250, b =>
            Evaluate(new SlicedScoreMatchingLoss(1, kind, varianceReduced), model, b) - Evaluate(new ImplicitScoreMatchingLoss(), model, b), 0.1);
        Assert.True(Math.Abs(mean) < 4 * se, $"mean {mean}, standard error {se}");
    }

    [Fact]
    public void SlicedProbeTermIsADirectionalDerivative()
    {
        // uᵀ ∇ₓs u from the recorded VJP equals the central difference uᵀ (s(x + h u) − s(x − h u)) / 2h.
        var model = new MlpScoreModel(3, new ModelOptions().WithWidth(12).WithOutput(Prediction.Score), null);
        var x = new Batch(4, 3);
        new NoiseSource(1).FillGaussian(0, 0, x);
        var u = new Batch(4, 3);
        HutchinsonProbes.Fill(ProbeKind.Gaussian, new NoiseSource(2), 0, 0, u);
        var tape = new Tape();
        var xv = tape.Variable(x);
        var s = model.Score(tape, xv, tape.Constant(4, 1, 0.3));
        var uJ = tape.Gradients(tape.Sum(tape.Multiply(s, tape.Constant(u))), [xv])[0];
        const double h = 1e-5;
        var plus = x.Clone();
        var minus = x.Clone();
        for (var i = 0; i < 12; i++)
        {
            plus.Values[i] += h * u.Values[i];
            minus.Values[i] -= h * u.Values[i];
        }
        var sp = new Batch(4, 3);
        var sm = new Batch(4, 3);
        model.Score(0.3, plus, sp);
        model.Score(0.3, minus, sm);
        for (var r = 0; r < 4; r++)
        {
            double vjp = 0, fd = 0;
            for (var d = 0; d < 3; d++)
            {
                vjp += uJ[r, d] * u[r, d];
                fd += u[r, d] * (sp[r, d] - sm[r, d]) / (2 * h);
            }
            Assert.True(Math.Abs(vjp - fd) < 1e-7 * (1 + Math.Abs(fd)), $"row {r}: {vjp} vs {fd}");
        }
    }

    [Fact]
    public void ImportanceSamplingKeepsTheUniformObjective()
    {
        // E_π[f(t) · p_U(t)/π(t)] = (1/(T − t_ε)) ∫ f over [t_ε, T]; f(t) = t, exact mean (T + t_ε)/2.
        // Threshold: 4 standard errors of the N = 20000 weighted draws.
        var sampling = new ImportanceTimeSampling(Sde, 1e-3, 1.0);
        var noise = new NoiseSource(77);
        const int n = 20000;
        var values = new double[n];
        for (var i = 0; i < n; i++)
        {
            var t = sampling.Sample(noise, 0, i);
            Assert.InRange(t, 1e-3, 1.0);
            values[i] = t * sampling.Correction(t);
        }
        var mean = values.Average();
        var se = Math.Sqrt(values.Select(v => (v - mean) * (v - mean)).Sum() / (n - 1) / n);
        Assert.True(Math.Abs(mean - 0.5005) < 4 * se, $"mean {mean}, expected 0.5005, standard error {se}");
        // Most draws land where σ is small: the median is far below the uniform median.
        var times = Enumerable.Range(0, 2001).Select(i => sampling.Sample(noise, 1, i)).Order().ToArray();
        Assert.True(times[1000] < 0.2, $"median {times[1000]}");
    }

    [Fact]
    public void NoiseLevelsAreGeometricInSigma()
    {
        var levels = new NoiseLevelTimeSampling(Sde, 1e-3, 1.0, 5, 0.05, 0.75);
        var sigmas = levels.Times.Select(Sde.Sigma).ToArray();
        for (var i = 0; i < 5; i++)
            Assert.Equal(0.75 * Math.Pow(0.05 / 0.75, i / 4.0), sigmas[i], 1e-10);
        Assert.Throws<ArgumentOutOfRangeException>(() => new NoiseLevelTimeSampling(Sde, 1e-3, 1.0, 5, 0.05, 5.0));
    }

    [Fact]
    public void WeightingsFollowTheirDefinitions()
    {
        const double t = 0.4;
        var a2 = Sde.Alpha(t) * Sde.Alpha(t);
        var s2 = Sde.Sigma(t) * Sde.Sigma(t);
        Assert.Equal(1.0, new UniformWeighting().Weight(t));
        Assert.Equal(s2, new SigmaSquaredWeighting(Sde).Weight(t), 1e-15);
        Assert.Equal(1.0, new LikelihoodWeighting(Sde).Weight(t));
        Assert.Equal(a2 / s2, new SnrWeighting(Sde).Weight(t), 1e-12);
        // SNR(0.4) ≈ 2.03: γ = 100 leaves σ², γ = 1 gives σ² γ/SNR.
        Assert.Equal(s2, new MinSnrWeighting(Sde, 100).Weight(t), 1e-15);
        Assert.Equal(s2 * 1.0 / (a2 / s2), new MinSnrWeighting(Sde, 1).Weight(t), 1e-12);
    }

    /// <summary>A "model" whose raw prediction is a fixed array (and which checks it is fed the expected x_t).</summary>
    private sealed class OracleModel(Prediction output, double[] prediction, double[] expectedX) : INeuralScoreModel
    {
        public int Dimension => 2;
        public ModelOptions Options => new();
        public IReadOnlyList<Diffusion.Research.Nn.Parameter> Parameters => [];
        public Prediction Output => output;
        public Tensor Predict(Tape tape, Tensor x, Tensor times)
        {
            for (var i = 0; i < expectedX.Length; i++) Assert.Equal(expectedX[i], x.Values[i], 1e-14);
            return tape.Constant(prediction, x.Rows, x.Columns);
        }
        public Tensor Score(Tape tape, Tensor x, Tensor times) => throw new NotSupportedException();
        public void Score(double t, Batch x, Batch destination) => throw new NotSupportedException();
    }
}
