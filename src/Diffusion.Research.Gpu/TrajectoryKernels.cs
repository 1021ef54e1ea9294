using ILGPU;

namespace Diffusion.Research.Gpu;

/// <summary>
/// The fused trajectory kernels: one thread per particle runs every step of the solve with the particle in
/// per-thread memory, no global round trip between steps. Each is generic over the score (an unmanaged
/// <see cref="IDeviceScore"/> struct), so one kernel body serves every score and ILGPU specialises it; the SDE enters
/// through host-tabulated scalars per time slot (exactly the doubles the CPU solvers compute, hence exact agreement
/// of the schedule for VE, VP linear/cosine, sub-VP, general affine and any linear SDE). Every formula mirrors its CPU
/// twin in solvers/Diffusion.Research.Solvers operation by operation, with the same noise draw indices
/// (stream = step index, particle = global row, draw = coordinate).
/// </summary>
public static class TrajectoryKernels
{
    /// <summary>
    /// Euler–Maruyama on the reverse family (EulerMaruyama.Step; 004 §10.1; 001 eq 85; Kloeden and Platen 1992, §10.2;
    /// Song et al. 2021, eq (6)):
    /// x ← x + a(x, t_i) dt + l g(t_i) √|dt| z with a = f x − (1+l²)/2 g² s. Slot i = t_i holds (f, −(1+l²)/2 g², l g,
    /// l g √|dt|) at t_i, each computed on the host with the CPU's expression (EulerMaruyama.Step, ReverseSde.Drift and
    /// Diffusion), so the kernel does no square root or schedule arithmetic per step.
    /// </summary>
    public static void EulerMaruyama<TScore>(Index1D index, TrajectoryArguments args, TScore score) where TScore : struct, IDeviceScore =>
        Solve(index, args, score, default(EulerMaruyamaStep<TScore>));

    /// <summary>
    /// Explicit Runge–Kutta on the probability-flow ODE (ExplicitRungeKutta.Step with RungeKuttaStages; HNW I eq II.1.8):
    /// k_j = a(x + dt Σ_l A_jl k_l, t + c_j dt), x ← x + dt Σ_j b_j k_j. Slot i·s + j = t_i + c_j dt holds (f, g).
    /// </summary>
    public static void RungeKutta<TScore>(Index1D index, TrajectoryArguments args, TScore score) where TScore : struct, IDeviceScore =>
        Solve(index, args, score, default(RungeKuttaStep<TScore>));

    /// <summary>
    /// The Gaussian step of DDIM (Song, Meng, Ermon 2021 eq 12) and ancestral DDPM sampling (003 Lemma 4.4.2), as
    /// GaussianStep.Apply: x ← p x + q s(x, t_i) + c z. Slot i = t_i holds (p, q, c), computed on the host by the
    /// CPU solver's own expressions.
    /// </summary>
    public static void GaussianStep<TScore>(Index1D index, TrajectoryArguments args, TScore score) where TScore : struct, IDeviceScore =>
        Solve(index, args, score, default(GaussianStepRule<TScore>));

    /// <summary>
    /// Stochastic Heun for additive noise (StochasticHeun.Propose): x' = x + a(x, t) dt + b(t) √|dt| z,
    /// x ← x + dt/2 [a(x, t) + a(x', t + dt)] + (b(t) + b(t + dt))/2 √|dt| z. Slots 2i, 2i + 1 = t_i, t_i + dt hold (f, g).
    /// </summary>
    public static void StochasticHeun<TScore>(Index1D index, TrajectoryArguments args, TScore score) where TScore : struct, IDeviceScore =>
        Solve(index, args, score, default(StochasticHeunStep<TScore>));

    /// <summary>
    /// DPM-Solver-2 (Lu et al. 2022, Alg. 1 with r = ½; DpmSolver2.Step): u = (α_m/α_t) x + σ_m (e^{h/2} − 1) σ_t s(x, t),
    /// x ← (α_s/α_t) x + σ_s (e^h − 1) σ_m s(u, m). Slots 2i, 2i + 1 = t_i, m_i; per step (c0, c1, c2, c3) in that order.
    /// </summary>
    public static void DpmSolver2<TScore>(Index1D index, TrajectoryArguments args, TScore score) where TScore : struct, IDeviceScore =>
        Solve(index, args, score, default(DpmSolver2Step<TScore>));

