using Diffusion.Research.Data;
using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;
using Diffusion.Research.Scores;
using Diffusion.Research.Sde;
using Diffusion.Research.Solvers;

using static Diffusion.Research.Tests.Contracts.Contract;

namespace Diffusion.Research.Tests.Contracts;

/// <summary>Every argument check of solvers/Diffusion.Research.Solvers/Diffusion: the boundary, the parameter name and the message.</summary>
public class SolversDiffusionContractTests
{
    private static readonly VeSde Ve = new(0.01, 10.0);


    private static SamplingProblem ReverseProblem(ISde sde, double lambda) =>
        SamplingProblem.Reverse(sde, new ExactNoisedScore(ToyData.EightGaussians(), sde.Kernel!), lambda);

    private static Batch Particles(ISde sde)
    {
        var x = new Batch(3, 2);
        sde.Prior(2).Sample(x, new NoiseSource(11), 0);
        return x;
    }

    private static readonly double[] NegativeOrNotFinite = [-0.37, -1e-300, double.NaN, double.PositiveInfinity, double.NegativeInfinity];

    [Fact]
    public void Churn_Validate_checks_every_setting()
    {
        foreach (var bad in NegativeOrNotFinite)
        {
            Refused<ArgumentOutOfRangeException>("SChurn", "S_churn must be finite and >= 0.", () => new Churn(SChurn: bad).Validate());
            Refused<ArgumentOutOfRangeException>("SNoise", "S_noise must be finite and >= 0.", () => new Churn(SChurn: 0.37, SNoise: bad).Validate());
        }
        foreach (var bad in new[] { -0.37, -1e-300, double.NaN, double.NegativeInfinity })
            Refused<ArgumentOutOfRangeException>("STMin", "S_tmin must be >= 0.", () => new Churn(SChurn: 0.37, STMin: bad).Validate());
        foreach (var bad in new[] { 0.25, 0.5 - 1e-12, double.NaN, double.NegativeInfinity })
            Refused<ArgumentOutOfRangeException>("STMax", "S_tmax must be >= S_tmin.", () => new Churn(SChurn: 0.37, STMin: 0.5, STMax: bad).Validate());
        new Churn(SChurn: 0, STMin: 0, STMax: 0, SNoise: 0).Validate();
        new Churn(SChurn: 2.5, STMin: 0.5, STMax: 0.5, SNoise: 0.37).Validate();
        new Churn(SChurn: 2.5, STMin: 0.5).Validate();
        new Churn(SChurn: 2.5, STMin: double.PositiveInfinity).Validate();
    }

    [Fact]
    public void EdmHeun_constructor_validates_its_churn()
    {
        Refused<ArgumentOutOfRangeException>("SChurn", "S_churn must be finite and >= 0.", () => new EdmHeun(new Churn(SChurn: -0.37)));
        Refused<ArgumentOutOfRangeException>("STMax", "S_tmax must be >= S_tmin.", () => new EdmHeun(new Churn(SChurn: 0.37, STMin: 0.5, STMax: 0.25)));
        Assert.Equal(2.5, new EdmHeun(new Churn(SChurn: 2.5)).Churn.SChurn);
        Assert.Same(Churn.None, new EdmHeun().Churn);
    }

    [Fact]
    public void Ddim_constructor_checks_eta()
    {
        foreach (var bad in new[] { -0.37, -1e-300, 1.25, 1 + 1e-15, double.NaN, double.PositiveInfinity })
            Refused<ArgumentOutOfRangeException>("eta", "eta must lie in [0, 1].", () => new Ddim(bad));
        Assert.Equal(0.0, new Ddim(0).Eta);
        Assert.Equal(1.0, new Ddim(1).Eta);
        Assert.Equal(0.37, new Ddim(0.37).Eta);
    }

