using System.Globalization;
using Diffusion.Research.Conditional;
using Diffusion.Research.Data;
using Diffusion.Research.Experiments.Configuration;
using Diffusion.Research.Experiments.Plans;
using Diffusion.Research.Nn.Conditional;
using Diffusion.Research.Nn.Models;
using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;
using Diffusion.Research.Scores;
using Diffusion.Research.Registries;
using Diffusion.Research.Sde;
using Diffusion.Research.Solvers;

namespace Diffusion.Research.Experiments.Conditional;

/// <summary>
/// What a <c>guidance</c> or <c>measurement</c> block changes in a cell, for the backend: the law the metrics compare
/// against (the exact conditional, the tilted law by quadrature, or the exact posterior), the guided score that replaces
/// the model's, and the posterior sampler that wraps the cell's solver. Cells without the blocks are untouched.
/// Errors are <see cref="ArgumentException"/>s whose parameter name is the user's dotted key.
/// </summary>
public static class ConditionalCell
{
    /// <summary>The labelled version of a data set: 8gaussians (one class per mode) and two_classes.</summary>
    public static LabelledMixture? Labelled(CellSpec cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        if (cell.Data.Parameters.Count > 0) return null;
        return cell.Data.Name switch
        {
            "8gaussians" => LabelledMixture.EightGaussians(),
            "two_classes" => LabelledMixture.TwoClasses(),
            _ => null,
        };
    }

    /// <summary>The name of the law a cell is scored against: the data set's name for an ordinary cell, else e.g.
    /// "two_classes | class 1" (conditional), "two_classes | class 1 tilted gamma = 3" or "two_classes | y = [0.5] (s = 0.1)" (posterior).</summary>
    public static string TargetName(CellSpec cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        if (cell.Conditional?.Guidance is { } g)
            return $"{cell.Data.Name} | class {g.Class.ToString(inv)}" + (g.Target == "tilted" ? $" tilted gamma = {g.Gamma.ToString("R", inv)}" : "");
        if (cell.Conditional?.Measurement is { } m)
            return $"{cell.Data.Name} | posterior given y = [{string.Join(", ", m.Observation.Select(v => v.ToString("R", inv)))}] (s = {m.Noise.ToString("R", inv)})";
        return cell.Data.Name;
    }

    /// <summary>Checks the blocks against the cell's data, SDE and model (throws with the dotted key at fault).</summary>
    public static void Check(CellSpec cell, IDataSet data, ISde sde, PosteriorSamplerRegistry methods)
    {
        ArgumentNullException.ThrowIfNull(cell);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(sde);
        ArgumentNullException.ThrowIfNull(methods);
        if (cell.Conditional is not { } spec) return;
        if (spec.Guidance is { } g)
        {
            var labelled = Labelled(cell)
                ?? throw new ArgumentException($"guidance needs labelled data: data.name 8gaussians (one class per mode) or two_classes (without parameters); got '{cell.Data.Name}'.", "guidance.kind");
            if (g.Class >= labelled.Classes)
                throw new ArgumentException($"class {g.Class} does not exist: {cell.Data.Name} has classes 0..{labelled.Classes - 1}.", "guidance.class");
            if (cell.Model.Kind != "exact")
                throw new ArgumentException("guidance is implemented with the exact conditional and unconditional scores only: model.kind must be exact.", "guidance.kind");
            if (sde.Kernel is null) throw new ArgumentException("guidance needs an SDE with a closed-form kernel.", "guidance.kind");
            if (g.Target == "tilted" && data.Dimension > 2)
                throw new ArgumentException("the tilted target is normalised by quadrature and needs D <= 2.", "guidance.target");
        }
        if (spec.Measurement is { } m)
        {
            if (Mixture(data) is null)
                throw new ArgumentException("a measurement needs Gaussian or Gaussian-mixture data (its exact posterior is the target).", "measurement");
            if (sde.Kernel is null) throw new ArgumentException("a measurement needs an SDE with a closed-form kernel.", "measurement.method");
            var measurement = Measurement(m, data.Dimension);
            if (m.Method is "replacement" or "repaint" && measurement.ObservedCoordinates is null)
                throw new ArgumentException($"method '{m.Method}' needs A to select coordinates (use measurement.observed).", "measurement.method");
            try
            {
                methods.Create(m.Method, measurement, new EulerMaruyama(), m.Parameters);
            }
            catch (ParameterException e)
            {
                throw new ConfigPathException("measurement.parameters." + e.Key, e.Message, e);
            }
            // The cell is scored against the exact posterior p(x | y); at a noise so small that its covariance Σ − K A Σ
            // cancels to a matrix that is not positive definite in floating point, say so here instead of in every run.
            try
            {
                _ = MixturePosterior.Of(Mixture(data)!, measurement);
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException(
                    $"the exact posterior p(x | y) the cell is scored against cannot be formed at noise {m.Noise.ToString(CultureInfo.InvariantCulture)} ({ConfigPathException.MessageOf(e).TrimEnd('.')}); use a larger measurement noise.",
                    "measurement.noise");
            }
        }
    }

