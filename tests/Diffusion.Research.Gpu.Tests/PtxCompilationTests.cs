namespace Diffusion.Research.Gpu.Tests;

/// <summary>
/// The fused kernels compile to PTX (asked for sm_90 with PTX ISA 8.0; ILGPU 1.5.3 emits .target sm_80 code for that ISA, which Hopper runs) here, without a GPU: the CUDA back end's own
/// front end and code generator run, so a construct CUDA cannot take (an unsupported intrinsic, a managed type, a
/// dynamic local array) fails in CI rather than on the first device run.
/// </summary>
public sealed class PtxCompilationTests
{
    [Theory]
    [InlineData(nameof(TrajectoryKernels.EulerMaruyama))]
    [InlineData(nameof(TrajectoryKernels.RungeKutta))]
    [InlineData(nameof(TrajectoryKernels.GaussianStep))]
    [InlineData(nameof(TrajectoryKernels.StochasticHeun))]
    [InlineData(nameof(TrajectoryKernels.DpmSolver2))]
    [InlineData(nameof(TrajectoryKernels.Edm))]
    [InlineData(nameof(TrajectoryKernels.AnnealedLangevin))]
    [InlineData(nameof(PredictorCorrectorKernels.Predict))]
    [InlineData(nameof(PredictorCorrectorKernels.CorrectorScores))]
    [InlineData(nameof(PredictorCorrectorKernels.CorrectorUpdate))]
    public void KernelCompilesToPtxForSm90(string name)
    {
        var ptx = Compile(name, typeof(DeviceMixtureScore));
        Assert.Contains(".target sm_", ptx);
        Assert.Contains(".entry", ptx);
        Assert.Contains("f64", ptx);
        ptx = Compile(name, typeof(DeviceMlpScore));
        Assert.Contains(".target sm_", ptx);
        Assert.Contains(".entry", ptx);
        Assert.Contains("f64", ptx); // float64 arithmetic throughout
    }

    /// <summary>The grouped kernels of the tiled MLP score (the seven fused methods, the predictor and the corrector's
    /// scores): one 36 KiB shared block (inside CUDA's 48 KiB of static shared
    /// memory per block), one barrier per meeting point, and the register tile in registers (no per-thread array beyond
    /// the particle's own vectors).</summary>
    [Theory]
    [InlineData(DeviceMethod.EulerMaruyama)]
    [InlineData(DeviceMethod.RungeKutta)]
    [InlineData(DeviceMethod.GaussianStep)]
    [InlineData(DeviceMethod.StochasticHeun)]
    [InlineData(DeviceMethod.DpmSolver2)]
    [InlineData(DeviceMethod.Edm)]
    [InlineData(DeviceMethod.AnnealedLangevin)]
    [InlineData(DeviceMethod.PredictorCorrector)]
    [InlineData(DeviceMethod.CorrectorScores)]
    public void GroupedKernelCompilesToPtxForSm90(DeviceMethod method)
    {
        var ptx = PtxListing.CompileGrouped(method, typeof(DeviceTiledMlpScore));
        Assert.Contains(".entry", ptx);
        Assert.Contains("bar.sync", ptx);
        var shared = System.Text.RegularExpressions.Regex.Matches(ptx, @"\.shared\s+\.align\s+\d+\s+\.b8\s+\S+\[(\d+)\]");
        Assert.Single(shared);
        Assert.Equal(DeviceLimits.GroupShared * sizeof(double), int.Parse(shared[0].Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(DeviceLimits.GroupShared * sizeof(double) <= 48 * 1024);
    }

    private static string Compile(string name, Type score) => PtxListing.Compile(name, score);
}
