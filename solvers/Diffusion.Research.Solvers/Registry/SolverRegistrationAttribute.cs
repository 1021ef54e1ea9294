namespace Diffusion.Research.Solvers;

/// <summary>
/// Marks a static method <c>void M(SolverRegistry r)</c> of this assembly that registers one or more solvers:
/// <see cref="SolverRegistry.CreateDefault"/> calls every marked method in increasing <see cref="Order"/>, which is the
/// order of <c>diffusion list solvers</c> (pinned by a test). Orders are spaced by 10 so that a new solver slots in
/// between without renumbering the others.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
internal sealed class SolverRegistrationAttribute(int order) : Attribute
{
    /// <summary>The place in the registration order.</summary>
    public int Order { get; } = order;
}
