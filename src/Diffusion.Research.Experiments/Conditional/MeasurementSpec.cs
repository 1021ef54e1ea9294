namespace Diffusion.Research.Experiments.Conditional;

/// <summary>
/// The <c>measurement:</c> block of a cell: y = A x + s ε with A given (<c>A</c>, rows) or as observed coordinate indices
/// (<c>observed</c>), <c>noise</c> s, the observation <c>y</c>, and the posterior sampler <c>method</c> with its
/// <c>parameters</c>. <see cref="Matrix"/> is row-major (<see cref="Rows"/> × D) when A is given, else empty.
/// </summary>
public sealed record MeasurementSpec(
    IReadOnlyList<double> Matrix,
    int Rows,
    IReadOnlyList<int> Observed,
    double Noise,
    IReadOnlyList<double> Observation,
    string Method,
    IReadOnlyDictionary<string, double> Parameters);
