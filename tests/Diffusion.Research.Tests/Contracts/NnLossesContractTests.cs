using Diffusion.Research.Data;
using Diffusion.Research.Kernels;
using Diffusion.Research.Nn.Autodiff;
using Diffusion.Research.Nn.Losses;
using Diffusion.Research.Nn.Models;
using Diffusion.Research.Numerics;
using Diffusion.Research.Scores;
using Diffusion.Research.Sde;

namespace Diffusion.Research.Tests.Contracts;

/// <summary>A kernel given by two functions (for kernels no SDE has: decreasing σ, NaN α, ...).</summary>
internal sealed class NnFuncKernel(Func<double, double> alpha, Func<double, double> sigma) : IKernel
{
    public double Alpha(double t) => alpha(t);

    public double Sigma(double t) => sigma(t);
}

/// <summary>Every argument check of src/Diffusion.Research.Nn/Losses.</summary>
public class NnLossesContractTests
{
    private static readonly VpSde Vp = VpSde.Linear();

    // σ_t = 0.5 + t: positive at 0 and increasing.
    private static readonly NnFuncKernel Rising = new(_ => 1.0, t => 0.5 + t);

    private static string Interval(double start, double end) => $"Need 0 <= start < end, got [{start}, {end}].";

    private static MlpScoreModel Model() => new(2, new ModelOptions().WithWidth(4).WithHiddenLayers(1).WithOutput(Prediction.Score).WithSeed(3), null);

    private static LossBatch Batch(IKernel kernel, int count = 3)
    {
        var x = new Batch(count, 2);
        for (var i = 0; i < x.Values.Length; i++) x.Values[i] = 0.37 + 0.25 * i;
        return new LossBatch(x, Enumerable.Repeat(0.37, count).ToArray(), Enumerable.Repeat(2.5, count).ToArray(), kernel, new NoiseSource(4), 0, 0);
    }

    [Fact]
    public void Weightings_check_their_arguments()
    {
        Contract.Null("kernel", () => _ = new MinSnrWeighting(null!, 2.5));
        foreach (var bad in new[] { 0.0, -0.37, double.NaN, double.PositiveInfinity })
            Contract.Refused<ArgumentOutOfRangeException>("gamma", "γ must be positive and finite.", () => _ = new MinSnrWeighting(Vp, bad));
        Assert.Equal(1e-300, new MinSnrWeighting(Vp, 1e-300).Gamma);
        Assert.Equal(2.5, new MinSnrWeighting(Vp, 2.5).Gamma);
        Contract.Null("kernel", () => _ = new SnrWeighting(null!));
        Contract.Null("kernel", () => _ = new SigmaSquaredWeighting(null!));
        Contract.Null("sde", () => _ = new LikelihoodWeighting(null!));
        Assert.Equal("snr", new SnrWeighting(Vp).Name);
        Assert.Equal("sigma2", new SigmaSquaredWeighting(Vp).Name);
        Assert.Equal("likelihood", new LikelihoodWeighting(Vp).Name);
    }

    [Fact]
    public void UniformTimeSampling_checks_its_interval()
    {
        foreach (var (s, e) in new[] { (double.NaN, 1.0), (0.37, double.NaN), (0.37, double.PositiveInfinity), (double.NegativeInfinity, 1.0), (0.37, 0.37), (0.5, 0.37), (-0.25, 1.0) })
            Contract.Refused<ArgumentOutOfRangeException>("start", Interval(s, e), () => _ = new UniformTimeSampling(s, e));
        Assert.Equal(0.0, new UniformTimeSampling(0.0, 2.5).Start);
        Assert.Equal(0.38, new UniformTimeSampling(0.37, 0.38).End);
    }

    [Fact]
    public void FixedTimeSampling_checks_the_time()
    {
        foreach (var bad in new[] { -0.25, double.NaN, double.PositiveInfinity })
            Contract.Refused<ArgumentOutOfRangeException>("time", "The time must be finite and >= 0.", () => _ = new FixedTimeSampling(bad));
        Assert.Equal(0.0, new FixedTimeSampling(0.0).Time);
        Assert.Equal(0.37, new FixedTimeSampling(0.37).Time);
    }

