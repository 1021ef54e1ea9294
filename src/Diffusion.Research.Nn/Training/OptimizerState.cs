namespace Diffusion.Research.Nn.Training;

/// <summary>Buffers shaped like a parameter list, shared by the optimisers and the EMA.</summary>
internal static class OptimizerState
{
    public static double[][] Like(IReadOnlyList<Parameter> parameters)
    {
        var buffers = new double[parameters.Count][];
        for (var i = 0; i < buffers.Length; i++) buffers[i] = new double[parameters[i].Length];
        return buffers;
    }

    public static void Restore(double[][] destination, IReadOnlyList<double[]> source, int offset, string name)
    {
        for (var i = 0; i < destination.Length; i++)
        {
            var s = source[offset + i];
            if (s.Length != destination[i].Length)
                throw new ArgumentException($"State buffer {offset + i} has {s.Length} values, {destination[i].Length} expected.", name);
            s.CopyTo(destination[i], 0);
        }
    }
}