    [Fact]
    public void EdmStep_Of_checks_its_references()
    {
        var grid = TimeGrid.Uniform(1, 0.25, 3);
        Assert.Equal("sde", Assert.Throws<ArgumentNullException>(() => EdmStep.Of(null!, Vp.Kernel!, grid, 0, Churn.None)).ParamName);
        Assert.Equal("kernel", Assert.Throws<ArgumentNullException>(() => EdmStep.Of(Vp, null!, grid, 0, Churn.None)).ParamName);
        Assert.Equal("grid", Assert.Throws<ArgumentNullException>(() => EdmStep.Of(Vp, Vp.Kernel!, null!, 0, Churn.None)).ParamName);
        Assert.Equal("churn", Assert.Throws<ArgumentNullException>(() => EdmStep.Of(Vp, Vp.Kernel!, grid, 0, null!)).ParamName);
        var step = EdmStep.Of(Vp, Vp.Kernel!, grid, 0, Churn.None);
        Assert.Equal(Vp.Kernel!.Alpha(1), step.AlphaT);
        Assert.Equal(0.0, step.Noise);
    }

    [Fact]
    public void DdpmAncestral_constructor_checks_its_arguments()
    {
        foreach (var bad in new[] { -1, int.MinValue })
            Assert.Equal("discreteBetas", Assert.Throws<ArgumentOutOfRangeException>(() => new DdpmAncestral(0.37, bad)).ParamName);
        Refused<ArgumentOutOfRangeException>("discreteBetas", "discrete_betas needs N >= 2 (0: continuous kernel).", () => new DdpmAncestral(0.37, 1));
        Assert.Equal(0, new DdpmAncestral(0.37, 0).DiscreteBetas);
        Assert.Equal(2, new DdpmAncestral(0.37, 2).DiscreteBetas);
        foreach (var bad in new[] { -0.37, -1e-300, 1.25, 1 + 1e-15, double.NaN, double.PositiveInfinity })
            Refused<ArgumentOutOfRangeException>("varianceWeight", "The variance weight must lie in [0, 1] (0: posterior variance, 1: beta).", () => new DdpmAncestral(bad));
        Assert.Equal(0.0, new DdpmAncestral(0).VarianceWeight);
        Assert.Equal(1.0, new DdpmAncestral(1).VarianceWeight);
    }

    [Fact]
    public void DdpmAncestral_with_discrete_betas_needs_the_linear_vp_sde()
    {
        var grid = TimeGrid.Uniform(1, 0.25, 3);
        Refused<ArgumentException>("problem",
            "Solver 'ddpm': discrete_betas = 2 (score_sde's discrete beta table) needs the linear VP SDE, got VeSde(sigma_min=0.01, sigma_max=10).",
            () => new DdpmAncestral(0.37, 2).Solve(ReverseProblem(Ve, 1), Particles(Ve), grid, new SolveOptions()));
        Assert.Equal(SolveStatus.Success, new DdpmAncestral(0.37, 1000).Solve(ReverseProblem(Vp, 1), Particles(Vp), grid, new SolveOptions()).Status);
        Assert.Equal(SolveStatus.Success, new DdpmAncestral(0.37, 0).Solve(ReverseProblem(Ve, 1), Particles(Ve), grid, new SolveOptions()).Status);
    }

    [Fact]
    public void AnnealedLangevin_constructor_checks_its_arguments()
    {
        foreach (var bad in new[] { 0.0, -0.37, double.NaN, double.PositiveInfinity, double.NegativeInfinity })
            Refused<ArgumentOutOfRangeException>("epsilon", "The base step must be finite and > 0.", () => new AnnealedLangevin(bad, 3));
        Assert.Equal(1e-300, new AnnealedLangevin(1e-300, 3).Epsilon);
        foreach (var bad in new[] { 0, -1, int.MinValue })
            Assert.Equal("stepsPerLevel", Assert.Throws<ArgumentOutOfRangeException>(() => new AnnealedLangevin(0.37, bad)).ParamName);
        Assert.Equal(1, new AnnealedLangevin(0.37, 1).StepsPerLevel);
    }