    [Fact]
    public void ImportanceTimeSampling_checks_its_arguments()
    {
        Contract.Null("kernel", () => _ = new ImportanceTimeSampling(null!, 0.1, 1, 8));
        foreach (var (s, e) in new[] { (double.NaN, 1.0), (0.37, double.NaN), (0.37, double.PositiveInfinity), (0.37, 0.37), (0.5, 0.37), (-0.25, 1.0) })
            Contract.Refused<ArgumentOutOfRangeException>("start", Interval(s, e), () => _ = new ImportanceTimeSampling(Rising, s, e, 8));
        Contract.Guard("cells", () => _ = new ImportanceTimeSampling(Rising, 0.1, 1, 1));
        Assert.Equal(0.0, new ImportanceTimeSampling(Rising, 0.0, 1, 2).Start);
        // σ_0 = 0: 1/σ² is infinite; σ = ∞: 1/σ² integrates to 0.
        Contract.Refused<ArgumentException>("kernel", $"1/σ² is not integrable on [{0.0}, {1.0}]; raise t_ε.",
            () => _ = new ImportanceTimeSampling(new NnFuncKernel(_ => 1, t => t), 0.0, 1.0, 8));
        Contract.Refused<ArgumentException>("kernel", $"1/σ² is not integrable on [{0.1}, {1.0}]; raise t_ε.",
            () => _ = new ImportanceTimeSampling(new NnFuncKernel(_ => 1, _ => double.PositiveInfinity), 0.1, 1.0, 8));
        Assert.Equal(1.0, new ImportanceTimeSampling(new NnFuncKernel(_ => 1, t => t), 0.1, 1.0, 8).End);
    }

