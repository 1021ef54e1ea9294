using Diffusion.Research.Experiments.Samples;
using Diffusion.Research.Numerics;

namespace Diffusion.Research.Tests.Experiments;

public class SampleFileTests
{
    [Fact]
    public void Csv_and_npy_round_trip_bit_exactly()
    {
        var dir = TestFiles.NewDirectory("samples");
        var batch = new Batch(37, 3);
        new NoiseSource(5).FillGaussian(0, 0, batch);
        batch[3, 1] = 1e-300;
        SampleFile.WriteCsv(Path.Combine(dir, "a.csv"), batch);
        SampleFile.WriteNpy(Path.Combine(dir, "a.npy"), batch);
        Assert.Equal(batch.ToArray(), SampleFile.Read(Path.Combine(dir, "a.csv")).ToArray());
        var npy = SampleFile.Read(Path.Combine(dir, "a.npy"));
        Assert.Equal((37, 3), (npy.Count, npy.Dimension));
        Assert.Equal(batch.ToArray(), npy.ToArray());
        var header = File.ReadAllBytes(Path.Combine(dir, "a.npy"));
        Assert.Equal(0, (10 + BitConverter.ToUInt16(header, 8)) % 64); // npy 1.0: data starts 64-byte aligned
    }

    [Fact]
    public void Ragged_csv_is_rejected_with_its_line()
    {
        var dir = TestFiles.NewDirectory("samples");
        var path = TestFiles.Write(dir, "bad.csv", "x,y\n1,2\n3\n");
        var e = Assert.Throws<InvalidDataException>(() => SampleFile.Read(path));
        Assert.Contains("bad.csv:3", e.Message);
    }
}
