using Diffusion.Research.Registries;
using Diffusion.Research.Sampling;

namespace Diffusion.Research.Solvers;

/// <summary>
/// Solvers by name: a <see cref="ParameterRegistry{T}"/> (the framework's one registry shape) filled by
/// <see cref="CreateDefault"/> with the whole zoo. Each solver class registers itself from a static member in its own
/// file; <see cref="Register(Func{ParameterValues, ISolver}, ParameterSpec[])"/> takes the name and description from
/// the traits of the solver built with default parameters, so both are written once, in the traits.
/// </summary>
public sealed class SolverRegistry : ParameterRegistry<ISolver>
{
    /// <summary>An empty registry.</summary>
    public SolverRegistry()
        : base("solver")
    {
    }

    /// <summary>
    /// Adds the solver that <paramref name="factory"/> builds, under the name of its <see cref="SolverTraits"/> (built once
    /// with the defaults of <paramref name="parameters"/>); the description is the traits' one followed by the declared
    /// order and NFE per step read from the same traits, e.g. "[stochastic, weak order 2, 1 NFE/step]".
    /// </summary>
    public SolverRegistry Register(Func<ParameterValues, ISolver> factory, params ParameterSpec[] parameters)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(parameters);
        var traits = factory(ParameterValues.Bind(Kind, parameters, null)).Traits;
        Add(traits.Name, $"{traits.Description} [{Tag(traits)}]", factory, parameters);
        return this;
    }

    /// <summary>A registry holding every solver of this assembly, in registration order (<see cref="Registry{TContext, T}.Names"/>).</summary>
    public static SolverRegistry CreateDefault()
    {
        var r = new SolverRegistry();
        ExplicitRungeKutta.Register(r); // euler, heun, rk4
        DormandPrince45.Register(r);
        EulerMaruyama.Register(r);
        StochasticHeun.Register(r);
        GottaGoFast.Register(r);
        PredictorCorrector.Register(r); // pc, pc_em
        AnnealedLangevin.Register(r);
        DdpmAncestral.Register(r);
        Ddim.Register(r);
        DpmSolver2.Register(r);
        EdmHeun.Register(r);
        // The low-NFE zoo (issue 10): exponential integrators, multistep and ancestral samplers.
        DpmSolverMultistep.RegisterNoisePrediction(r);
        DpmSolverSinglestep.RegisterNoisePrediction(r);
        DpmSolverSinglestep.RegisterDataPrediction(r); // dpmpp_2s, dpmpp_3s
        DpmSolverMultistep.RegisterDataPrediction(r); // dpmpp_2m, dpmpp_3m, dpmpp_2m_sde, dpmpp_3m_sde
        UniPc.Register(r); // unipc_bh1, unipc_bh2
        DeisTimeAdamsBashforth.Register(r); // deis (log_rho = 1: DeisLogRho)
        ImprovedPndm.Register(r);
        RestartSampler.Register(r);
        Pndm.Register(r);
        AdaptiveDpmSolver.Register(r);
        LinearMultistep.Register(r);
        EulerAncestral.Register(r);
        Dpm2Ancestral.Register(r);
        DpmSolverPlusPlus2SAncestral.Register(r);
        return r;
    }

    private static string Tag(SolverTraits traits) =>
        $"{(traits.IsStochastic ? "stochastic, " : "")}{(traits.IsAdaptive ? "adaptive, " : "")}{(traits.IsStochastic ? "weak " : "")}order {traits.Order}, {traits.NfePerStep} NFE/step";
}