    /// <summary>The law the metrics compare against: p(x | c), the tilted law, or p(x | y); null for an ordinary cell.</summary>
    public static IDataSet? Target(CellSpec cell, IDataSet data)
    {
        ArgumentNullException.ThrowIfNull(cell);
        if (cell.Conditional is not { } spec) return null;
        if (spec.Guidance is { } g)
        {
            var labelled = Labelled(cell)!;
            return g.Target == "tilted" ? new TiltedLaw(labelled, g.Class, g.Gamma) : labelled.ClassConditional(g.Class);
        }
        var m = spec.Measurement!;
        return MixturePosterior.Of(Mixture(data)!, Measurement(m, data.Dimension));
    }

    /// <summary>The guided score replacing <paramref name="model"/> (the exact unconditional score) for a guidance cell.</summary>
    public static IScoreModel Score(CellSpec cell, ISde sde, IScoreModel model, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(cell);
        ArgumentNullException.ThrowIfNull(sde);
        if (cell.Conditional?.Guidance is not { } g) return model;
        var labelled = Labelled(cell)!;
        var kernel = sde.Kernel!;
        var unconditional = new ExactNoisedScore(labelled.Mixture, kernel);
        if (g.Kind == "cfg" && g.Score == "learned")
        {
            var learned = LearnedScore(cell, labelled, sde, seed);
            return new ClassifierFreeGuidedScore(learned.ForClass(g.Class), learned.Unconditional, g.Scale);
        }
        if (g.Kind == "cfg")
            return new ClassifierFreeGuidedScore(new ExactNoisedScore(labelled.ClassConditional(g.Class), kernel), unconditional, g.Scale);
        IClassifier classifier = g.Classifier == "learned" ? Learned(cell, labelled, sde, seed) : new ExactClassifier(labelled, kernel);
        return new ClassifierGuidedScore(unconditional, classifier, g.Class, g.Scale);
    }

    // Learned classifiers, trained once per (data, SDE, t_eps, steps, seed) and shared by the cells and repeats that need one.
    private static readonly Dictionary<string, NoisyClassifier> LearnedClassifiers = new(StringComparer.Ordinal);

    /// <summary>
    /// A <see cref="NoisyClassifier"/> (MLP, width 32, 2 hidden layers, SiLU, Fourier time features) trained by
    /// <see cref="NoisyClassifierTrainer"/> for guidance.train_steps steps of 256 pairs at learning rate 3e-3 with t ~ U[t_eps, T],
    /// from the cell's data, SDE and the experiment seed (not the repeat: every repeat guides with the same classifier).
    /// </summary>
    private static NoisyClassifier Learned(CellSpec cell, LabelledMixture labelled, ISde sde, ulong seed)
    {
        var g = cell.Conditional!.Guidance!;
        var key = Plans.CanonicalJson.WriteDataAndSde(cell.Data, cell.Sde) + "|" + g.TrainSteps + "|" + seed;
        lock (LearnedClassifiers)
        {
            if (LearnedClassifiers.TryGetValue(key, out var cached)) return cached;
            var classifier = new NoisyClassifier(labelled.Dimension, labelled.Classes, new ModelOptions().WithWidth(32).WithHiddenLayers(2).WithSeed(seed + 1));
            NoisyClassifierTrainer.Train(classifier, labelled, sde.Kernel!, cell.Sde.TEps, sde.T, g.TrainSteps, 256, 3e-3, new NoiseSource(seed).Derive(0xC1A55));
            LearnedClassifiers[key] = classifier;
            return classifier;
        }
    }

