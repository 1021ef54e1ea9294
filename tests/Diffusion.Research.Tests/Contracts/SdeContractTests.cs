using Diffusion.Research.Data;
using Diffusion.Research.Kernels;
using Diffusion.Research.Numerics;
using Diffusion.Research.Scores;
using Diffusion.Research.Sde;

namespace Diffusion.Research.Tests.Contracts;

/// <summary>Shared assertions of the Sde contract tests.</summary>
internal static class SdeContract
{
    /// <summary>A time just outside [0, T] (beyond the relative 1e-12 slack) is refused by name with the horizon in the
    /// message; the ends of the slack themselves, 0 and T are accepted.</summary>
    public static void TimeChecked(Func<double, double> method, double horizon)
    {
        var message = $"Time must lie in [0, {horizon}].";
        foreach (var t in new[] { -1e-9, horizon * (1 + 1e-9), double.NaN, -horizon, 2 * horizon })
        {
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => method(t));
            Assert.Equal("t", e.ParamName);
            Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
        }
        method(-1e-12 * horizon);
        method(horizon * (1 + 1e-12));
        method(0.0);
        Assert.True(double.IsFinite(method(0.37 * horizon)));
        method(horizon);
    }

    /// <summary>Every time-dependent method of a linear SDE with a closed-form kernel checks its time against T = 1, and
    /// its drift the shapes of its batches.</summary>
    public static void LinearMethodsChecked<T>(T sde)
        where T : ILinearSde, IKernel
    {
        TimeChecked(sde.DriftCoefficient, 1.0);
        TimeChecked(sde.Diffusion, 1.0);
        TimeChecked(sde.Alpha, 1.0);
        TimeChecked(sde.Sigma, 1.0);
        DriftShapeChecked((x, d) => sde.Drift(0.37, x, d));
    }

    /// <summary>RequirePositive: 0, a negative, NaN and ±infinity are refused by name; the smallest positive double is not.</summary>
    public static void PositiveChecked(Func<double, object> create, string name)
    {
        foreach (var value in new[] { 0.0, -0.37, double.NaN, double.PositiveInfinity, double.NegativeInfinity })
        {
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => create(value));
            Assert.Equal(name, e.ParamName);
            Assert.StartsWith("Must be finite and > 0.", e.Message, StringComparison.Ordinal);
        }
    }

    public static void DriftShapeChecked(Action<Batch, Batch> drift)
    {
        var e = Assert.Throws<ArgumentException>(() => drift(new Batch(3, 2), new Batch(3, 1)));
        Assert.Equal("destination", e.ParamName);
        Assert.StartsWith("Batch 'destination' is 3 x 1, expected 3 x 2.", e.Message, StringComparison.Ordinal);
        var rows = Assert.Throws<ArgumentException>(() => drift(new Batch(3, 2), new Batch(2, 2)));
        Assert.Equal("destination", rows.ParamName);
        var x = Batch.FromRows([[0.37, 2.5], [0.25, -0.5]]);
        var d = new Batch(2, 2);
        drift(x, d);
        Assert.True(d.IsFinite());
    }
}

public class SdeVeContractTests
{
    [Fact]
    public void ConstructorRefusesBadSigmas()
    {
        SdeContract.PositiveChecked(v => new VeSde(v, 2.5), "sigmaMin");
        SdeContract.PositiveChecked(v => new VeSde(0.37, v), "sigmaMax");
        var equal = Assert.Throws<ArgumentOutOfRangeException>(() => new VeSde(0.37, 0.37));
        Assert.Equal("sigmaMax", equal.ParamName);
        Assert.StartsWith($"sigma_max must exceed sigma_min = {0.37}.", equal.Message, StringComparison.Ordinal);
        var below = Assert.Throws<ArgumentOutOfRangeException>(() => new VeSde(2.5, 0.37));
        Assert.Equal("sigmaMax", below.ParamName);
        Assert.StartsWith($"sigma_max must exceed sigma_min = {2.5}.", below.Message, StringComparison.Ordinal);

        Assert.Equal(double.Epsilon, new VeSde(double.Epsilon, 2.5).SigmaMin);
        Assert.Equal(Math.BitIncrement(0.37), new VeSde(0.37, Math.BitIncrement(0.37)).SigmaMax);
    }

