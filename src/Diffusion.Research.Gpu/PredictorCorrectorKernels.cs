using ILGPU;

namespace Diffusion.Research.Gpu;

/// <summary>
/// The predictor–corrector sampler of Song et al. 2021 (Alg. 4–5; PredictorCorrector in the solver zoo) as lock-step
/// kernels: the Langevin corrector's step size is a batch mean of score and noise norms, a reduction over all particles,
/// so each step is one predictor launch and, per corrector update, a launch that stores scores, noises and their norms,
/// a reduction in particle order on the host (as the CPU sums them), and an update launch. Noise stream of step i,
/// update k: i (1 + C) + k, as on the CPU. Slots 2i, 2i + 1 = t_i, t_{i+1}; per step four predictor scalars.
/// </summary>
public static class PredictorCorrectorKernels
{
    /// <summary>
    /// Predictor of step <see cref="TrajectoryArguments.Step"/>: reverse diffusion x ← (2 − α_{t|s}) x + σ²_{t|s} s + σ_{t|s} z
    /// (Song et al. 2021 eq 46; coefficients 2 − α, σ², σ) or Euler–Maruyama x ← x + f x dt − g² dt s + g √−dt z
    /// (coefficients f, dt, −g² dt, g √−dt).
    /// </summary>
    public static void Predict<TScore>(Index1D index, TrajectoryArguments args, TScore score) where TScore : struct, IDeviceScore
    {
        if (args.Failed[index.X] >= 0) return;
        var d = args.Dimension;
        var row = args.X.SubView((long)index.X * d, d);
        var x = LocalMemory.Allocate<double>(DeviceLimits.MaxDimension);
        var s = LocalMemory.Allocate<double>(DeviceLimits.MaxDimension);
        var z = LocalMemory.Allocate<double>(DeviceLimits.MaxDimension);
        var scratch = LocalMemory.Allocate<double>(DeviceLimits.ScoreScratch);
        for (var i = 0; i < d; i++) x[i] = row[i];
        PredictParticle(args, score, index.X, x, s, z, scratch);
        for (var i = 0; i < d; i++) row[i] = x[i];
        if (!TrajectoryKernels.IsFinite(x, d)) args.Failed[index.X] = args.Step;
    }

    // Predict for a group score (IGroupScore), explicitly grouped as TrajectoryKernels.Grouped: every thread of the group
    // evaluates the score (it meets at barriers), including those of rows past the end (on zeros) and of particles that
    // have failed; only the owner of a live particle writes it back.
    private static void PredictGrouped<TScore>(TrajectoryArguments args, TScore score) where TScore : struct, IDeviceScore
    {
        var d = args.Dimension;
        var index = TrajectoryKernels.GroupRow(args.X.Length / d, out var present, out var owner);
        var live = present && args.Failed[index] < 0;
        var row = args.X.SubView(present ? index * d : 0, d);
        var x = LocalMemory.Allocate<double>(DeviceLimits.MaxDimension);
        var s = LocalMemory.Allocate<double>(DeviceLimits.MaxDimension);
        var z = LocalMemory.Allocate<double>(DeviceLimits.MaxDimension);
        var shared = SharedMemory.Allocate<double>(DeviceLimits.GroupShared);
        for (var i = 0; i < d; i++) x[i] = present ? row[i] : 0.0;
        PredictParticle(args, score, index, x, s, z, shared);
        if (!owner || !live) return;
        for (var i = 0; i < d; i++) row[i] = x[i];
        if (!TrajectoryKernels.IsFinite(x, d)) args.Failed[index] = args.Step;
    }

    // The predictor's arithmetic on particle row `index` held in x (s, z: D values of scratch each).
    private static void PredictParticle<TScore>(TrajectoryArguments args, TScore score, long index, ArrayView<double> x, ArrayView<double> s,
        ArrayView<double> z, ArrayView<double> scratch) where TScore : struct, IDeviceScore
    {
        var d = args.Dimension;
        var step = args.Step;
        var c = args.Coefficients;
        var w = 4 * step;
        score.Score(2 * step, x, s, scratch);
        TrajectoryKernels.Gaussians(args, (uint)(step * (1 + args.Stages)), args.FirstParticle + index, z, d);
        if (args.Variant == 0)
        {
            for (var i = 0; i < d; i++) x[i] = x[i] * c[w];
            for (var i = 0; i < d; i++) x[i] = s[i] * c[w + 1] + x[i];
            for (var i = 0; i < d; i++) x[i] = z[i] * c[w + 2] + x[i];
        }
        else
        {
            for (var i = 0; i < d; i++) x[i] = x[i] * c[w] * c[w + 1] + x[i]; // drift f x, times dt, plus x
            for (var i = 0; i < d; i++) x[i] = s[i] * c[w + 2] + x[i];
            for (var i = 0; i < d; i++) x[i] = z[i] * c[w + 3] + x[i];
        }
    }