    [Fact]
    public void DiscreteBetaTable_checks_the_sde_and_the_schedule()
    {
        Refused<ArgumentException>("problem",
            "Solver 'pc': discrete_betas = 1000 (score_sde's discrete beta table) needs the linear VP SDE, got VeSde(sigma_min=0.01, sigma_max=10).",
            () => DiscreteBetaTable.Schedule(Ve, 1000, "pc"));
        Refused<ArgumentException>("problem",
            "Solver 'ddpm': discrete_betas = 7 (score_sde's discrete beta table) needs the linear VP SDE, got no SDE.",
            () => DiscreteBetaTable.Schedule(null, 7, "ddpm"));
        var cosine = VpSde.Cosine();
        Refused<ArgumentException>("problem",
            $"Solver 'x': discrete_betas = 2 (score_sde's discrete beta table) needs the linear VP SDE, got {cosine}.",
            () => DiscreteBetaTable.Schedule(cosine, 2, "x"));
        var linear = DiscreteBetaTable.Schedule(Vp, 2, "x");
        Assert.Same(Vp.Schedule, linear);
        Assert.Equal("linear", Assert.Throws<ArgumentNullException>(() => DiscreteBetaTable.Beta(null!, 10, 0.37)).ParamName);
        Assert.True(DiscreteBetaTable.Beta(linear, 10, 0.37) > 0);
    }

    [Fact]
    public void PredictorCorrector_constructor_checks_its_arguments()
    {
        foreach (var bad in new[] { -1, int.MinValue })
            Assert.Equal("discreteBetas", Assert.Throws<ArgumentOutOfRangeException>(() => new PredictorCorrector(discreteBetas: bad)).ParamName);
        Refused<ArgumentOutOfRangeException>("discreteBetas", "discrete_betas needs N >= 2 (0: continuous kernel).", () => new PredictorCorrector(discreteBetas: 1));
        Assert.Equal(0, new PredictorCorrector(discreteBetas: 0).DiscreteBetas);
        Assert.Equal(2, new PredictorCorrector(discreteBetas: 2).DiscreteBetas);
        foreach (var bad in new[] { -1, int.MinValue })
            Assert.Equal("correctorSteps", Assert.Throws<ArgumentOutOfRangeException>(() => new PredictorCorrector(correctorSteps: bad)).ParamName);
        Assert.Equal(0, new PredictorCorrector(correctorSteps: 0).CorrectorSteps);
        foreach (var bad in NegativeOrNotFinite)
            Refused<ArgumentOutOfRangeException>("snr", "The signal-to-noise ratio must be finite and >= 0.", () => new PredictorCorrector(snr: bad));
        Assert.Equal(0.0, new PredictorCorrector(snr: 0).SignalToNoise);
        foreach (var bad in new[] { (PredictorKind)2, (PredictorKind)(-1) })
            Refused<ArgumentOutOfRangeException>("predictor", "Unknown predictor.", () => new PredictorCorrector(bad));
        Assert.Equal(PredictorKind.ReverseDiffusion, new PredictorCorrector(PredictorKind.ReverseDiffusion).Predictor);
        Assert.Equal(PredictorKind.EulerMaruyama, new PredictorCorrector(PredictorKind.EulerMaruyama).Predictor);
    }

    [Fact]
    public void PredictorCorrector_with_discrete_betas_needs_the_linear_vp_sde()
    {
        var grid = TimeGrid.Uniform(1, 0.25, 3);
        Refused<ArgumentException>("problem",
            "Solver 'pc': discrete_betas = 2 (score_sde's discrete beta table) needs the linear VP SDE, got VeSde(sigma_min=0.01, sigma_max=10).",
            () => new PredictorCorrector(discreteBetas: 2).Solve(ReverseProblem(Ve, 1), Particles(Ve), grid, new SolveOptions()));
        Assert.Equal(SolveStatus.Success, new PredictorCorrector(discreteBetas: 1000).Solve(ReverseProblem(Vp, 1), Particles(Vp), grid, new SolveOptions()).Status);
    }
}