    /// <summary>
    /// The EDM sampler (Karras et al. 2022, Alg. 2; EdmHeun.Step) in x̂ = x/α: churn x̂ += √(σ̂² − σ²) S_noise z, then Heun in
    /// σ with slopes d = −σ α s(α x̂, t). Slots 2i, 2i + 1 = t̂_i, t_{i+1}; per step (1/α_t, churn scale, α(t̂), −σ̂ α(t̂),
    /// h, ½h, α_s, −σ_{i+1} α_s).
    /// </summary>
    public static void Edm<TScore>(Index1D index, TrajectoryArguments args, TScore score) where TScore : struct, IDeviceScore =>
        Solve(index, args, score, default(EdmStep<TScore>));

    /// <summary>
    /// Annealed Langevin dynamics (Song &amp; Ermon 2019, Alg. 1; AnnealedLangevin.Step): per level t_{i+1}, M updates
    /// x ← x + ε s(x, t_{i+1}) + √(2ε) z with ε = α_i/2, noise stream i·M + k. Slot i = t_{i+1}; per step (ε, √(2ε));
    /// M = <see cref="TrajectoryArguments.Stages"/>.
    /// </summary>
    public static void AnnealedLangevin<TScore>(Index1D index, TrajectoryArguments args, TScore score) where TScore : struct, IDeviceScore =>
        Solve(index, args, score, default(AnnealedLangevinStep<TScore>));

    // The fused loop every trajectory kernel shares: the particle's row into per-thread memory, the step rule applied
    // for steps 0..N−1, stopping at the first step that leaves a non-finite coordinate (the earliest such step over all
    // particles goes to Failed[0] by an atomic minimum, so the host reads one value instead of a flag per particle), and the
    // row written back. Work holds MaxStages + 1 vectors of MaxDimension for the rule's intermediates.
    private static void Solve<TScore, TStep>(Index1D index, TrajectoryArguments args, TScore score, TStep rule)
        where TScore : struct, IDeviceScore where TStep : struct, ITrajectoryStep<TScore>
    {
        var d = args.Dimension;
        var row = args.X.SubView((long)index.X * d, d);
        var x = LocalMemory.Allocate<double>(DeviceLimits.MaxDimension);
        var work = LocalMemory.Allocate<double>(DeviceLimits.MaxDimension * (DeviceLimits.MaxStages + 1));
        var scratch = LocalMemory.Allocate<double>(DeviceLimits.ScoreScratch);
        for (var i = 0; i < d; i++) x[i] = row[i];
        var particle = args.FirstParticle + index.X;
        var failed = -1;
        for (var step = 0; step < args.Steps; step++)
        {
            rule.Apply(args, score, step, particle, x, work, scratch);
            if (!IsFinite(x, d)) { failed = step; break; }
        }
        for (var i = 0; i < d; i++) row[i] = x[i];
        if (failed >= 0) Atomic.Min(ref args.Failed[0], failed);
    }

    /// <summary>
    /// The fused kernel of <paramref name="method"/> (a trajectory method, not the predictor–corrector) for a group score,
    /// explicitly grouped: launch with <see cref="DeviceLimits.GroupThreads"/> threads per group and one group per
    /// <see cref="DeviceLimits.GroupParticles"/> particles. The same step rules as the per-particle kernels.
    /// </summary>
    internal static Action<TrajectoryArguments, TScore> Grouped<TScore>(DeviceMethod method) where TScore : struct, IGroupScore => method switch
    {
        DeviceMethod.EulerMaruyama => SolveGrouped<TScore, EulerMaruyamaStep<TScore>>,
        DeviceMethod.RungeKutta => SolveGrouped<TScore, RungeKuttaStep<TScore>>,
        DeviceMethod.GaussianStep => SolveGrouped<TScore, GaussianStepRule<TScore>>,
        DeviceMethod.StochasticHeun => SolveGrouped<TScore, StochasticHeunStep<TScore>>,
        DeviceMethod.DpmSolver2 => SolveGrouped<TScore, DpmSolver2Step<TScore>>,
        DeviceMethod.Edm => SolveGrouped<TScore, EdmStep<TScore>>,
        DeviceMethod.AnnealedLangevin => SolveGrouped<TScore, AnnealedLangevinStep<TScore>>,
        _ => PredictorCorrectorKernels.Grouped<TScore>(method),
    };

    /// <summary>In a grouped kernel: the row (particle index within the launch) that this thread steps, whether it exists
    /// (the last group may reach past the end: <paramref name="present"/> false), and whether this thread is the one of its
    /// particle's threads that writes it back (<paramref name="owner"/>).</summary>
    internal static long GroupRow(long count, out bool present, out bool owner)
    {
        var rank = Group.IdxX;
        long index = (long)Grid.IdxX * DeviceLimits.GroupParticles + rank % DeviceLimits.GroupParticles;
        present = index < count;
        owner = present && rank < DeviceLimits.GroupParticles;
        return index;
    }

