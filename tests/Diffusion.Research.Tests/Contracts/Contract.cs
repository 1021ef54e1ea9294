using System.Runtime.Intrinsics;
using Diffusion.Research.Data;
using Diffusion.Research.Numerics;
using Diffusion.Research.Registries;

namespace Diffusion.Research.Tests.Contracts;

/// <summary>Assertions shared by the contract tests (Contracts/*): the exact exception type, its parameter name and the
/// start of its message.</summary>
internal static class Contract
{
    public static T Refused<T>(Action call, string? parameter, string message)
        where T : Exception
    {
        var e = Assert.Throws<T>(call);
        if (e is ArgumentException a) Assert.Equal(parameter, a.ParamName);
        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
        return e;
    }

    /// <summary>The same, arguments in the order (parameter, message, call).</summary>
    public static T Refused<T>(string? parameter, string message, Action call)
        where T : Exception => Refused<T>(call, parameter, message);

    /// <summary>An ArgumentNullException naming <paramref name="parameter"/>.</summary>
    public static void Null(string parameter, Action call) => Null(call, parameter);

    /// <summary>An ArgumentOutOfRangeException naming <paramref name="parameter"/> (the built-in ThrowIf… guards).</summary>
    public static void Guard(string parameter, Action call) => Guard(call, parameter);

    /// <summary>An InvalidOperationException whose message starts with <paramref name="message"/>.</summary>
    public static void Invalid(string message, Action call) =>
        Assert.StartsWith(message, Assert.Throws<InvalidOperationException>(call).Message, StringComparison.Ordinal);

    public static ArgumentException Argument(Action call, string? parameter, string message) =>
        Refused<ArgumentException>(call, parameter, message);

    public static ArgumentOutOfRangeException OutOfRange(Action call, string parameter, string message) =>
        Refused<ArgumentOutOfRangeException>(call, parameter, message);

    public static ArgumentNullException Null(Action call, string parameter)
    {
        var e = Assert.Throws<ArgumentNullException>(call);
        Assert.Equal(parameter, e.ParamName);
        return e;
    }

    /// <summary>A ParameterException of the registry with its key and its whole message.</summary>
    public static void Parameter(Action call, string key, string message)
    {
        var e = Assert.Throws<ParameterException>(call);
        Assert.Equal(key, e.Key);
        Assert.Equal(key, e.ParamName);
        Assert.Equal(message, e.Message);
    }

    /// <summary>The built-in ThrowIfNegative / ThrowIfNegativeOrZero guards: type and parameter name.</summary>
    public static void Guard(Action call, string parameter)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(call);
        Assert.Equal(parameter, e.ParamName);
    }

    /// <summary>The VP SDE of Song et al. 2021 (β 0.1 → 20), shared by the solver contracts.</summary>
    public static readonly Diffusion.Research.Sde.VpSde Vp = Diffusion.Research.Sde.VpSde.Linear();

    /// <summary>The reverse-time problem of 8gaussians under <see cref="Vp"/> with the exact score, at family parameter l = <paramref name="lambda"/>.</summary>
    public static Diffusion.Research.Sampling.SamplingProblem ReverseProblem(double lambda) =>
        Diffusion.Research.Sampling.SamplingProblem.Reverse(Vp, new Diffusion.Research.Scores.ExactNoisedScore(ToyData.EightGaussians(), Vp.Kernel!), lambda);

    public static readonly double[] NonFinite = [double.NaN, double.PositiveInfinity, double.NegativeInfinity];

    /// <summary>0, a negative, NaN and +infinity: each part of a "finite and positive" check alone.</summary>
    public static readonly double[] NotPositive = [0.0, -0.37, double.NaN, double.PositiveInfinity];

    public static double[,] Rotation(double angle) =>
        new[,] { { Math.Cos(angle), -Math.Sin(angle) }, { Math.Sin(angle), Math.Cos(angle) } };
}
