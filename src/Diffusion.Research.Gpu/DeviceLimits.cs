namespace Diffusion.Research.Gpu;

/// <summary>Compile-time sizes of the per-thread arrays of the fused kernels (ILGPU local arrays need constant lengths).</summary>
public static class DeviceLimits
{
    /// <summary>Largest dimension D a fused kernel handles.</summary>
    public const int MaxDimension = 16;

    /// <summary>Largest number of mixture components K of the exact score on the device.</summary>
    public const int MaxComponents = 64;

    /// <summary>Largest number of Runge–Kutta stages (RK4 has 4).</summary>
    public const int MaxStages = 4;

    /// <summary>Largest hidden width of an MLP score on the device.</summary>
    public const int MaxWidth = 128;

    /// <summary>Largest time-embedding size of an MLP score on the device.</summary>
    public const int MaxEmbedding = 64;

    /// <summary>Per-thread scratch doubles handed to a score: the mixture's logits and one rotated vector, or the MLP's
    /// input row and two activation rows.</summary>
    public const int ScoreScratch = MaxDimension + MaxEmbedding + 2 * MaxWidth;

    /// <summary>Particles per thread group of the grouped kernels (<see cref="IGroupScore"/>): a multiple of
    /// <see cref="DeviceTiledMlpScore.TileParticles"/>.</summary>
    public const int GroupParticles = 16;

    /// <summary>Threads per group of the grouped kernels: each particle of the group is stepped by
    /// GroupThreads / GroupParticles threads in lock step (the same arithmetic, so the same values), all of which share the
    /// score's work.</summary>
    public const int GroupThreads = 64;

    /// <summary>Doubles per feature row of the group's shared activation buffers: <see cref="GroupParticles"/> + 1 (the
    /// padding keeps the threads of a warp in different shared-memory banks).</summary>
    public const int GroupRow = GroupParticles + 1;

    /// <summary>Doubles of shared memory per group of the grouped kernels: two activation buffers of <see cref="MaxWidth"/>
    /// rows of <see cref="GroupRow"/> and a result area of <see cref="MaxDimension"/> rows (36 KiB, inside the 48 KiB of
    /// static shared memory a CUDA block may have). The MLP's input row (at most MaxDimension + MaxEmbedding = 80
    /// features) fits one buffer.</summary>
    public const int GroupShared = 2 * GroupRow * MaxWidth + GroupRow * MaxDimension;
}