    // Learned conditional scores, trained once per (data, SDE, t_eps, steps, p_uncond, seed) and shared like the classifiers.
    private static readonly Dictionary<string, ConditionalMlpScoreModel> LearnedScores = new(StringComparer.Ordinal);

    /// <summary>
    /// A <see cref="ConditionalMlpScoreModel"/> (MLP, width 64, 2 hidden layers, SiLU, Fourier time features, ε output) trained by
    /// <see cref="ConditionalScoreModelTrainer"/> with ε-prediction DSM (uniform weighting, t ~ U[t_eps, T]), label dropout
    /// guidance.p_uncond, guidance.train_steps steps of 256 labelled pairs at learning rate 3e-3, from the experiment seed
    /// (every repeat guides with the same model). In memory only (not checkpointed).
    /// </summary>
    private static ConditionalMlpScoreModel LearnedScore(CellSpec cell, LabelledMixture labelled, ISde sde, ulong seed)
    {
        var g = cell.Conditional!.Guidance!;
        var key = Plans.CanonicalJson.WriteDataAndSde(cell.Data, cell.Sde) + "|" + g.TrainSteps
            + "|" + g.UnconditionalProbability.ToString("R", System.Globalization.CultureInfo.InvariantCulture) + "|" + seed;
        lock (LearnedScores)
        {
            if (LearnedScores.TryGetValue(key, out var cached)) return cached;
            var kernel = sde.Kernel!;
            var model = new ConditionalMlpScoreModel(labelled.Dimension, labelled.Classes, new ModelOptions().WithWidth(64).WithHiddenLayers(2).WithSeed(seed + 2), kernel);
            ConditionalScoreModelTrainer.Train(model, labelled, kernel, new Nn.Losses.DenoisingScoreMatchingLoss(Prediction.Epsilon),
                new Nn.Losses.UniformTimeSampling(cell.Sde.TEps, sde.T), new Nn.Losses.UniformWeighting(), g.TrainSteps, 256, 3e-3,
                g.UnconditionalProbability, 1, new NoiseSource(seed).Derive(0xCF6));
            LearnedScores[key] = model;
            return model;
        }
    }

    /// <summary>The posterior sampler around <paramref name="solver"/> for a measurement cell.</summary>
    public static ISolver Solver(CellSpec cell, IDataSet data, ISolver solver, PosteriorSamplerRegistry methods)
    {
        ArgumentNullException.ThrowIfNull(cell);
        ArgumentNullException.ThrowIfNull(methods);
        if (cell.Conditional?.Measurement is not { } m) return solver;
        return methods.Create(m.Method, Measurement(m, data.Dimension), solver, m.Parameters);
    }

    private static LinearMeasurement Measurement(MeasurementSpec m, int dimension)
    {
        try
        {
            if (m.Matrix.Count > 0)
            {
                if (m.Matrix.Count != m.Rows * dimension)
                    throw new ArgumentException($"measurement.A has rows of {m.Matrix.Count / m.Rows} entries but the data are {dimension}-dimensional.", "measurement.A");
                return new LinearMeasurement(m.Matrix, m.Rows, dimension, m.Noise, m.Observation);
            }
            foreach (var i in m.Observed)
                if (i >= dimension) throw new ArgumentException($"observed coordinate {i} is outside 0..{dimension - 1}.", "measurement.observed");
            return LinearMeasurement.Inpainting(dimension, m.Observed, m.Noise, m.Observation);
        }
        catch (ArgumentException e) when (e is not ConfigPathException && e.ParamName is not null && !e.ParamName.StartsWith("measurement", StringComparison.Ordinal))
        {
            throw new ArgumentException(ConfigPathException.MessageOf(e), "measurement", e);
        }
    }

    private static GaussianMixture? Mixture(IDataSet data) => data switch
    {
        GaussianMixture g => g,
        Gaussian g => g.AsMixture,
        _ => null,
    };
}