    [Fact]
    public void MethodsRefuseTimesOutsideTheHorizon()
    {
        var sde = new VeSde(0.37, 2.5);
        SdeContract.TimeChecked(sde.NoiseScale, 1.0);
        SdeContract.LinearMethodsChecked(sde);
    }
}

public class SdeVpContractTests
{
    [Fact]
    public void ConstructorsRefuseANullSchedule()
    {
        Assert.Equal("schedule", Assert.Throws<ArgumentNullException>(() => new VpSde(null!)).ParamName);
        Assert.Equal("schedule", Assert.Throws<ArgumentNullException>(() => new SubVpSde(null!)).ParamName);
        var schedule = new LinearBetaSchedule(0.37, 2.5);
        Assert.Same(schedule, new VpSde(schedule).Schedule);
        Assert.Same(schedule, new SubVpSde(schedule).Schedule);
    }

    [Fact]
    public void VpMethodsRefuseTimesOutsideTheHorizon()
    {
        SdeContract.LinearMethodsChecked(VpSde.Linear(0.37, 2.5));
    }

    [Fact]
    public void SubVpMethodsRefuseTimesOutsideTheHorizon()
    {
        SdeContract.LinearMethodsChecked(SubVpSde.Linear(0.37, 2.5));
    }
}

public class SdeBetaScheduleContractTests
{
    [Fact]
    public void LinearRefusesNegativeOrDecreasingBetas()
    {
        foreach (var value in new[] { -0.37, double.NaN, double.PositiveInfinity, double.NegativeInfinity })
        {
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => new LinearBetaSchedule(value, 2.5));
            Assert.Equal("betaMin", e.ParamName);
            Assert.StartsWith("Must be finite and >= 0.", e.Message, StringComparison.Ordinal);
        }
        SdeContract.PositiveChecked(v => new LinearBetaSchedule(0.0, v), "betaMax");
        var decreasing = Assert.Throws<ArgumentOutOfRangeException>(() => new LinearBetaSchedule(2.5, 0.37));
        Assert.Equal("betaMax", decreasing.ParamName);
        Assert.StartsWith($"beta_max must be >= beta_min = {2.5}.", decreasing.Message, StringComparison.Ordinal);

        Assert.Equal(0.0, new LinearBetaSchedule(0.0, 0.37).BetaMin);
        var flat = new LinearBetaSchedule(0.37, 0.37);
        Assert.Equal(0.37, flat.Beta(0.5));
        Assert.Equal(double.Epsilon, new LinearBetaSchedule(0.0, double.Epsilon).BetaMax);
    }

    [Fact]
    public void CosineRefusesBadOffsetsAndClipsBelowTheStart()
    {
        SdeContract.PositiveChecked(v => new CosineBetaSchedule(v, 999.0), "s");
        SdeContract.PositiveChecked(v => new CosineBetaSchedule(0.37, v), "betaMax");
        const double s = 0.37;
        var rate = Math.PI / (2 * (1 + s));
        var beta0 = 2 * rate * Math.Tan(s * rate);
        var at = Assert.Throws<ArgumentOutOfRangeException>(() => new CosineBetaSchedule(s, beta0));
        Assert.Equal("betaMax", at.ParamName);
        Assert.StartsWith($"beta_max must exceed beta(0) = {beta0}.", at.Message, StringComparison.Ordinal);
        var below = Assert.Throws<ArgumentOutOfRangeException>(() => new CosineBetaSchedule(s, 0.5 * beta0));
        Assert.Equal("betaMax", below.ParamName);
        Assert.StartsWith($"beta_max must exceed beta(0) = {beta0}.", below.Message, StringComparison.Ordinal);

        var just = new CosineBetaSchedule(s, Math.BitIncrement(beta0));
        Assert.Equal(Math.BitIncrement(beta0), just.BetaMax);
        Assert.Equal(double.Epsilon, new CosineBetaSchedule(double.Epsilon, 2.5).Offset);
    }
}

public class SdeAffineContractTests
{
    private static double Scale(double t) => 1e-8 * Math.Max(1.0, 1.0 * 1.0 / Math.Max(t, 1e-300));

