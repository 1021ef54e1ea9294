namespace Diffusion.Research.Experiments.Plans;

/// <summary>
/// The <c>sampler:</c> block. Exactly one of <see cref="Steps"/> and <see cref="Nfe"/> is set for fixed-step solvers
/// (an NFE budget becomes steps = max(1, round(nfe / NFE per step))); adaptive solvers use the tolerances and report
/// their actual NFE. <see cref="Lambda"/> null means the solver default (0 for deterministic solvers, 1 for stochastic ones).
/// <see cref="Device"/> is <c>sampler.device</c> (cpu, gpu, auto, gpu-emulated; docs/gpu.md), null when the file does not set it
/// (the CPU solvers; the key then stays out of the cell's canonical JSON so existing cell ids do not change).
/// <see cref="InitialStep"/> is <c>sampler.initial_step</c> (auto, grid or dt0), null when not set: adaptive solvers then start
/// from the grid's first step (the whole interval), as the committed tables were computed.
/// </summary>
public sealed record SamplerSpec(
    string Solver,
    int? Steps,
    int? Nfe,
    string Schedule,
    IReadOnlyDictionary<string, double> ScheduleParameters,
    double? Lambda,
    double RelativeTolerance,
    double AbsoluteTolerance,
    int MaxSteps,
    IReadOnlyDictionary<string, double> Parameters,
    bool Dump,
    string? Init,
    string? Device = null,
    Sampling.InitialStep? InitialStep = null);
