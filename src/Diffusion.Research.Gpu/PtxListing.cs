using ILGPU;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.PTX;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;

namespace Diffusion.Research.Gpu;

/// <summary>
/// The PTX that ILGPU's CUDA back end emits for a fused kernel, without a GPU (for the CI compilation tests and for
/// reading the generated code in performance work: scripts/gpu-profile.sh).
/// </summary>
public static class PtxListing
{
    /// <summary>The PTX of the kernel <paramref name="kernel"/> (a method name of <see cref="TrajectoryKernels"/> or
    /// <see cref="PredictorCorrectorKernels"/>) specialised for the score type <paramref name="score"/>, for sm_90.</summary>
    public static string Compile(string kernel, Type score)
    {
        ArgumentNullException.ThrowIfNull(score);
        var method = (typeof(TrajectoryKernels).GetMethod(kernel) ?? typeof(PredictorCorrectorKernels).GetMethod(kernel))
            ?? throw new ArgumentException($"no kernel named '{kernel}'", nameof(kernel));
        return Compile(EntryPointDescription.FromImplicitlyGroupedKernel(method.MakeGenericMethod(score)));
    }

    /// <summary>The PTX of the explicitly grouped kernel of <paramref name="method"/> (<see cref="TrajectoryKernels.Grouped{TScore}"/>)
    /// for the group score type <paramref name="score"/>, for sm_90.</summary>
    public static string CompileGrouped(DeviceMethod method, Type score)
    {
        ArgumentNullException.ThrowIfNull(score);
        var grouped = typeof(TrajectoryKernels).GetMethod(nameof(TrajectoryKernels.Grouped), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;
        var body = (Delegate)grouped.MakeGenericMethod(score).Invoke(null, [method])!;
        return Compile(EntryPointDescription.FromExplicitlyGroupedKernel(body.Method));
    }

    private static string Compile(EntryPointDescription entry)
    {
        using var context = Context.Create(b => b.Cuda().Optimize(OptimizationLevel.O2));
        using var backend = new PTXBackend(context, CudaArchitecture.SM_90, CudaInstructionSet.ISA_80, null!);
        var compiled = (PTXCompiledKernel)backend.Compile(entry, KernelSpecialization.Empty);
        return compiled.PTXAssembly;
    }
}