    [Fact]
    public void ConstructorRefusesNullsAndBadHorizons()
    {
        Func<double, double> one = _ => 1.0, identity = u => u;
        Assert.Equal("alpha", Assert.Throws<ArgumentNullException>(() => new AffineSde(null!, identity, 0.0)).ParamName);
        Assert.Equal("sigma", Assert.Throws<ArgumentNullException>(() => new AffineSde(one, null!, 0.0)).ParamName);
        Assert.Equal("name", Assert.Throws<ArgumentNullException>(() => new AffineSde(one, identity, 0.0, name: null!)).ParamName);
        SdeContract.PositiveChecked(t => new AffineSde(one, identity, t), "t");

        var sde = new AffineSde(one, identity, 2.5, name: "toy");
        Assert.Equal("toy", sde.Name);
        Assert.Equal(2.5, sde.T);
    }

    [Fact]
    public void ConstructorRefusesAlphaThatIsNotFiniteAndPositive()
    {
        Func<double, double> identity = u => u;
        foreach (var value in new[] { 0.0, -0.37, double.NaN, double.PositiveInfinity })
        {
            var e = Assert.Throws<ArgumentException>(() => new AffineSde(_ => value, identity, 2.5));
            Assert.Equal("alpha", e.ParamName);
            Assert.StartsWith($"alpha({0.0}) = {value}; alpha_t must be finite and > 0 on [0, T].", e.Message, StringComparison.Ordinal);
        }
        var late = Assert.Throws<ArgumentException>(() => new AffineSde(u => 1 - u, identity, 1.0));
        Assert.StartsWith($"alpha({1.0}) = {0.0}; alpha_t must be finite and > 0 on [0, T].", late.Message, StringComparison.Ordinal);

        Assert.Equal(double.Epsilon, new AffineSde(_ => double.Epsilon, identity, 2.5, _ => 0.0, _ => 1.0).Alpha(0.37));
    }

    [Fact]
    public void ConstructorRefusesSigmaThatIsNegativeNonFiniteOrZeroAfterTheStart()
    {
        Func<double, double> one = _ => 1.0;
        foreach (var value in new[] { -0.37, double.NaN, double.PositiveInfinity })
        {
            var e = Assert.Throws<ArgumentException>(() => new AffineSde(one, _ => value, 2.5));
            Assert.Equal("sigma", e.ParamName);
            Assert.StartsWith($"sigma({0.0}) = {value}; sigma_t must be finite, >= 0, and > 0 for t > 0.", e.Message, StringComparison.Ordinal);
        }
        var zero = Assert.Throws<ArgumentException>(() => new AffineSde(one, _ => 0.0, 1.0));
        Assert.Equal("sigma", zero.ParamName);
        Assert.StartsWith($"sigma({1.0 / 256}) = {0.0}; sigma_t must be finite, >= 0, and > 0 for t > 0.", zero.Message, StringComparison.Ordinal);

        var fromZero = new AffineSde(one, u => u, 2.5, _ => 0.0, _ => 1.0);
        Assert.Equal(0.0, fromZero.Sigma(0.0));
    }

    [Fact]
    public void ConstructorRefusesADecreasingSignalToNoiseRatioBeyondTheTolerance()
    {
        Func<double, double> one = _ => 1.0, zero = _ => 0.0;
        var g2 = 2 * 1.0 * -Scale(0.0) - 2 * (0.0 / 1.0) * 1.0 * 1.0;
        var e = Assert.Throws<ArgumentException>(() => new AffineSde(one, one, 2.5, zero, t => -Scale(t)));
        Assert.Equal("sigma", e.ParamName);
        Assert.StartsWith($"g^2({0.0}) = {g2} < 0: sigma_t^2/alpha_t^2 must be non-decreasing for a real SDE (003 Lemma 4.4.1).", e.Message,
            StringComparison.Ordinal);
        var nan = Assert.Throws<ArgumentException>(() => new AffineSde(one, one, 2.5, zero, _ => double.NaN));
        Assert.Equal("sigma", nan.ParamName);
        Assert.StartsWith($"g^2({0.0}) = {double.NaN} < 0:", nan.Message, StringComparison.Ordinal);

        // g² exactly −tolerance at every check point is still accepted.
        var edge = new AffineSde(one, one, 2.5, zero, t => -0.5 * Scale(t));
        Assert.Equal(1.0, edge.Alpha(0.37));
    }

