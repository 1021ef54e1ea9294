using System.Buffers.Binary;
using System.Text;
using Diffusion.Research.Nn.Models;
using Diffusion.Research.Nn.Training;

namespace Diffusion.Research.Tests.Nn;

/// <summary>
/// Issue 13 item 13: 295 of 300 random bit flips loaded silently, NaN weights loaded, and corrupt option JSON, negative
/// widths and huge array counts escaped as JsonException, ArgumentOutOfRangeException or OutOfMemoryException. Format 2
/// carries a SHA-256 of its body and every field is checked before anything is allocated: each of these is now an
/// InvalidDataException "checkpoint NAME is corrupt: ...".
/// </summary>
public sealed class CheckpointCorruptionTests
{
    private static readonly Lazy<Checkpoint> Trained = new(() =>
        ScoreModelTrainer.Train(new TrainingOptions()
            .WithModel(new ModelOptions().WithWidth(8).WithHiddenLayers(2).WithSeed(4))
            .WithSteps(3).WithBatchSize(16).WithLearningRate(2e-3).WithSeed(9).WithEmaDecay(0.5),
            new IsotropicGaussian([1.0, -0.5], 0.5), new OuSde()).Checkpoint);

    private static byte[] Bytes(Checkpoint c)
    {
        using var s = new MemoryStream();
        c.Save(s);
        return s.ToArray();
    }

    // Format 1 (written by earlier builds): magic, version 1, then the same body, no length and no checksum.
    private static byte[] Version1(byte[] v2)
    {
        var length = BinaryPrimitives.ReadInt64LittleEndian(v2.AsSpan(12));
        var v1 = new List<byte>(v2[..8]);
        v1.AddRange(BitConverter.GetBytes(1));
        v1.AddRange(v2.AsSpan(20, (int)length).ToArray());
        return v1.ToArray();
    }

    private static string CorruptMessage(byte[] bytes)
    {
        var e = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(new MemoryStream(bytes)));
        Assert.StartsWith("checkpoint (stream) is corrupt: ", e.Message);
        return e.Message;
    }

    [Fact]
    public void Every_one_of_300_random_bit_flips_is_reported_as_corrupt()
    {
        var good = Bytes(Trained.Value);
        var rng = new Random(13);
        for (var k = 0; k < 300; k++)
        {
            var bad = (byte[])good.Clone();
            var bit = rng.NextInt64(8L * bad.Length);
            bad[bit / 8] ^= (byte)(1 << (int)(bit % 8));
            CorruptMessage(bad);
        }
    }

    [Fact]
    public void Truncations_and_trailing_bytes_are_reported_as_corrupt()
    {
        var good = Bytes(Trained.Value);
        foreach (var length in new[] { 0, 5, 8, 12, 19, 20, 100, good.Length - 1 })
            CorruptMessage(good[..length]);
        CorruptMessage([.. good, 0]);
    }

    [Fact]
    public void Version_1_checkpoints_still_load_and_their_fields_are_validated()
    {
        var good = Bytes(Trained.Value);
        var loaded = Checkpoint.Load(new MemoryStream(Version1(good)));
        Assert.Equal(Trained.Value.Parameters, loaded.Parameters);
        Assert.Equal(Trained.Value.Ema, loaded.Ema);
        Assert.Equal(Trained.Value.LossHistory, loaded.LossHistory);
        Assert.Equal(Trained.Value.Options, loaded.Options);
    }

    // Version 1 has no checksum, so the field checks alone must refuse what issue 13 found (and they also run on
    // format 2 bodies, behind the checksum).
    [Fact]
    public void Nan_weights_bad_options_negative_widths_and_huge_counts_are_refused_before_allocation()
    {
        var c = Trained.Value;
        var nan = c with { Parameters = c.Parameters.Select((p, i) => i == 1 ? p.Select((v, j) => j == 2 ? double.NaN : v).ToArray() : p).ToArray() };
        Assert.Contains("weights: value 2 of array 1 is NaN", CorruptMessage(Bytes(nan)));
        Assert.Contains("weights: value 2 of array 1 is NaN", CorruptMessage(Version1(Bytes(nan))));

        var negative = c with { Options = c.Options with { Model = c.Options.Model with { Width = -4 } } };
        Assert.Contains("the options are invalid", CorruptMessage(Version1(Bytes(negative))));

        // The options JSON replaced by garbage of the same length (the 7-bit length prefix stays valid).
        var v1 = Version1(Bytes(c));
        var json = Encoding.UTF8.GetBytes(c.OptionsJson);
        var at = v1.AsSpan().IndexOf(json);
        Assert.True(at > 0);
        var garbage = (byte[])v1.Clone();
        garbage[at] = (byte)'#';
        Assert.Contains("the options are not valid JSON", CorruptMessage(garbage));

        // The count of weight arrays (the int after the step) set to int.MaxValue: refused without allocating.
        var count = at + json.Length + 4;
        var huge = (byte[])v1.Clone();
        BinaryPrimitives.WriteInt32LittleEndian(huge.AsSpan(count), int.MaxValue);
        Assert.Contains("weights: 2147483647 arrays do not fit", CorruptMessage(huge));
        BinaryPrimitives.WriteInt32LittleEndian(huge.AsSpan(count), -1);
        Assert.Contains("weights: -1 arrays do not fit", CorruptMessage(huge));
        var longArray = (byte[])v1.Clone();
        BinaryPrimitives.WriteInt32LittleEndian(longArray.AsSpan(count + 4), 1 << 30);
        Assert.Contains("array 0 claims 1073741824 values", CorruptMessage(longArray));
    }

    [Fact]
    public void A_checkpoint_before_any_optimiser_step_loads_and_a_negative_count_is_corrupt()
    {
        // An optimiser that has not stepped yet (a checkpoint written at step 0) is valid: the check is count < 0.
        var fresh = Trained.Value with { OptimizerSteps = 0 };
        Assert.Equal(0, Checkpoint.Load(new MemoryStream(Bytes(fresh))).OptimizerSteps);
        Assert.Contains("negative optimiser step count -1", CorruptMessage(Bytes(Trained.Value with { OptimizerSteps = -1 })));
    }

    /// <summary>A file that is not a checkpoint at all (a text file, another format) is named as such.</summary>
    [Fact]
    public void A_file_without_the_magic_is_said_not_to_be_a_checkpoint() =>
        Assert.Equal("checkpoint (stream) is corrupt: it does not start with the DRNNCKPT magic (not a Diffusion.Research.Nn checkpoint?)",
            CorruptMessage("name: not a checkpoint\n"u8.ToArray()));

    [Fact]
    public void Load_of_a_file_names_the_file()
    {
        var dir = Path.Combine(Path.GetTempPath(), "diffusion-tests", "ckpt-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, "model.ckpt");
        var bytes = Bytes(Trained.Value);
        bytes[^40] ^= 4;
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path));
        Assert.Equal($"checkpoint {path} is corrupt: the SHA-256 checksum of its body does not match (the file was changed or damaged)", e.Message);
        Trained.Value.Save(path);
        Assert.Equal(Trained.Value.Parameters, Checkpoint.Load(path).Parameters);
    }
}