    // The fused loop for a group score (IGroupScore): thread r of group g steps particle g·P + (r mod P), P =
    // GroupParticles, so each particle is stepped by GroupThreads / P threads with the same arithmetic and noise (hence
    // the same values), and only thread r < P writes it back. Control flow stays uniform over the group, since the score
    // meets at barriers: rows past the end are stepped on zeros and never written, and a particle that turns non-finite
    // is written back at that step (as Solve stops there) and then stepped on, its later values discarded.
    private static void SolveGrouped<TScore, TStep>(TrajectoryArguments args, TScore score)
        where TScore : struct, IDeviceScore where TStep : struct, ITrajectoryStep<TScore>
    {
        var d = args.Dimension;
        var index = GroupRow(args.X.Length / d, out var present, out var owner);
        var row = args.X.SubView(present ? index * d : 0, d);
        var x = LocalMemory.Allocate<double>(DeviceLimits.MaxDimension);
        var work = LocalMemory.Allocate<double>(DeviceLimits.MaxDimension * (DeviceLimits.MaxStages + 1));
        var shared = SharedMemory.Allocate<double>(DeviceLimits.GroupShared);
        for (var i = 0; i < d; i++) x[i] = present ? row[i] : 0.0;
        var particle = args.FirstParticle + index;
        var rule = default(TStep);
        var failed = -1;
        for (var step = 0; step < args.Steps; step++)
        {
            rule.Apply(args, score, step, particle, x, work, shared);
            if (failed >= 0 || IsFinite(x, d)) continue;
            failed = step;
            if (owner) for (var i = 0; i < d; i++) row[i] = x[i];
        }
        if (!owner) return;
        if (failed < 0) for (var i = 0; i < d; i++) row[i] = x[i];
        else Atomic.Min(ref args.Failed[0], failed);
    }

    // Work vector k (of MaxDimension) sized to the dimension.
    private static ArrayView<double> Vector(ArrayView<double> work, int k, int d) => work.SubView(k * DeviceLimits.MaxDimension, d);

    // One step of a fused trajectory kernel on the particle x (a struct, so ILGPU specialises Solve per rule).
    private interface ITrajectoryStep<TScore> where TScore : struct, IDeviceScore
    {
        void Apply(TrajectoryArguments args, TScore score, int step, long particle, ArrayView<double> x, ArrayView<double> work,
            ArrayView<double> scratch);
    }

    private struct EulerMaruyamaStep<TScore> : ITrajectoryStep<TScore> where TScore : struct, IDeviceScore
    {
        public void Apply(TrajectoryArguments args, TScore score, int step, long particle, ArrayView<double> x, ArrayView<double> work,
            ArrayView<double> scratch)
        {
            // The CPU's drift a_i = s_i·scale + x_i f, update x_i ← a_i dt + x_i and noise x_i ← z_i b√|dt| + x_i, in one
            // pass per coordinate (the same arithmetic; the drift is never stored).
            var d = args.Dimension;
            var s = Vector(work, 0, d);
            var dt = args.Dts[step];
            var w = 4 * step;
            var f = args.Coefficients[w];
            var scale = args.Coefficients[w + 1];
            score.Score(step, x, s, scratch);
            if (args.Coefficients[w + 2] == 0) // b = l g(t) (ReverseSde.Diffusion)
            {
                for (var i = 0; i < d; i++) x[i] = (s[i] * scale + x[i] * f) * dt + x[i];
                return;
            }
            var noise = args.Coefficients[w + 3]; // b √|dt|
            for (var i = 0; i < d; i += 2)
            {
                DevicePhilox.GaussianPair(args.Seed, (uint)step, particle, i / 2, args.Constants, out var z0, out var z1);
                x[i] = z0 * noise + ((s[i] * scale + x[i] * f) * dt + x[i]);
                if (i + 1 < d) x[i + 1] = z1 * noise + ((s[i + 1] * scale + x[i + 1] * f) * dt + x[i + 1]);
            }
        }
    }

