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

    /// <summary><c>guidance.train_steps</c> of a learned classifier or learned conditional score.</summary>
    public int TrainSteps { get; init; } = 2000;

    /// <summary><c>guidance.score</c>: exact (closed-form s(x | c) and s(x)) or learned (one <c>ConditionalMlpScoreModel</c> trained
    /// with label dropout for <see cref="TrainSteps"/> steps, its class and null-class outputs); classifier-free guidance only.</summary>
    public string Score { get; init; } = "exact";

    /// <summary><c>guidance.p_uncond</c>: the label-dropout probability of a learned conditional score (Ho &amp; Salimans 2022 §4.1: 0.1 or 0.2).</summary>
    public double UnconditionalProbability { get; init; } = 0.2;

    /// <summary>The tilt exponent γ of the t = 0 law the guided score is the score of at t = 0.</summary>
    public double Gamma => Kind == "cfg" ? 1 + Scale : Scale;
}
