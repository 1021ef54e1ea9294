using Diffusion.Research.Data;
using Diffusion.Research.Numerics;

namespace Diffusion.Research.Conditional;

/// <summary>
/// A Gaussian mixture whose components carry class labels: the joint law p(x, c) = Σ_{k: label(k) = c} w_k N(x; μ_k, Σ_k).
/// Everything conditional is exact under every affine kernel p(x_t | x_0) = N(α x_0, σ² I) (003 §4.4, Lemma 4.4.1; Kingma
/// et al. 2021):
/// the class prior π_c = Σ_{k ∈ c} w_k; the class-conditional p_t(x | c), which is the sub-mixture of the components of
/// class c with weights w_k / π_c, noised like any mixture; the unconditional p_t(x) (the whole mixture); and the
/// classifier p_t(c | x) = π_c p_t(x | c) / p_t(x) (Bayes' rule; 004 §14.2; Song et al. 2021, eq (14); Dhariwal and Nichol 2021),
/// whose gradient is
/// ∇ log p_t(c | x) = ∇ log p_t(x | c) − ∇ log p_t(x) because π_c does not depend on x (004 §14.2 (Song et al. 2021, eq (14);
/// Dhariwal and Nichol 2021) "Bayes' rule for
/// score functions", with the ∇ log p(y) = 0 term).
/// </summary>
public sealed class LabelledMixture
{
    private readonly int[] _labels;
    private readonly double[] _priors;
    private readonly GaussianMixture[] _conditionals;

    /// <summary>Labels <paramref name="labels"/>[k] ∈ {0, ..., C−1} for every component k of <paramref name="mixture"/>;
    /// every class in 0..C−1 (C = max label + 1) must own at least one component.</summary>
    /// <exception cref="ArgumentException">When the label count differs from the component count, a label is negative,
    /// or a class below the largest label has no component.</exception>
    public LabelledMixture(GaussianMixture mixture, IReadOnlyList<int> labels)
    {
        ArgumentNullException.ThrowIfNull(mixture);
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Count != mixture.Components)
            throw new ArgumentException($"{labels.Count} labels given for {mixture.Components} components.", nameof(labels));
        _labels = labels.ToArray();
        foreach (var l in _labels)
            if (l < 0) throw new ArgumentException($"Label {l} is negative.", nameof(labels));
        Classes = _labels.Max() + 1;
        Mixture = mixture;
        _priors = new double[Classes];
        _conditionals = new GaussianMixture[Classes];
        for (var c = 0; c < Classes; c++)
        {
            var members = Enumerable.Range(0, mixture.Components).Where(k => _labels[k] == c).ToArray();
            if (members.Length == 0) throw new ArgumentException($"Class {c} has no component (classes must be 0..{Classes - 1}).", nameof(labels));
            var prior = members.Sum(k => mixture.Weights[k]);
            _priors[c] = prior;
            // The sub-mixture of class c: weights w_k / π_c renormalised so they sum to 1 to rounding.
            var weights = members.Select(k => mixture.Weights[k] / prior).ToArray();
            var sum = weights.Sum();
            for (var i = 0; i < weights.Length; i++) weights[i] /= sum;
            var means = members.Select(mixture.Mean).ToArray();
            _conditionals[c] = mixture.IsIsotropic
                ? GaussianMixture.Isotropic(weights, means, members.Select(k => mixture.Covariance(k)[0, 0]).ToArray())
                : new GaussianMixture(weights, means, members.Select(mixture.Covariance).ToArray());
        }
    }

    /// <summary>The unconditional mixture p(x) = Σ_c π_c p(x | c).</summary>
    public GaussianMixture Mixture { get; }

    /// <summary>Number of classes C.</summary>
    public int Classes { get; }

    /// <summary>Dimension D of x.</summary>
    public int Dimension => Mixture.Dimension;

    /// <summary>The label of every component.</summary>
    public IReadOnlyList<int> Labels => _labels;

    /// <summary>The class prior π_c = Σ_{k ∈ c} w_k.</summary>
    public double ClassProbability(int label) => _priors[CheckLabel(label)];

    /// <summary>The class-conditional law p(x | c): the components of class c with weights w_k / π_c (exact under noising:
    /// its noised marginal is p_t(x | c)).</summary>
    public GaussianMixture ClassConditional(int label) => _conditionals[CheckLabel(label)];

    /// <summary>log p_t(c | x_i) = log π_c + log p_t(x_i | c) − log p_t(x_i) at kernel (α, σ) (Bayes' rule; 004 §14.2; Song
    /// et al. 2021, eq (14); Dhariwal and Nichol 2021).
    /// Allocates a scratch vector of N doubles.</summary>
    public void NoisedClassLogProbability(double alpha, double sigma, int label, Batch x, Span<double> destination)
    {
        var conditional = ClassConditional(label);
        if (destination.Length < x.Count) throw new ArgumentException("Destination shorter than the batch.", nameof(destination));
        var marginal = new double[x.Count];
        Mixture.NoisedLogDensity(alpha, sigma, x, marginal);
        conditional.NoisedLogDensity(alpha, sigma, x, destination);
        var logPrior = Math.Log(_priors[label]);
        for (var i = 0; i < x.Count; i++) destination[i] += logPrior - marginal[i];
    }

    /// <summary>
    /// 8gaussians (<see cref="ToyData.EightGaussians"/>) with one class per mode: mode k at angle k π/4 has label k.
    /// </summary>
    public static LabelledMixture EightGaussians() => new(ToyData.EightGaussians(), [0, 1, 2, 3, 4, 5, 6, 7]);

    /// <summary>
    /// A 2-D two-class mixture with overlapping classes and full covariances: class 0 = 0.3 N((−1, 0.5), [[0.6, 0.2], [0.2, 0.4]])
    /// + 0.2 N((0.5, −1), 0.3 I), class 1 = 0.35 N((1, 0), [[0.5, −0.15], [−0.15, 0.7]]) + 0.15 N((−0.5, −0.5), 0.4 I), so
    /// π = (0.5, 0.5) and the classes share much of their mass (p(c | x) is far from 0 or 1 near the origin).
    /// </summary>
    public static LabelledMixture TwoClasses()
    {
        var mixture = new GaussianMixture(
            [0.3, 0.2, 0.35, 0.15],
            [[-1.0, 0.5], [0.5, -1.0], [1.0, 0.0], [-0.5, -0.5]],
            [new[,] { { 0.6, 0.2 }, { 0.2, 0.4 } }, new[,] { { 0.3, 0.0 }, { 0.0, 0.3 } },
             new[,] { { 0.5, -0.15 }, { -0.15, 0.7 } }, new[,] { { 0.4, 0.0 }, { 0.0, 0.4 } }]);
        return new LabelledMixture(mixture, [0, 0, 1, 1]);
    }

    private int CheckLabel(int label)
    {
        if ((uint)label >= (uint)Classes)
            throw new ArgumentOutOfRangeException(nameof(label), label, $"The class must be in [0, {Classes}).");
        return label;
    }
}
