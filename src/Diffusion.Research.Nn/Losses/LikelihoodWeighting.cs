using Diffusion.Research.Nn.Training;
using Diffusion.Research.Sde;

namespace Diffusion.Research.Nn.Losses;

/// <summary>λ(t) = g(t)²: the weighting under which the DSM objective bounds the negative log-likelihood (Song et al. 2021, "maximum likelihood training").</summary>
public sealed class LikelihoodWeighting(ISde sde) : ILossWeighting
{
    private readonly ISde _sde = sde ?? throw new ArgumentNullException(nameof(sde));

    /// <inheritdoc />
    public string Name => "likelihood";

    /// <inheritdoc />
    public double Weight(double t)
    {
        var g = _sde.Diffusion(t);
        return g * g;
    }

    /// <summary>Registers the weighting likelihood (<see cref="TrainingRegistries.CreateDefault"/>).</summary>
    internal static void Register(TrainingRegistries r) =>
        r.Weightings.Register("likelihood", "lambda(t) = g(t)^2 (likelihood weighting; Song, Durkan et al. 2021 Thm 1)", c => new LikelihoodWeighting(c.Sde));
}