    [Fact]
    public void FlowMatchingHorizonMustLieStrictlyBetweenZeroAndOne()
    {
        foreach (var t in new[] { 0.0, 1.0, 1.5, -0.37, double.NaN })
        {
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => AffineSde.FlowMatching(t));
            Assert.Equal("t", e.ParamName);
            Assert.StartsWith("The flow-matching horizon T must lie in (0, 1): f and g blow up at t = 1.", e.Message, StringComparison.Ordinal);
        }
        Assert.Equal(0.37, AffineSde.FlowMatching(0.37).T);
        Assert.Equal(Math.BitDecrement(1.0), AffineSde.FlowMatching(Math.BitDecrement(1.0)).T);
    }

    [Fact]
    public void MethodsRefuseTimesOutsideTheHorizon()
    {
        var sde = AffineSde.FlowMatching(0.5);
        SdeContract.TimeChecked(sde.DriftCoefficient, 0.5);
        SdeContract.TimeChecked(sde.Diffusion, 0.5);
        SdeContract.TimeChecked(sde.Alpha, 0.5);
        SdeContract.TimeChecked(sde.Sigma, 0.5);
        SdeContract.DriftShapeChecked((x, d) => sde.Drift(0.37, x, d));
    }
}

public class SdeLinearContractTests
{
    [Fact]
    public void ConstructorRefusesNullsBadHorizonsAndNoNoise()
    {
        Func<double, double> f = _ => -0.37, g = _ => 2.5;
        // t = 0 as well: the SDE's own null checks come before the horizon's.
        Assert.Equal("f", Assert.Throws<ArgumentNullException>(() => new LinearSde(null!, g, 0.0)).ParamName);
        Assert.Equal("g", Assert.Throws<ArgumentNullException>(() => new LinearSde(f, null!, 0.0)).ParamName);
        SdeContract.PositiveChecked(t => new LinearSde(f, g, t), "t");
        var silent = Assert.Throws<ArgumentException>(() => new LinearSde(f, _ => 0.0, 2.5));
        Assert.Equal("g", silent.ParamName);
        Assert.StartsWith("g vanishes on [0, T]: the SDE adds no noise and has no Gaussian prior.", silent.Message, StringComparison.Ordinal);

        var sde = new LinearSde(f, g, 2.5);
        SdeContract.TimeChecked(sde.DriftCoefficient, 2.5);
        SdeContract.TimeChecked(sde.Diffusion, 2.5);
        SdeContract.DriftShapeChecked((x, d) => sde.Drift(0.37, x, d));
    }
}

public class SdeOrnsteinUhlenbeckContractTests
{
    [Fact]
    public void ConstructorRefusesNonPositiveParameters()
    {
        SdeContract.PositiveChecked(v => new OrnsteinUhlenbeckSde(v, 2.5, 2.5), "theta");
        SdeContract.PositiveChecked(v => new OrnsteinUhlenbeckSde(0.37, v, 2.5), "noiseScale");
        SdeContract.PositiveChecked(v => new OrnsteinUhlenbeckSde(0.37, 2.5, v), "t");
        var tiny = new OrnsteinUhlenbeckSde(double.Epsilon, double.Epsilon, double.Epsilon);
        Assert.Equal(double.Epsilon, tiny.T);
    }

    [Fact]
    public void MethodsRefuseTimesOutsideTheHorizon()
    {
        var sde = new OrnsteinUhlenbeckSde(0.37, 2.5, 2.5);
        SdeContract.TimeChecked(sde.DriftCoefficient, 2.5);
        SdeContract.TimeChecked(sde.Diffusion, 2.5);
        SdeContract.TimeChecked(sde.Alpha, 2.5);
        SdeContract.TimeChecked(sde.Sigma, 2.5);
        SdeContract.DriftShapeChecked((x, d) => sde.Drift(0.37, x, d));
    }
}

public class SdeLangevinAndReverseContractTests
{
    /// <summary>A forward SDE whose drift checks nothing, so that the reverse SDE's own shape check is the one observed.</summary>
    private sealed class Silent : ISde
    {
        public double T => 1.0;
        public IKernel? Kernel => null;
        public void Drift(double t, Batch x, Batch destination) { }
        public double Diffusion(double t) => 0.37;
        public IDistribution Prior(int dimension) => Gaussian.Standard(dimension);
    }

    /// <summary>A target whose score checks nothing and writes nothing (see <see cref="Silent"/>).</summary>
    private sealed class Flat : IDistribution
    {
        public int Dimension => 2;
        public void Sample(Batch destination, NoiseSource noise, long firstParticle) { }
        public void LogDensity(Batch x, Span<double> destination) { }
        public void Score(Batch x, Batch destination) { }
    }