    [Fact]
    public void LogNormalTimeSampling_checks_its_arguments()
    {
        Contract.Null("kernel", () => _ = new LogNormalTimeSampling(null!, 0.1, 1, -1.2, 1.2));
        foreach (var (s, e) in new[] { (double.NaN, 1.0), (0.37, double.PositiveInfinity), (0.37, 0.37), (0.5, 0.37), (-0.25, 1.0) })
            Contract.Refused<ArgumentOutOfRangeException>("start", Interval(s, e), () => _ = new LogNormalTimeSampling(Rising, s, e, -1.2, 1.2));
        foreach (var bad in new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity })
            Contract.Refused<ArgumentOutOfRangeException>("mean", "Must be finite.", () => _ = new LogNormalTimeSampling(Rising, 0.1, 1, bad, 1.2));
        foreach (var bad in new[] { 0.0, -0.37, double.NaN, double.PositiveInfinity })
            Contract.Refused<ArgumentOutOfRangeException>("std", "Must be positive.", () => _ = new LogNormalTimeSampling(Rising, 0.1, 1, -1.2, bad));
        var falling = new NnFuncKernel(_ => 1, t => 2.0 - t);
        Contract.Refused<ArgumentException>("kernel", $"σ_t must increase on [{0.1}, {1.0}] (σ({0.1}) = {falling.Sigma(0.1)}, σ({1.0}) = {falling.Sigma(1.0)}).",
            () => _ = new LogNormalTimeSampling(falling, 0.1, 1, -1.2, 1.2));
        var flat = new NnFuncKernel(_ => 1, _ => 0.37);
        Contract.Refused<ArgumentException>("kernel", $"σ_t must increase on [{0.1}, {1.0}] (σ({0.1}) = {0.37}, σ({1.0}) = {0.37}).",
            () => _ = new LogNormalTimeSampling(flat, 0.1, 1, -1.2, 1.2));
        var ok = new LogNormalTimeSampling(Rising, 0.0, 1, -1.2, 1e-300);
        Assert.Equal((0.0, -1.2, 1e-300), (ok.Start, ok.Mean, ok.Std));
    }

    [Fact]
    public void NoiseLevelTimeSampling_checks_its_arguments()
    {
        Contract.Null("kernel", () => _ = new NoiseLevelTimeSampling(null!, 0.1, 1, 4, 0.7, 1.2));
        Contract.Guard("levels", () => _ = new NoiseLevelTimeSampling(Rising, 0.1, 1, 0, 0.7, 1.2));
        Assert.Single(new NoiseLevelTimeSampling(Rising, 0.1, 1, 1, 0.7, 1.2).Times);
        foreach (var (lo, hi) in new[] { (0.0, 1.2), (-0.7, 1.2), (double.NaN, 1.2), (1.2, 0.7), (0.7, double.NaN), (0.7, double.PositiveInfinity) })
            Contract.Refused<ArgumentOutOfRangeException>("sigmaMin", $"Need 0 < sigmaMin <= sigmaMax, got {lo}, {hi}.", () => _ = new NoiseLevelTimeSampling(Rising, 0.1, 1, 4, lo, hi));
        var falling = new NnFuncKernel(_ => 1, t => 2.0 - t);
        Contract.Refused<ArgumentException>("kernel", $"σ_t must increase on [{0.1}, {1.0}] (σ({0.1}) = {falling.Sigma(0.1)}, σ({1.0}) = {falling.Sigma(1.0)}).",
            () => _ = new NoiseLevelTimeSampling(falling, 0.1, 1, 4, 0.7, 1.2));
        var flat = new NnFuncKernel(_ => 1, _ => 0.37);
        Contract.Refused<ArgumentException>("kernel", $"σ_t must increase on [{0.1}, {1.0}] (σ({0.1}) = {0.37}, σ({1.0}) = {0.37}).",
            () => _ = new NoiseLevelTimeSampling(flat, 0.1, 1, 4, 0.37, 0.37));

        // σ on [0.1, 1] is [0.6, 1.5] (up to rounding), with a relative tolerance of 1e-12 at each end.
        var lowest = Rising.Sigma(0.1);
        var highest = Rising.Sigma(1.0);
        string Outside(double lo, double hi) => $"Levels [{lo}, {hi}] are outside the kernel's σ range [{lowest}, {highest}] on [{0.1}, {1.0}].";
        Contract.Refused<ArgumentOutOfRangeException>("sigmaMin", Outside(0.5, 1.2), () => _ = new NoiseLevelTimeSampling(Rising, 0.1, 1, 4, 0.5, 1.2));
        Contract.Refused<ArgumentOutOfRangeException>("sigmaMin", Outside(0.7, 1.6), () => _ = new NoiseLevelTimeSampling(Rising, 0.1, 1, 4, 0.7, 1.6));
        var bottom = lowest * (1 - 1e-12);
        var top = highest * (1 + 1e-12);
        Assert.Equal(4, new NoiseLevelTimeSampling(Rising, 0.1, 1, 4, bottom, top).Times.Length);
        Assert.Equal(3, new NoiseLevelTimeSampling(Rising, 0.1, 1, 3, 0.9, 0.9).Times.Length);
    }

    [Fact]
    public void HutchinsonProbes_check_their_arguments()
    {
        var destination = new Batch(3, 2);
        Contract.Refused<ArgumentOutOfRangeException>("kind", "Unknown probe kind.", () => HutchinsonProbes.Fill((ProbeKind)7, new NoiseSource(4), 0, 0, destination));
        HutchinsonProbes.Fill(ProbeKind.Gaussian, new NoiseSource(4), 0, 0, destination);
        Assert.NotEqual(0.0, destination.Values[0]);
        Contract.Null("tape", () => HutchinsonProbes.Draw(null!, ProbeKind.Rademacher, new NoiseSource(4), 0, 0, 3, 2));
        Assert.Equal(1.0, Math.Abs(HutchinsonProbes.Draw(new Tape(), ProbeKind.Rademacher, new NoiseSource(4), 0, 0, 3, 2)[2, 1]));
    }

    [Fact]
    public void LossBatch_checks_its_arguments()
    {
        var x = new Batch(3, 2);
        var k = Vp;
        var n = new NoiseSource(4);
        Contract.Null("times", () => _ = new LossBatch(x, null!, new double[3], k, n, 0, 0));
        Contract.Null("weights", () => _ = new LossBatch(x, new double[3], null!, k, n, 0, 0));
        Contract.Null("kernel", () => _ = new LossBatch(x, new double[3], new double[3], null!, n, 0, 0));
        Contract.Refused<ArgumentException>("times", "2 times for 3 rows.", () => _ = new LossBatch(x, new double[2], new double[3], k, n, 0, 0));
        Contract.Refused<ArgumentException>("weights", "2 weights for 3 rows.", () => _ = new LossBatch(x, new double[3], new double[2], k, n, 0, 0));
        Assert.Equal(3, new LossBatch(x, new double[3], new double[3], k, n, 0, 0).Count);
        Assert.Equal(3, new LossBatch(x, new double[4], new double[4], k, n, 0, 0).Count);
    }

    [Fact]
    public void PerturbedSamples_check_the_tape_the_batch_and_the_kernel()
    {
        var tape = new Tape();
        Contract.Null("tape", () => PerturbedSamples.Draw(null!, Batch(Vp), false));
        Contract.Null("batch", () => PerturbedSamples.Draw(tape, null!, false));
        foreach (var (a, s) in new[] { (double.NaN, 0.5), (double.PositiveInfinity, 0.5), (0.9, double.NaN), (0.9, double.PositiveInfinity), (0.9, -0.5) })
            Contract.Refused<ArgumentException>("batch", $"The kernel gives alpha = {a}, sigma = {s} at t = {0.37}.",
                () => PerturbedSamples.Draw(tape, Batch(new NnFuncKernel(_ => a, _ => s)), false));
        var p = PerturbedSamples.Draw(tape, Batch(new NnFuncKernel(_ => 0.5, _ => 0.0)), true);
        Assert.Equal(0.5 * 0.37, p.X[0, 0], 12);
        Assert.True(p.X.RequiresGrad);
    }

    [Fact]
    public void Losses_check_their_arguments()
    {
        var model = Model();
        var tape = new Tape();
        var batch = Batch(Vp);
        Contract.Null("model", () => new ExplicitScoreMatchingLoss().Loss(tape, null!, batch));
        Contract.Null("model", () => new ImplicitScoreMatchingLoss().Loss(tape, null!, batch));
        Contract.Null("model", () => new SlicedScoreMatchingLoss(1, ProbeKind.Rademacher).Loss(tape, null!, batch));
        Contract.Null("model", () => new DenoisingScoreMatchingLoss(Prediction.Score).Loss(tape, null!, batch));
        Contract.Null("batch", () => new ExplicitScoreMatchingLoss().Loss(tape, model, null!));

        Contract.Refused<ArgumentException>("batch", "Explicit score matching needs the exact score of p_t (LossBatch.ExactScore).",
            () => new ExplicitScoreMatchingLoss().Loss(tape, model, batch));
        var exact = new ExactNoisedScore(GaussianMixture.Isotropic([1.0], [[0.37, 2.5]], [0.5]), Vp);
        Assert.True(double.IsFinite(new ExplicitScoreMatchingLoss().Loss(tape, model, batch with { ExactScore = exact }).Scalar));

        Contract.Guard("probes", () => _ = new SlicedScoreMatchingLoss(0, ProbeKind.Rademacher));
        Contract.Refused<ArgumentOutOfRangeException>("kind", "Unknown probe kind.", () => _ = new SlicedScoreMatchingLoss(1, (ProbeKind)7));
        var ssm = new SlicedScoreMatchingLoss(1, ProbeKind.Gaussian);
        Assert.Equal((1, ProbeKind.Gaussian), (ssm.Probes, ssm.Kind));

        Contract.Refused<ArgumentOutOfRangeException>("target", "Unknown prediction.", () => _ = new DenoisingScoreMatchingLoss((Prediction)9));
        Assert.Equal("v", new DenoisingScoreMatchingLoss(Prediction.Velocity).Name);
    }

    [Fact]
    public void ExactDivergence_checks_its_arguments()
    {
        var tape = new Tape();
        var x = tape.Variable(new double[] { 0.37, 2.5, 0.5, 1.5 }, 2, 2);
        var s = tape.Square(x);
        Contract.Null("tape", () => ImplicitScoreMatchingLoss.ExactDivergence(null!, s, x));
        Contract.Null("s", () => ImplicitScoreMatchingLoss.ExactDivergence(tape, null!, x));
        Contract.Null("x", () => ImplicitScoreMatchingLoss.ExactDivergence(tape, s, null!));
        var constant = tape.Constant(new double[] { 0.37, 2.5, 0.5, 1.5 }, 2, 2);
        Contract.Refused<ArgumentException>("x", "x must be a tape variable to differentiate with respect to it.",
            () => ImplicitScoreMatchingLoss.ExactDivergence(tape, tape.Square(constant), constant));
        var divergence = ImplicitScoreMatchingLoss.ExactDivergence(tape, s, x, createGraph: false);
        Assert.Equal(2 * (0.37 + 2.5), divergence[0, 0], 12);
    }
}
