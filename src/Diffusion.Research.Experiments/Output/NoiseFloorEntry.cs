namespace Diffusion.Research.Experiments.Output;

/// <summary>
/// The two-sample noise floor of the table value for one evaluation setup (data set, sample and reference sizes): its
/// value in each repeat that recorded one (exact data samples against that repeat's reference), in repeat order.
/// </summary>
public sealed record NoiseFloorEntry(string DataSet, int Particles, int Reference, IReadOnlyList<double> Values);