    private static readonly AffineScoreField Field = new(new[,] { { -0.37, 0.25 }, { 0.5, -2.5 } }, new[] { 0.25, -0.5 });

    [Fact]
    public void OverdampedLangevinRefusesNullTargetsBadHorizonsAndOtherDimensions()
    {
        var target = Gaussian.Standard(2);
        Assert.Equal("target", Assert.Throws<ArgumentNullException>(() => new OverdampedLangevinSde(null!, 2.5)).ParamName);
        SdeContract.PositiveChecked(t => new OverdampedLangevinSde(target, t), "t");
        var sde = new OverdampedLangevinSde(target, 2.5);
        SdeContract.TimeChecked(sde.Diffusion, 2.5);
        var prior = Assert.Throws<ArgumentException>(() => sde.Prior(3));
        Assert.Equal("dimension", prior.ParamName);
        Assert.StartsWith("The target has dimension 2, not 3.", prior.Message, StringComparison.Ordinal);
        Assert.Same(target, sde.Prior(2));
        SdeContract.DriftShapeChecked((x, d) => sde.Drift(0.37, x, d));
        var flat = new OverdampedLangevinSde(new Flat(), 2.5);
        SdeContract.DriftShapeChecked((x, d) => flat.Drift(0.37, x, d));
        Assert.Equal(double.Epsilon, new OverdampedLangevinSde(target, double.Epsilon).T);
    }

    [Fact]
    public void ReverseSdeRefusesNullsAndBadLambdas()
    {
        var forward = VpSde.Linear(0.37, 2.5);
        Assert.Equal("forward", Assert.Throws<ArgumentNullException>(() => new ReverseSde(null!, Field, 0.37)).ParamName);
        Assert.Equal("score", Assert.Throws<ArgumentNullException>(() => new ReverseSde(forward, null!, 0.37)).ParamName);
        foreach (var lambda in new[] { -0.37, double.NaN, double.PositiveInfinity })
        {
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => new ReverseSde(forward, Field, lambda));
            Assert.Equal("lambda", e.ParamName);
            Assert.StartsWith("The reverse-family parameter l must be finite and >= 0.", e.Message, StringComparison.Ordinal);
        }
        var ode = new ReverseSde(forward, Field, 0.0);
        Assert.Equal(0.0, ode.Diffusion(0.37));
        SdeContract.DriftShapeChecked((x, d) => ode.Drift(0.37, x, d));
        var silent = new ReverseSde(new Silent(), Field, 0.37);
        SdeContract.DriftShapeChecked((x, d) => silent.Drift(0.37, x, d));
    }
}

public class SdeDiscreteContractTests
{
    private static readonly DiscreteBetaSchedule Four = new([0.25, 0.37, 0.5, 0.125]);

    [Fact]
    public void ScheduleRefusesNullShortAndOutOfRangeBetas()
    {
        Assert.Equal("betas", Assert.Throws<ArgumentNullException>(() => new DiscreteBetaSchedule(null!)).ParamName);
        var shortList = Assert.Throws<ArgumentException>(() => new DiscreteBetaSchedule([0.37]));
        Assert.Equal("betas", shortList.ParamName);
        Assert.StartsWith("A discrete schedule needs at least two betas.", shortList.Message, StringComparison.Ordinal);
        foreach (var beta in new[] { -0.01, 1.01, double.NaN, double.NegativeInfinity })
        {
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => new DiscreteBetaSchedule([0.37, beta]));
            Assert.Equal("betas", e.ParamName);
            Assert.StartsWith($"beta_1 = {beta} lies outside [0, 1].", e.Message, StringComparison.Ordinal);
        }

