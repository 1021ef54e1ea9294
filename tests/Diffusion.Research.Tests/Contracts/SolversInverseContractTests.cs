using Diffusion.Research.Conditional;
using Diffusion.Research.Data;
using Diffusion.Research.Numerics;
using Diffusion.Research.Registries;
using Diffusion.Research.Sampling;
using Diffusion.Research.Scores;
using Diffusion.Research.Sde;
using Diffusion.Research.Solvers;

using static Diffusion.Research.Tests.Contracts.Contract;

namespace Diffusion.Research.Tests.Contracts;

/// <summary>Every argument check of solvers/Diffusion.Research.Solvers/Inverse: the boundary, the parameter name and the message.</summary>
public class SolversInverseContractTests
{
    private static LinearMeasurement Mixing() => new([0.7, -1.2], 1, 2, 0.1, [0.9]);

    private static LinearMeasurement Inpainting() => LinearMeasurement.Inpainting(2, [0], 0.1, [0.9]);

    private static SamplingProblem ReverseProblem() =>
        SamplingProblem.Reverse(Vp, new ExactNoisedScore(ToyData.EightGaussians(), Vp.Kernel!), 1);

    private static Batch Particles(int dimension = 2)
    {
        var x = new Batch(3, dimension);
        Vp.Prior(dimension).Sample(x, new NoiseSource(19), 0);
        return x;
    }

    [Fact]
    public void ReplacementSampler_constructor_checks_its_arguments()
    {
        Assert.Equal("measurement", Assert.Throws<ArgumentNullException>(() => new ReplacementSampler(null!, new EulerMaruyama())).ParamName);
        Assert.Equal("inner", Assert.Throws<ArgumentNullException>(() => new ReplacementSampler(Inpainting(), null!)).ParamName);
        Refused<ArgumentException>("measurement", "replacement needs A to select coordinates (inpainting); this A mixes them.",
            () => new ReplacementSampler(Mixing(), new EulerMaruyama()));
        Assert.Equal("replacement+euler_maruyama", new ReplacementSampler(Inpainting(), new EulerMaruyama()).Traits.Name);
    }

    [Fact]
    public void RePaintSampler_constructor_checks_its_arguments()
    {
        Assert.Equal("measurement", Assert.Throws<ArgumentNullException>(() => new RePaintSampler(null!, new EulerMaruyama(), 2)).ParamName);
        Assert.Equal("inner", Assert.Throws<ArgumentNullException>(() => new RePaintSampler(Inpainting(), null!, 2)).ParamName);
        Refused<ArgumentException>("measurement", "repaint needs A to select coordinates (inpainting); this A mixes them.",
            () => new RePaintSampler(Mixing(), new EulerMaruyama(), 2));
        foreach (var bad in new[] { 0, -1, int.MinValue })
            Assert.Equal("resamplings", Assert.Throws<ArgumentOutOfRangeException>(() => new RePaintSampler(Inpainting(), new EulerMaruyama(), bad)).ParamName);
        Assert.Equal(1, new RePaintSampler(Inpainting(), new EulerMaruyama(), 1).Resamplings);
    }

    [Fact]
    public void DiffusionPosteriorSampling_constructor_checks_its_arguments()
    {
        var inner = new EulerMaruyama();
        Assert.Equal("measurement", Assert.Throws<ArgumentNullException>(() => new DiffusionPosteriorSampling(null!, inner, 0.37, DpsStepRule.Constant)).ParamName);
        Assert.Equal("inner", Assert.Throws<ArgumentNullException>(() => new DiffusionPosteriorSampling(Mixing(), null!, 0.37, DpsStepRule.Constant)).ParamName);
        foreach (var bad in new[] { 0.0, -0.37, double.NaN, double.PositiveInfinity, double.NegativeInfinity })
            Refused<ArgumentOutOfRangeException>("zeta", "ζ must be finite and positive.", () => new DiffusionPosteriorSampling(Mixing(), inner, bad, DpsStepRule.Constant));
        Assert.Equal(1e-300, new DiffusionPosteriorSampling(Mixing(), inner, 1e-300, DpsStepRule.Constant).Zeta);
        foreach (var bad in new[] { (DpsStepRule)3, (DpsStepRule)(-1) })
            Refused<ArgumentOutOfRangeException>("rule", "Unknown DPS step rule.", () => new DiffusionPosteriorSampling(Mixing(), inner, 0.37, bad));
        foreach (var rule in new[] { DpsStepRule.Constant, DpsStepRule.Normalised, DpsStepRule.Likelihood })
            Assert.Equal(rule, new DiffusionPosteriorSampling(Mixing(), inner, 0.37, rule).Rule);
    }

