using Diffusion.Research.Kernels;

namespace Diffusion.Research.Nn.Models;

/// <summary>Builds the neural score model an options record describes.</summary>
public static class NeuralScoreModels
{
    /// <summary>An MLP score model or an energy model for <paramref name="dimension"/>-dimensional data.</summary>
    public static INeuralScoreModel Create(ModelOptions options, int dimension, IKernel? kernel)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return options.Kind switch
        {
            ModelKind.Mlp => new MlpScoreModel(dimension, options, kernel),
            ModelKind.Energy => new EnergyScoreModel(dimension, options),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Kind, "Unknown model kind."),
        };
    }

    /// <summary>Copies parameter values from <paramref name="values"/> (one array per parameter, in order).</summary>
    public static void Load(INeuralScoreModel model, IReadOnlyList<double[]> values)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(values);
        var parameters = model.Parameters;
        if (values.Count != parameters.Count) throw new ArgumentException($"{values.Count} arrays for {parameters.Count} parameters.", nameof(values));
        for (var i = 0; i < parameters.Count; i++)
        {
            if (values[i].Length != parameters[i].Length)
                throw new ArgumentException($"Parameter {parameters[i].Name} has {parameters[i].Length} values, got {values[i].Length}.", nameof(values));
            values[i].CopyTo(parameters[i].Values, 0);
        }
    }
}
