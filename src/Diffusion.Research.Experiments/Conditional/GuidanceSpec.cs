namespace Diffusion.Research.Experiments.Conditional;

/// <summary>
/// The <c>guidance:</c> block of a cell: <c>kind</c> (classifier or cfg; none is no block), <c>scale</c> w, <c>class</c> c and
/// <c>target</c>, the law the metrics compare against: <c>conditional</c> p(x | c) or <c>tilted</c> p(x | c)^γ p(x)^(1−γ) with
/// γ = w for classifier guidance and γ = 1 + w for classifier-free guidance.
/// </summary>
public sealed record GuidanceSpec(string Kind, double Scale, int Class, string Target)
{
    /// <summary><c>guidance.classifier</c>: exact (the closed-form ∇ log p_t(c | x)) or learned (a <c>NoisyClassifier</c> trained
    /// for <see cref="TrainSteps"/> steps); classifier guidance only.</summary>
    public string Classifier { get; init; } = "exact";

    /// <summary><c>guidance.train_steps</c> of a learned classifier.</summary>
    public int TrainSteps { get; init; } = 2000;

    /// <summary>The tilt exponent γ of the t = 0 law the guided score is the score of at t = 0.</summary>
    public double Gamma => Kind == "cfg" ? 1 + Scale : Scale;
}