    [Fact]
    public void InverseProblemSolver_Solve_checks_its_arguments()
    {
        var solver = new ReplacementSampler(Inpainting(), new EulerMaruyama());
        var grid = TimeGrid.Uniform(1, 0.25, 2);
        var options = new SolveOptions();
        Assert.Equal("problem", Assert.Throws<ArgumentNullException>(() => solver.Solve(null!, Particles(), grid, options)).ParamName);
        Assert.Equal("grid", Assert.Throws<ArgumentNullException>(() => solver.Solve(ReverseProblem(), Particles(), null!, options)).ParamName);
        Assert.Equal("options", Assert.Throws<ArgumentNullException>(() => solver.Solve(ReverseProblem(), Particles(), grid, null!)).ParamName);
        Assert.Equal("ChunkSize", Assert.Throws<ArgumentOutOfRangeException>(() => solver.Solve(ReverseProblem(), Particles(), grid, options.WithChunkSize(0))).ParamName);
        Refused<ArgumentException>("problem", "Solver 'replacement+euler_maruyama' is diffusion-aware: it needs the forward SDE and the score.",
            () => solver.Solve(SamplingProblem.Of(ReverseProblem().Dynamics), Particles(), grid, options));
        Refused<ArgumentException>("x", "The particles are 3-dimensional, the measurement acts on 2.", () => solver.Solve(ReverseProblem(), Particles(3), grid, options));
        Refused<ArgumentException>("x", "The particles are 1-dimensional, the measurement acts on 2.", () => solver.Solve(ReverseProblem(), Particles(1), grid, options));
        Assert.Equal(SolveStatus.Success, solver.Solve(ReverseProblem(), Particles(), grid, options).Status);
    }

    [Fact]
    public void PosteriorSamplerContext_checks_its_references()
    {
        var inner = new EulerMaruyama();
        Assert.Equal("Measurement", Assert.Throws<ArgumentNullException>(() => new PosteriorSamplerContext(null!, inner, ParameterValues.Empty)).ParamName);
        Assert.Equal("Inner", Assert.Throws<ArgumentNullException>(() => new PosteriorSamplerContext(Inpainting(), null!, ParameterValues.Empty)).ParamName);
        Assert.Equal("Parameters", Assert.Throws<ArgumentNullException>(() => new PosteriorSamplerContext(Inpainting(), inner, null!)).ParamName);
        Assert.Same(inner, new PosteriorSamplerContext(Inpainting(), inner, ParameterValues.Empty).Inner);
    }

    [Fact]
    public void PosteriorSamplerRegistry_checks_the_step_rule()
    {
        var registry = PosteriorSamplerRegistry.CreateDefault();
        foreach (var bad in new[] { 3, -1 })
        {
            var e = Assert.Throws<ParameterException>(() =>
                registry.Create("dps", Mixing(), new EulerMaruyama(), new Dictionary<string, double> { ["step_rule"] = bad }));
            Assert.Equal("step_rule", e.ParamName);
            Assert.Equal("step_rule", e.Key);
            Assert.Equal($"step_rule must be 0 (constant), 1 (normalised) or 2 (likelihood), got {bad}.", e.Message);
        }
        foreach (var rule in new[] { 0, 1, 2 })
        {
            var dps = Assert.IsType<DiffusionPosteriorSampling>(registry.Create("dps", Mixing(), new EulerMaruyama(), new Dictionary<string, double> { ["step_rule"] = rule }));
            Assert.Equal((DpsStepRule)rule, dps.Rule);
        }
    }
}
