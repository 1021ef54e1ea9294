namespace Diffusion.Research.Gpu;

/// <summary>The fused kernel family a CPU solver maps to.</summary>
public enum DeviceMethod
{
    /// <summary><see cref="TrajectoryKernels.EulerMaruyama{TScore}"/>.</summary>
    EulerMaruyama,

    /// <summary><see cref="TrajectoryKernels.RungeKutta{TScore}"/> (euler, heun, rk4, any explicit tableau of up to 4 stages).</summary>
    RungeKutta,

    /// <summary><see cref="TrajectoryKernels.GaussianStep{TScore}"/> (ddim with any eta, ddpm).</summary>
    GaussianStep,

    /// <summary><see cref="TrajectoryKernels.StochasticHeun{TScore}"/>.</summary>
    StochasticHeun,

    /// <summary><see cref="TrajectoryKernels.DpmSolver2{TScore}"/>.</summary>
    DpmSolver2,

    /// <summary><see cref="TrajectoryKernels.Edm{TScore}"/> (with or without churn).</summary>
    Edm,

    /// <summary><see cref="TrajectoryKernels.AnnealedLangevin{TScore}"/>.</summary>
    AnnealedLangevin,

    /// <summary>Predictor–corrector, lock-step (<see cref="PredictorCorrectorKernels"/>); the enum value names the predictor launch.</summary>
    PredictorCorrector,

    /// <summary><see cref="PredictorCorrectorKernels.CorrectorScores{TScore}"/>.</summary>
    CorrectorScores,

    /// <summary><see cref="PredictorCorrectorKernels.CorrectorUpdate{TScore}"/>.</summary>
    CorrectorUpdate,
}
