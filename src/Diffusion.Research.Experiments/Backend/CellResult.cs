using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;

namespace Diffusion.Research.Experiments.Backend;

/// <summary>
/// The outcome of one repeat of a cell. <see cref="Status"/> is "success" or the failure kind ("NonFinite",
/// "StepSizeCollapse", "MaxStepsExceeded", "exception"); metrics are only meaningful on success.
/// Samples and reference are optional, for figures and dumps.
/// </summary>
public sealed record CellResult(
    string Status,
    string? Message,
    IReadOnlyDictionary<string, double> Metrics,
    SolverStatistics Statistics,
    Batch? Samples,
    Batch? Reference)
{
    /// <summary>The status string of a successful cell.</summary>
    public const string SuccessStatus = "success";

    /// <summary>
    /// With <c>eval.noise_floor</c>: each metric between exact data samples and this repeat's reference (what a sampler
    /// drawing exact samples would score), also on failed runs; otherwise empty.
    /// </summary>
    public IReadOnlyDictionary<string, double> Floor { get; init; } = new Dictionary<string, double>();

    /// <summary>Whether the cell succeeded.</summary>
    public bool IsSuccess => Status == SuccessStatus;

    /// <summary>The device the solve ran on (name, driver, ILGPU version) when it was not the plain CPU path; null otherwise.</summary>
    public string? Device { get; init; }

    /// <summary>A failed result carrying a reason.</summary>
    public static CellResult Failed(string status, string message, SolverStatistics? statistics = null) =>
        new(status, message, new Dictionary<string, double>(), statistics ?? SolverStatistics.Zero, null, null);
}
