using Diffusion.Research.Data;
using Diffusion.Research.Gpu.Check;
using Diffusion.Research.Numerics;
using Diffusion.Research.Scores;
using ILGPU;
using ILGPU.Runtime;

namespace Diffusion.Research.Gpu.Tests;

/// <summary>
/// The device mixture score on its own, one slot, particle by particle (ILGPU's CPU accelerator): the two-dimensional
/// isotropic path (<see cref="DeviceMixtureScore.Planar"/>) against the general isotropic path, bit for bit, and both
/// against GaussianMixture's score on the CPU.
/// </summary>
public sealed class MixtureScoreKernelTests(EmulatedDevice fixture) : IClassFixture<EmulatedDevice>
{
    private static void Evaluate(Index1D i, ArrayView<double> x, ArrayView<double> output, DeviceMixtureScore score, int slot)
    {
        var d = score.Dimension;
        var scratch = LocalMemory.Allocate<double>(DeviceLimits.ScoreScratch);
        score.Score(slot, x.SubView((long)i.X * d, d), output.SubView((long)i.X * d, d), scratch);
    }

    // The score at the slot's time t = times[slot] of every particle of x, on the device.
    // planar: null runs the path the tables choose (and needs no two-dimensional path).
    private double[] DeviceScores(ExactNoisedScore cpu, MixtureScoreTables tables, double[] times, int slot, Batch x, bool? planar)
    {
        var kernel = cpu.Kernel;
        var values = new double[times.Length * tables.Stride];
        for (var s = 0; s < times.Length; s++) tables.Fill(kernel.Alpha(times[s]), kernel.Sigma(times[s]), values.AsSpan(s * tables.Stride, tables.Stride));
        var accelerator = fixture.Device.Accelerator;
        using var eigen = accelerator.Allocate1D(tables.Eigenvectors.Length == 0 ? [0.0] : tables.Eigenvectors);
        using var table = accelerator.Allocate1D(values);
        using var particles = accelerator.Allocate1D(x.ToArray());
        using var output = accelerator.Allocate1D<double>(x.Count * x.Dimension);
        var score = tables.Device(eigen.View, table.View);
        if (planar is { } twoDimensional)
        {
            Assert.Equal(1, score.Planar);
            score.Planar = twoDimensional ? 1 : 0;
        }
        accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<double>, ArrayView<double>, DeviceMixtureScore, int>(Evaluate)(
            x.Count, particles.View, output.View, score, slot);
        accelerator.Synchronize();
        return output.GetAsArray1D();
    }

    [Fact]
    public void The_two_dimensional_path_gives_the_general_paths_bits_and_the_cpu_score()
    {
        var mixture = AgreementCase.CreateData("isotropic2");
        var sde = AgreementCase.CreateSde("vp");
        var cpu = new ExactNoisedScore(mixture, sde.Kernel!);
        var times = new[] { 0.9, 0.37, 0.02 };
        // Points near the data and far out (responsibilities that underflow for all but one component), on a generic slot.
        var x = new Batch(96, 2);
        sde.Prior(2).Sample(x, new NoiseSource(7), 0);
        for (var i = 0; i < x.Count; i++)
            for (var j = 0; j < 2; j++) x[i, j] *= 1 + 12 * (i % 4 == 3 ? 1 : 0);
        var tables = new MixtureScoreTables(mixture);
        foreach (var slot in new[] { 1, 2 })
        {
            var planar = DeviceScores(cpu, tables, times, slot, x, planar: true);
            var general = DeviceScores(cpu, tables, times, slot, x, planar: false);
            var reference = new Batch(x.Count, 2);
            cpu.Score(times[slot], x, reference);
            var worst = 0.0;
            for (var i = 0; i < planar.Length; i++)
            {
                Assert.Equal(BitConverter.DoubleToInt64Bits(general[i]), BitConverter.DoubleToInt64Bits(planar[i]));
                var r = reference.Values[i];
                worst = Math.Max(worst, Math.Abs(planar[i] - r) / Math.Max(1, Math.Abs(r)));
            }
            Assert.True(worst < 1e-13, $"slot {slot}: largest difference from the CPU score {worst:E2}");
        }
    }