    /// <summary>Corrector update <see cref="TrajectoryArguments.Variant"/> of step <see cref="TrajectoryArguments.Step"/>:
    /// stores s(x, t_{i+1}), z and their Euclidean norms in <see cref="TrajectoryArguments.Work"/>.</summary>
    public static void CorrectorScores<TScore>(Index1D index, TrajectoryArguments args, TScore score) where TScore : struct, IDeviceScore
    {
        var d = args.Dimension;
        long n = args.X.Length / d;
        var x = args.X.SubView((long)index.X * d, d);
        var s = args.Work.SubView((long)index.X * d, d);
        var z = args.Work.SubView(n * d + (long)index.X * d, d);
        var scratch = LocalMemory.Allocate<double>(DeviceLimits.ScoreScratch);
        CorrectorScoresParticle(args, score, index.X, n, x, s, z, scratch, write: true);
    }

    // CorrectorScores for a group score: as PredictGrouped, every thread evaluates (rows past the end on zeros), in
    // per-thread memory, and the owner of each row stores s, z and the norms.
    private static void CorrectorScoresGrouped<TScore>(TrajectoryArguments args, TScore score) where TScore : struct, IDeviceScore
    {
        var d = args.Dimension;
        long n = args.X.Length / d;
        var index = TrajectoryKernels.GroupRow(n, out var present, out var owner);
        var row = args.X.SubView(present ? index * d : 0, d);
        var x = LocalMemory.Allocate<double>(DeviceLimits.MaxDimension);
        var s = LocalMemory.Allocate<double>(DeviceLimits.MaxDimension);
        var z = LocalMemory.Allocate<double>(DeviceLimits.MaxDimension);
        var shared = SharedMemory.Allocate<double>(DeviceLimits.GroupShared);
        for (var i = 0; i < d; i++) x[i] = present ? row[i] : 0.0;
        CorrectorScoresParticle(args, score, index, n, x, s, z, shared, owner);
        if (!owner) return;
        for (var i = 0; i < d; i++) args.Work[index * d + i] = s[i];
        for (var i = 0; i < d; i++) args.Work[n * d + index * d + i] = z[i];
    }

    // s(x, t_{i+1}) into s, the update's Gaussians into z, and (when write) their Euclidean norms into Work.
    private static void CorrectorScoresParticle<TScore>(TrajectoryArguments args, TScore score, long index, long n, ArrayView<double> x,
        ArrayView<double> s, ArrayView<double> z, ArrayView<double> scratch, bool write) where TScore : struct, IDeviceScore
    {
        var d = args.Dimension;
        score.Score(2 * args.Step + 1, x, s, scratch);
        TrajectoryKernels.Gaussians(args, (uint)(args.Step * (1 + args.Stages) + args.Variant), args.FirstParticle + index, z, d);
        double s2 = 0, z2 = 0;
        for (var i = 0; i < d; i++) { s2 += s[i] * s[i]; z2 += z[i] * z[i]; }
        if (!write) return;
        args.Work[2 * n * d + index] = Math.Sqrt(s2);
        args.Work[2 * n * d + n + index] = Math.Sqrt(z2);
    }

    /// <summary>The kernels of <paramref name="method"/> (<see cref="DeviceMethod.PredictorCorrector"/> for the predictor,
    /// <see cref="DeviceMethod.CorrectorScores"/>) for a group score, explicitly grouped as
    /// <see cref="TrajectoryKernels.Grouped{TScore}"/>; the update does not evaluate the score and runs per particle.</summary>
    internal static Action<TrajectoryArguments, TScore> Grouped<TScore>(DeviceMethod method) where TScore : struct, IGroupScore => method switch
    {
        DeviceMethod.PredictorCorrector => PredictGrouped<TScore>,
        DeviceMethod.CorrectorScores => CorrectorScoresGrouped<TScore>,
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, "the corrector update has no grouped kernel (it does not evaluate the score)"),
    };

    /// <summary>The Langevin update x ← x + ε s + √(2ε) z (LangevinUpdate.Apply) with the stored s and z.</summary>
    public static void CorrectorUpdate<TScore>(Index1D index, TrajectoryArguments args, TScore score) where TScore : struct, IDeviceScore
    {
        var d = args.Dimension;
        long n = args.X.Length / d;
        var x = args.X.SubView((long)index.X * d, d);
        var noise = Math.Sqrt(2 * args.Epsilon);
        for (var i = 0; i < d; i++) x[i] = args.Work[(long)index.X * d + i] * args.Epsilon + x[i];
        for (var i = 0; i < d; i++) x[i] = args.Work[n * d + (long)index.X * d + i] * noise + x[i];
        if (!TrajectoryKernels.IsFinite(x, d) && args.Failed[index.X] < 0) args.Failed[index.X] = args.Step;
    }
}
