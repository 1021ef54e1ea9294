namespace Diffusion.Research.Tests.Experiments;

/// <summary>Temporary folders and the repository root for experiment tests.</summary>
internal static class TestFiles
{
    public static string NewDirectory(string tag)
    {
        var dir = Path.Combine(Path.GetTempPath(), "diffusion-tests", tag + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        return dir;
    }

    public static string Write(string dir, string name, string text)
    {
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>The repository root (the folder holding Diffusion.Research.sln), found upwards from the test binaries.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Diffusion.Research.sln"))) return dir.FullName;
        throw new InvalidOperationException("Repository root not found above " + AppContext.BaseDirectory);
    }

    /// <summary>The committed golden file <paramref name="name"/> of the upstream reference implementations (tests/golden).</summary>
    public static string GoldenPath(string name) => Path.Combine(RepositoryRoot(), "tests", "golden", name);

    /// <summary>The golden JSON file <paramref name="name"/>, parsed.</summary>
    public static System.Text.Json.JsonElement GoldenJson(string name) =>
        System.Text.Json.JsonDocument.Parse(File.ReadAllText(GoldenPath(name))).RootElement;

    public const string Tiny = """
        name: tiny
        description: A tiny sweep for tests.
        seed: 7
        repeats: 3
        data:
          name: gauss2d
        sde:
          kind: vp
          parameters: {beta_min: 0.1, beta_max: 20}
        sampler:
          solver: heun
          nfe: 10
        eval:
          particles: 64
          metrics: [sliced_w2, mean_error]
        sweep:
          sampler.solver: [euler, heun]
          zip:
            - sampler.nfe: [2, 10, 40]
              sampler.rtol: [0.1, 0.01, 0.001]
        table:
          rows: [sampler.solver]
          columns: [sampler.nfe]
          value: sliced_w2
          format: "0.000"
        """;
}