    /// <summary>The full-covariance (rotated) path near the data and far out, where the logits of a particle spread over
    /// thousands: the softmax must subtract the largest logit (a smaller one overflows the exponential), and the score
    /// stays within 1e-12 of GaussianMixture's.</summary>
    [Fact]
    public void The_rotated_path_matches_the_cpu_score_far_from_the_data()
    {
        var mixture = AgreementCase.CreateData("full");
        var sde = AgreementCase.CreateSde("vp");
        var cpu = new ExactNoisedScore(mixture, sde.Kernel!);
        var times = new[] { 0.6, 0.05 };
        var x = new Batch(40, mixture.Dimension);
        sde.Prior(mixture.Dimension).Sample(x, new NoiseSource(9), 0);
        for (var i = 0; i < x.Count; i++)
            for (var j = 0; j < x.Dimension; j++) x[i, j] *= i % 2 == 0 ? 1 : 40; // every other particle far out
        var tables = new MixtureScoreTables(mixture);
        Assert.False(tables.IsIsotropic);
        foreach (var slot in new[] { 0, 1 })
        {
            var device = DeviceScores(cpu, tables, times, slot, x, planar: null);
            var reference = new Batch(x.Count, x.Dimension);
            cpu.Score(times[slot], x, reference);
            for (var i = 0; i < device.Length; i++)
            {
                var r = reference.Values[i];
                Assert.True(Math.Abs(device[i] - r) <= 1e-12 * Math.Max(1, Math.Abs(r)), $"slot {slot}, value {i}: {device[i]:R} against {r:R}");
            }
        }
    }

    [Fact]
    public void Only_two_dimensional_isotropic_mixtures_take_the_two_dimensional_path()
    {
        using var view = fixture.Device.Accelerator.Allocate1D([0.0]);
        Assert.Equal(1, new MixtureScoreTables(AgreementCase.CreateData("isotropic2")).Device(view.View, view.View).Planar);
        Assert.Equal(1, new MixtureScoreTables(ToyData.EightGaussians()).Device(view.View, view.View).Planar);
        Assert.Equal(0, new MixtureScoreTables(AgreementCase.CreateData("isotropic3")).Device(view.View, view.View).Planar);
        var rotated = new GaussianMixture([0.5, 0.5], [[0.0, 1.0], [1.0, 0.0]], [new[,] { { 0.5, 0.1 }, { 0.1, 0.3 } }, new[,] { { 0.2, 0.0 }, { 0.0, 0.2 } }]);
        Assert.Equal(0, new MixtureScoreTables(rotated).Device(view.View, view.View).Planar);
    }

    /// <summary>The two-dimensional path's record of component k, (α μ_k0, α μ_k1, 1/λ_k, n_k), holds the same values as the
    /// general tables, after them in each slot; other mixtures have no records. Every slot ends with the softmax shift
    /// max_k n_k.</summary>
    [Fact]
    public void The_two_dimensional_records_repeat_the_general_tables()
    {
        var tables = new MixtureScoreTables(AgreementCase.CreateData("isotropic2"));
        var (k, d) = (tables.Components, tables.Dimension);
        Assert.Equal(3 * k * d + k + 4 * k + 1, tables.Stride);
        var slot = new double[tables.Stride];
        tables.Fill(0.83, 0.47, slot);
        for (var c = 0; c < k; c++)
        {
            Assert.Equal(slot[c * d], slot[3 * k * d + k + 4 * c]);                  // α μ_c0
            Assert.Equal(slot[c * d + 1], slot[3 * k * d + k + 4 * c + 1]);          // α μ_c1
            Assert.Equal(slot[k * d + c * d], slot[3 * k * d + k + 4 * c + 2]);      // 1/λ_c
            Assert.Equal(slot[3 * k * d + c], slot[3 * k * d + k + 4 * c + 3]);      // n_c
        }
        Assert.Equal(slot.AsSpan(3 * k * d, k).ToArray().Max(), slot[^1]);
        var general = new MixtureScoreTables(AgreementCase.CreateData("isotropic3"));
        Assert.Equal(3 * general.Components * general.Dimension + general.Components + 1, general.Stride);
    }
}