    private struct RungeKuttaStep<TScore> : ITrajectoryStep<TScore> where TScore : struct, IDeviceScore
    {
        public void Apply(TrajectoryArguments args, TScore score, int step, long particle, ArrayView<double> x, ArrayView<double> work,
            ArrayView<double> scratch)
        {
            var d = args.Dimension;
            var s = args.Stages;
            var input = Vector(work, 0, d);
            var stages = work.SubView(DeviceLimits.MaxDimension, DeviceLimits.MaxDimension * DeviceLimits.MaxStages);
            var dt = args.Dts[step];
            for (var j = 0; j < s; j++)
            {
                for (var i = 0; i < d; i++) input[i] = x[i];
                for (var l = 0; l < j; l++)
                {
                    var a = args.Tableau[j * s + l];
                    if (a == 0) continue;
                    var w = dt * a;
                    for (var i = 0; i < d; i++) input[i] = stages[l * d + i] * w + input[i];
                }
                var slot = step * s + j;
                ReverseDrift(score, slot, args.Coefficients[2 * slot], args.Coefficients[2 * slot + 1], args.Lambda,
                    j == 0 ? x : input, stages.SubView(j * d, d), scratch, d);
            }
            for (var j = 0; j < s; j++)
            {
                var b = args.Tableau[s * s + j];
                if (b == 0) continue;
                var w = dt * b;
                for (var i = 0; i < d; i++) x[i] = stages[j * d + i] * w + x[i];
            }
        }
    }

    private struct GaussianStepRule<TScore> : ITrajectoryStep<TScore> where TScore : struct, IDeviceScore
    {
        public void Apply(TrajectoryArguments args, TScore score, int step, long particle, ArrayView<double> x, ArrayView<double> work,
            ArrayView<double> scratch)
        {
            var d = args.Dimension;
            var s = Vector(work, 0, d);
            var p = args.Coefficients[3 * step];
            var q = args.Coefficients[3 * step + 1];
            var c = args.Coefficients[3 * step + 2];
            score.Score(step, x, s, scratch);
            for (var i = 0; i < d; i++) x[i] = x[i] * p;
            for (var i = 0; i < d; i++) x[i] = s[i] * q + x[i];
            if (c > 0) AddNoise(args, (uint)step, particle, c, x, d);
        }
    }

    private struct StochasticHeunStep<TScore> : ITrajectoryStep<TScore> where TScore : struct, IDeviceScore
    {
        public void Apply(TrajectoryArguments args, TScore score, int step, long particle, ArrayView<double> x, ArrayView<double> work,
            ArrayView<double> scratch)
        {
            var d = args.Dimension;
            var z = Vector(work, 0, d);
            var drift0 = Vector(work, 1, d);
            var drift1 = Vector(work, 2, d);
            var proposal = Vector(work, 3, d);
            var dt = args.Dts[step];
            var sq = Math.Sqrt(Math.Abs(dt));
            double f0 = args.Coefficients[4 * step], g0 = args.Coefficients[4 * step + 1];
            double f1 = args.Coefficients[4 * step + 2], g1 = args.Coefficients[4 * step + 3];
            var b0 = args.Lambda * g0;
            var b1 = args.Lambda * g1;
            if (b0 != 0 || b1 != 0) Gaussians(args, (uint)step, particle, z, d);
            else for (var i = 0; i < d; i++) z[i] = 0.0;
            ReverseDrift(score, 2 * step, f0, g0, args.Lambda, x, drift0, scratch, d);
            for (var i = 0; i < d; i++) proposal[i] = drift0[i] * dt + x[i];
            if (b0 != 0)
            {
                var w = b0 * sq;
                for (var i = 0; i < d; i++) proposal[i] = z[i] * w + proposal[i];
            }
            ReverseDrift(score, 2 * step + 1, f1, g1, args.Lambda, proposal, drift1, scratch, d);
            var half = 0.5 * dt;
            for (var i = 0; i < d; i++) x[i] = drift0[i] * half + x[i];
            for (var i = 0; i < d; i++) x[i] = drift1[i] * half + x[i];
            var c = 0.5 * (b0 + b1) * sq;
            if (c != 0)
                for (var i = 0; i < d; i++) x[i] = z[i] * c + x[i];
        }
    }

    private struct DpmSolver2Step<TScore> : ITrajectoryStep<TScore> where TScore : struct, IDeviceScore
    {
        public void Apply(TrajectoryArguments args, TScore score, int step, long particle, ArrayView<double> x, ArrayView<double> work,
            ArrayView<double> scratch)
        {
            var d = args.Dimension;
            var u = Vector(work, 0, d);
            var s = Vector(work, 1, d);
            var w = args.SlotWidth * step;
            score.Score(2 * step, x, s, scratch);
            for (var i = 0; i < d; i++) u[i] = x[i] * args.Coefficients[w];
            for (var i = 0; i < d; i++) u[i] = s[i] * args.Coefficients[w + 1] + u[i];
            score.Score(2 * step + 1, u, s, scratch);
            for (var i = 0; i < d; i++) x[i] = x[i] * args.Coefficients[w + 2];
            for (var i = 0; i < d; i++) x[i] = s[i] * args.Coefficients[w + 3] + x[i];
        }
    }

