using ILGPU;

namespace Diffusion.Research.Gpu.Tests;

/// <summary>Kernels that expose the device draws: thread i writes draws 2·block, 2·block+1 of (stream, particle) row i.</summary>
internal static class NoiseKernels
{
    public static void Uniforms(Index1D i, ArrayView<long> particles, ArrayView<int> blocks, ArrayView<double> output, ulong seed, uint stream)
    {
        DevicePhilox.UniformPair(seed, stream, particles[i], blocks[i], out var u0, out var u1);
        output[2 * i.X] = u0;
        output[2 * i.X + 1] = u1;
    }

    public static void Gaussians(Index1D i, ArrayView<long> particles, ArrayView<int> blocks, ArrayView<double> output, ulong seed, uint stream)
    {
        DevicePhilox.GaussianPair(seed, stream, particles[i], blocks[i], MathConstants.Taylor, out var z0, out var z1);
        output[2 * i.X] = z0;
        output[2 * i.X + 1] = z1;
    }
}
