namespace Diffusion.Research.Gpu;

/// <summary>The YAML/CLI spellings of <see cref="DeviceKind"/>.</summary>
public static class DeviceKinds
{
    /// <summary>Valid values, in documentation order.</summary>
    public static IReadOnlyList<string> Names { get; } = ["cpu", "gpu", "auto", "gpu-emulated"];

    /// <summary>The kind spelled <paramref name="name"/>, or null when it is not one of <see cref="Names"/>.</summary>
    public static DeviceKind? Parse(string name) => name switch
    {
        "cpu" => DeviceKind.Cpu,
        "gpu" => DeviceKind.Gpu,
        "auto" => DeviceKind.Auto,
        "gpu-emulated" => DeviceKind.GpuEmulated,
        _ => null,
    };

    /// <summary>The spelling of <paramref name="kind"/>.</summary>
    public static string Name(DeviceKind kind) => kind switch
    {
        DeviceKind.Cpu => "cpu",
        DeviceKind.Gpu => "gpu",
        DeviceKind.Auto => "auto",
        _ => "gpu-emulated",
    };
}
