namespace Diffusion.Research.Registries;

/// <summary>The type of a component parameter.</summary>
public enum ParameterType
{
    /// <summary>A finite real number.</summary>
    Real,

    /// <summary>A whole number that fits an <see cref="int"/>.</summary>
    Integer,

    /// <summary>A list of finite real numbers (a matrix is flattened row-major).</summary>
    Vector,
}