        var edges = new DiscreteBetaSchedule([0.0, 1.0]);
        Assert.Equal(2, edges.Count);
        Assert.Equal(0.0, edges.AlphasCumprod[1]);
    }

    [Fact]
    public void FactoriesNeedAtLeastTwoSteps()
    {
        Assert.Equal("steps", Assert.Throws<ArgumentOutOfRangeException>(() => DiscreteBetaSchedule.Linear(1)).ParamName);
        Assert.Equal("steps", Assert.Throws<ArgumentOutOfRangeException>(() => DiscreteBetaSchedule.ScaledLinear(1)).ParamName);
        Assert.Equal("steps", Assert.Throws<ArgumentOutOfRangeException>(() => DiscreteBetaSchedule.SquaredCosine(1)).ParamName);
        Assert.Equal(2, DiscreteBetaSchedule.Linear(2).Count);
        Assert.Equal(2, DiscreteBetaSchedule.ScaledLinear(2).Count);
        Assert.Equal(2, DiscreteBetaSchedule.SquaredCosine(2).Count);
    }

    [Fact]
    public void TimeOfRefusesIndicesOutsideTheSchedule()
    {
        Assert.Equal("index", Assert.Throws<ArgumentOutOfRangeException>(() => Four.TimeOf(-1)).ParamName);
        Assert.Equal("index", Assert.Throws<ArgumentOutOfRangeException>(() => Four.TimeOf(4)).ParamName);
        Assert.Equal(0.25, Four.TimeOf(0));
        Assert.Equal(1.0, Four.TimeOf(3));
    }

    [Fact]
    public void TimestepsRefusesBadCountsSpacingsAndOffsets()
    {
        foreach (var steps in new[] { 0, 5 })
        {
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => Four.Timesteps(steps, TimestepSpacing.Trailing));
            Assert.Equal("steps", e.ParamName);
            Assert.StartsWith("Need 1 <= steps <= N = 4.", e.Message, StringComparison.Ordinal);
        }
        var spacing = Assert.Throws<ArgumentOutOfRangeException>(() => Four.Timesteps(2, (TimestepSpacing)7));
        Assert.Equal("spacing", spacing.ParamName);
        Assert.StartsWith("Unknown spacing.", spacing.Message, StringComparison.Ordinal);
        var low = Assert.Throws<ArgumentOutOfRangeException>(() => Four.Timesteps(2, TimestepSpacing.Leading, -1));
        Assert.Equal("offset", low.ParamName);
        Assert.StartsWith("Timestep -1 lies outside 0..3.", low.Message, StringComparison.Ordinal);
        var high = Assert.Throws<ArgumentOutOfRangeException>(() => Four.Timesteps(2, TimestepSpacing.Leading, 2));
        Assert.Equal("offset", high.ParamName);
        Assert.StartsWith("Timestep 4 lies outside 0..3.", high.Message, StringComparison.Ordinal);

        Assert.Equal(new[] { 0 }, Four.Timesteps(1, TimestepSpacing.Linspace));
        Assert.Equal(new[] { 3, 2, 1, 0 }, Four.Timesteps(4, TimestepSpacing.Trailing));
        Assert.Equal(new[] { 2, 0 }, Four.Timesteps(2, TimestepSpacing.Leading));
        Assert.Equal(new[] { 3, 1 }, Four.Timesteps(2, TimestepSpacing.Leading, 1));
    }

    [Fact]
    public void KernelRefusesNullAndZeroTerminalSnrSchedules()
    {
        Assert.Equal("schedule", Assert.Throws<ArgumentNullException>(() => new DiscreteTimeKernel(null!)).ParamName);
        var zero = Assert.Throws<ArgumentException>(() => new DiscreteTimeKernel(new DiscreteBetaSchedule([0.37, 1.0])));
        Assert.Equal("schedule", zero.ParamName);
        Assert.StartsWith($"alpha_bar_1 = {0.0}: the continuous-time kernel needs alpha_bar > 0 (zero-terminal-SNR schedules end at alpha = 0).",
            zero.Message, StringComparison.Ordinal);
        var almost = new DiscreteTimeKernel(new DiscreteBetaSchedule([0.37, Math.BitDecrement(1.0)]));
        Assert.True(almost.Alpha(1.0) > 0);
    }

    [Fact]
    public void KernelRefusesTimesOutsideItsInterval()
    {
        var kernel = new DiscreteTimeKernel(Four);
        foreach (var t in new[] { Math.BitDecrement(0.25), Math.BitIncrement(1.0), double.NaN, 0.0, 2.5 })
        {
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => kernel.Alpha(t));
            Assert.Equal("t", e.ParamName);
            Assert.StartsWith($"t must lie in [1/N, 1] = [{0.25}, 1].", e.Message, StringComparison.Ordinal);
        }
        Assert.Equal(Math.Sqrt(Four.AlphasCumprod[0]), kernel.Alpha(0.25), 1e-13);
        Assert.Equal(Math.Sqrt(Four.AlphasCumprod[3]), kernel.Alpha(1.0), 1e-13);
        Assert.Throws<ArgumentOutOfRangeException>(() => kernel.Sigma(0.0));
    }
}
