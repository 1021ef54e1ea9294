namespace Diffusion.Research.Nn;

/// <summary>A trainable matrix: its values and the gradient an optimiser reads.</summary>
public sealed class Parameter
{
    /// <summary>A zero-initialised rows x columns parameter.</summary>
    public Parameter(string name, int rows, int columns)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        Name = name;
        Rows = rows;
        Columns = columns;
        Values = new double[checked(rows * columns)];
        Gradient = new double[Values.Length];
    }

    /// <summary>Name, unique within a model (used by checkpoints).</summary>
    public string Name { get; }

    /// <summary>Rows.</summary>
    public int Rows { get; }

    /// <summary>Columns.</summary>
    public int Columns { get; }

    /// <summary>Rows x Columns.</summary>
    public int Length => Values.Length;

    /// <summary>The values, row-major.</summary>
    public double[] Values { get; }

    /// <summary>The gradient of the current loss, row-major.</summary>
    public double[] Gradient { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({Rows} x {Columns})";
}
