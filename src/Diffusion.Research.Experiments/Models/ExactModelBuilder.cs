using Diffusion.Research.Data;
using Diffusion.Research.Experiments.Plans;
using Diffusion.Research.Kernels;
using Diffusion.Research.Numerics;
using Diffusion.Research.Scores;

namespace Diffusion.Research.Experiments.Models;

/// <summary>
/// <c>model.kind: exact</c>: the closed-form score of the noised data distribution, for Gaussian and Gaussian-mixture
/// data under an SDE with a Gaussian kernel: p_t = Σ w_k N(α_t μ_k, α_t² Σ_k + σ_t² I) (003 Lemma 4.4.1; Kingma et al. 2021;
/// Lu et al. 2022, §2).
/// Takes no other keys.
/// </summary>
public sealed class ExactModelBuilder : IModelBuilder
{
    /// <inheritdoc />
    public string Description => "exact score of the noised data (Gaussian or Gaussian-mixture data, SDE with a closed-form kernel); no other keys";

    /// <inheritdoc />
    public void Check(ModelContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var e in context.Model.Settings.Entries)
            if (e.Name != "kind")
                throw new ArgumentException($"model kind 'exact' takes no key '{e.Name}'.", "model." + e.Name);
        if (Mixture(context.Data) is null)
            throw new ArgumentException($"model kind 'exact' needs Gaussian or Gaussian-mixture data (e.g. 8gaussians, gaussian, mixture, gaussian_spectrum, mixture_spectrum); this data set has no closed-form score.", "data.name"); // located at the data, which the default model cannot score
        if (context.Sde.Kernel is null)
            throw new ArgumentException("model kind 'exact' needs an SDE with a closed-form kernel p_t(x_t|x_0).", "sde.kind");
    }

    /// <inheritdoc />
    public IScoreModel Build(ModelContext context)
    {
        Check(context);
        return new ExactNoisedScore(Mixture(context.Data)!, context.Sde.Kernel!);
    }

    private static INoisedDistribution? Mixture(IDataSet data) => data switch
    {
        GaussianMixture m => m,
        Gaussian g => g.AsMixture,
        SpectralGaussian s => s, // gaussian_spectrum: factored once, O(D) or O(D²) per score call
        SpectralMixture s => s,  // mixture_spectrum: shared eigenbasis, O(D² + K D) per point
        _ => null,
    };

    /// <summary>Registers the model kind <c>exact</c> (<see cref="ModelRegistry.CreateDefault"/>).</summary>
    internal static void Register(ModelRegistry r) => r.Register(ModelBlock.DefaultKind, new ExactModelBuilder());
}
