using Diffusion.Research.Kernels;

namespace Diffusion.Research.Scores;

/// <summary>
/// The EDM preconditioning (Karras et al. 2022, Table 1 and eq 7) as a parametrisation next to score, ε, x_0 and v:
/// a network F predicts through D(x̂; σ̂) = c_skip x̂ + c_out F(c_in x̂; c_noise), with x̂ = x/α_t, σ̂ = σ_t/α_t and
/// c_skip = σ_d²/(σ̂² + σ_d²), c_out = σ̂ σ_d/sqrt(σ̂² + σ_d²), c_in = 1/sqrt(σ̂² + σ_d²), c_noise = ¼ ln σ̂.
/// D is the x_0 prediction, so x_0 = (c_skip/α) x + c_out F is affine in (x, F) like every other kind
/// (<see cref="ToPrediction(Prediction, double, double)"/>, <see cref="FromPrediction"/>); for data N(μ = 0, σ_d² I) the ideal F is 0.
/// </summary>
/// <param name="SigmaData">σ_d, the data standard deviation (0.5 in Karras et al. 2022).</param>
public sealed record EdmPreconditioning(double SigmaData = 0.5)
{
    private double Checked()
    {
        if (!(SigmaData > 0) || !double.IsFinite(SigmaData)) throw new ArgumentOutOfRangeException(nameof(SigmaData), SigmaData, "sigma_data must be finite and > 0.");
        return SigmaData;
    }

    /// <summary>c_skip(σ̂) = σ_d²/(σ̂² + σ_d²).</summary>
    public double CSkip(double sigmaHat)
    {
        var d2 = Checked() * SigmaData;
        return d2 / (sigmaHat * sigmaHat + d2);
    }

    /// <summary>c_out(σ̂) = σ̂ σ_d/sqrt(σ̂² + σ_d²).</summary>
    public double COut(double sigmaHat) => sigmaHat * Checked() / Math.Sqrt(sigmaHat * sigmaHat + SigmaData * SigmaData);

    /// <summary>c_in(σ̂) = 1/sqrt(σ̂² + σ_d²).</summary>
    public double CIn(double sigmaHat) => 1 / Math.Sqrt(sigmaHat * sigmaHat + Checked() * SigmaData);

    /// <summary>c_noise(σ̂) = ¼ ln σ̂.</summary>
    public double CNoise(double sigmaHat) => 0.25 * Math.Log(sigmaHat);

    /// <summary>The map F → <paramref name="to"/> at kernel values α, σ: x_0 = (c_skip/α) x + c_out F, then x_0 → <paramref name="to"/>.</summary>
    public PredictionMap ToPrediction(Prediction to, double alpha, double sigma)
    {
        if (!(alpha > 0) || !(sigma > 0)) throw new ArgumentException($"EDM preconditioning needs alpha > 0 and sigma > 0 (got {alpha}, {sigma}).", alpha > 0 ? nameof(sigma) : nameof(alpha));
        var sigmaHat = sigma / alpha;
        var toData = new PredictionMap(CSkip(sigmaHat) / alpha, COut(sigmaHat));
        var next = PredictionConversion.Map(Prediction.Data, to, alpha, sigma);
        // to = n_x x + n_p x_0 = n_x x + n_p (a x + b F)
        return new PredictionMap(next.StateWeight + next.PredictionWeight * toData.StateWeight, next.PredictionWeight * toData.PredictionWeight);
    }

    /// <summary>The map <paramref name="from"/> → F at kernel values α, σ (the training target of F).</summary>
    public PredictionMap FromPrediction(Prediction from, double alpha, double sigma)
    {
        if (!(alpha > 0) || !(sigma > 0)) throw new ArgumentException($"EDM preconditioning needs alpha > 0 and sigma > 0 (got {alpha}, {sigma}).", alpha > 0 ? nameof(sigma) : nameof(alpha));
        var sigmaHat = sigma / alpha;
        var toData = PredictionConversion.Map(from, Prediction.Data, alpha, sigma);
        // F = (x_0 − (c_skip/α) x)/c_out
        var cOut = COut(sigmaHat);
        return new PredictionMap((toData.StateWeight - CSkip(sigmaHat) / alpha) / cOut, toData.PredictionWeight / cOut);
    }

    /// <summary><see cref="ToPrediction(Prediction, double, double)"/> at time t of <paramref name="kernel"/>.</summary>
    public PredictionMap ToPrediction(Prediction to, IKernel kernel, double t)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        return ToPrediction(to, kernel.Alpha(t), kernel.Sigma(t));
    }
}
