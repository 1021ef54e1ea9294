namespace Diffusion.Research.Metrics;

/// <summary>The distribution of a metric between two independent samples of the same distribution:
/// mean, standard deviation and maximum over <paramref name="Repeats"/> pairs.</summary>
public sealed record NoiseFloor(double Mean, double StandardDeviation, double Max, int Repeats);