    private struct EdmStep<TScore> : ITrajectoryStep<TScore> where TScore : struct, IDeviceScore
    {
        public void Apply(TrajectoryArguments args, TScore score, int step, long particle, ArrayView<double> x, ArrayView<double> work,
            ArrayView<double> scratch)
        {
            var d = args.Dimension;
            var slope = Vector(work, 0, d);
            var probe = Vector(work, 1, d);
            var s = Vector(work, 2, d);
            var w = args.SlotWidth * step;
            var c = args.Coefficients;
            for (var i = 0; i < d; i++) x[i] = x[i] * c[w];
            if (c[w + 1] > 0) AddNoise(args, (uint)step, particle, c[w + 1], x, d);
            for (var i = 0; i < d; i++) probe[i] = x[i] * c[w + 2];
            score.Score(2 * step, probe, s, scratch);
            for (var i = 0; i < d; i++) slope[i] = s[i] * c[w + 3];
            var h = c[w + 4];
            var half = c[w + 5];
            for (var i = 0; i < d; i++) probe[i] = slope[i] * h + x[i];
            for (var i = 0; i < d; i++) x[i] = slope[i] * half + x[i];
            for (var i = 0; i < d; i++) probe[i] = probe[i] * c[w + 6];
            score.Score(2 * step + 1, probe, s, scratch);
            for (var i = 0; i < d; i++) slope[i] = s[i] * c[w + 7];
            for (var i = 0; i < d; i++) x[i] = slope[i] * half + x[i];
            for (var i = 0; i < d; i++) x[i] = x[i] * c[w + 6];
        }
    }

    private struct AnnealedLangevinStep<TScore> : ITrajectoryStep<TScore> where TScore : struct, IDeviceScore
    {
        public void Apply(TrajectoryArguments args, TScore score, int step, long particle, ArrayView<double> x, ArrayView<double> work,
            ArrayView<double> scratch)
        {
            var d = args.Dimension;
            var s = Vector(work, 0, d);
            var epsilon = args.Coefficients[2 * step];
            var noise = args.Coefficients[2 * step + 1];
            for (var k = 0; k < args.Stages; k++)
            {
                score.Score(step, x, s, scratch);
                for (var i = 0; i < d; i++) x[i] = s[i] * epsilon + x[i];
                AddNoise(args, (uint)(step * args.Stages + k), particle, noise, x, d);
            }
        }
    }

    // z ← the Gaussian draws 0..D−1 of (stream, particle).
    internal static void Gaussians(TrajectoryArguments args, uint stream, long particle, ArrayView<double> z, int d)
    {
        for (var block = 0; 2 * block < d; block++)
        {
            DevicePhilox.GaussianPair(args.Seed, stream, particle, block, args.Constants, out var z0, out var z1);
            z[2 * block] = z0;
            if (2 * block + 1 < d) z[2 * block + 1] = z1;
        }
    }

    // ReverseSde.Drift: a = f x + scale s with scale = −(1 + l²)/2 g² (001 eq 85; Song et al. 2021, eq (6)).
    private static void ReverseDrift<TScore>(TScore score, int slot, double f, double g, double lambda, ArrayView<double> x,
        ArrayView<double> destination, ArrayView<double> scratch, int d) where TScore : struct, IDeviceScore
    {
        var scale = ReverseDriftScale(lambda, g);
        score.Score(slot, x, destination, scratch);
        for (var i = 0; i < d; i++) destination[i] = destination[i] * scale + x[i] * f;
    }

    // −(1 + l²)/2 g², the factor of the score in the reverse drift.
    private static double ReverseDriftScale(double lambda, double g) => -0.5 * (1.0 + lambda * lambda) * g * g;

    // x += scale z with z the Gaussian draws 0..D−1 of (stream, particle), pairs from one Philox block each.
    private static void AddNoise(TrajectoryArguments args, uint stream, long particle, double scale, ArrayView<double> x, int d)
    {
        for (var block = 0; 2 * block < d; block++)
        {
            DevicePhilox.GaussianPair(args.Seed, stream, particle, block, args.Constants, out var z0, out var z1);
            x[2 * block] = z0 * scale + x[2 * block];
            if (2 * block + 1 < d) x[2 * block + 1] = z1 * scale + x[2 * block + 1];
        }
    }

    internal static bool IsFinite(ArrayView<double> x, int d)
    {
        for (var i = 0; i < d; i++)
            if (!(Math.Abs(x[i]) <= double.MaxValue)) return false;
        return true;
    }
}
