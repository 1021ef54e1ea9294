namespace Diffusion.Research.Data;

/// <summary>
/// The 2-D toy distributions of FFJORD (Grathwohl et al. 2019, <c>lib/toy_data.py</c>) with the same shapes and
/// parameters, drawn per particle from the counter-based <see cref="Numerics.NoiseSource"/> so that sample i is the
/// same whatever the batch. docs/data.md lists each generator and where it differs from FFJORD.
/// </summary>
public static class ToyData
{
    /// <summary>FFJORD divides the 8gaussians samples by 1.414 (not sqrt 2); we keep that constant.</summary>
    public const double EightGaussiansDivisor = 1.414;

    /// <summary>
    /// 8gaussians: equal-weight isotropic mixture of 8 Gaussians with means (4/1.414)(cos k pi/4, sin k pi/4) and
    /// standard deviation 0.5/1.414, k = 0..7 (FFJORD's centres on the circle of radius 4, noise 0.5, then / 1.414).
    /// A <see cref="GaussianMixture"/>, so its noised score is exact.
    /// </summary>
    public static GaussianMixture EightGaussians()
    {
        var weights = new double[8];
        var means = new double[8][];
        var variances = new double[8];
        const double radius = 4.0 / EightGaussiansDivisor;
        const double std = 0.5 / EightGaussiansDivisor;
        for (var k = 0; k < 8; k++)
        {
            var angle = k * Math.PI / 4.0;
            weights[k] = 0.125;
            means[k] = [radius * Math.Cos(angle), radius * Math.Sin(angle)];
            variances[k] = std * std;
        }
        return GaussianMixture.Isotropic(weights, means, variances);
    }

    /// <summary>Registers 8gaussians (<see cref="DataSetRegistry.CreateDefault"/>).</summary>
    internal static void Register(DataSetRegistry r) =>
        r.Register("8gaussians", "8 isotropic Gaussians on a circle of radius 4/1.414, std 0.5/1.414 (exact score)", _ => EightGaussians());
}
