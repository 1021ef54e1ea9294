namespace Diffusion.Research.Conditional;

/// <summary>
/// A linear-Gaussian measurement y = A x + s ε, ε ~ N(0, I_m), with A an m × D matrix, noise level s &gt; 0 and the observed
/// y: the likelihood p(y | x) = N(y; A x, s² I) of the inverse problems (004 §14.2 "forward model" p(y | x); Chung et al. 2023
/// eq. 1). <see cref="ObservedCoordinates"/> is set when A selects coordinates (each row one unit vector, no column twice):
/// inpainting/imputation, where replacement and RePaint apply.
/// </summary>
public sealed class LinearMeasurement
{
    private readonly double[] _matrix; // m x D row-major
    private readonly double[] _observation;
    private readonly int[]? _observed;

    /// <summary>y = A x + s ε with A given row-major (<paramref name="rows"/> × <paramref name="dimension"/>).</summary>
    /// <exception cref="ArgumentException">On a shape mismatch, a non-finite entry, or s not finite and positive.</exception>
    public LinearMeasurement(IReadOnlyList<double> matrix, int rows, int dimension, double noise, IReadOnlyList<double> observation)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        ArgumentNullException.ThrowIfNull(observation);
        if (rows < 1) throw new ArgumentException($"A needs at least one row; {rows} given.", nameof(matrix));
        if (dimension < 1) throw new ArgumentException($"The dimension must be positive; {dimension} given.", nameof(dimension));
        if (matrix.Count != rows * dimension)
            throw new ArgumentException($"A has {matrix.Count} entries, expected {rows} x {dimension} = {rows * dimension}.", nameof(matrix));
        if (observation.Count != rows)
            throw new ArgumentException($"y has {observation.Count} entries, A has {rows} rows.", nameof(observation));
        if (!(double.IsFinite(noise) && noise > 0))
            throw new ArgumentOutOfRangeException(nameof(noise), noise, "The measurement noise s must be finite and positive.");
        foreach (var v in matrix)
            if (!double.IsFinite(v)) throw new ArgumentException("A has a non-finite entry.", nameof(matrix));
        foreach (var v in observation)
            if (!double.IsFinite(v)) throw new ArgumentException("y has a non-finite entry.", nameof(observation));
        _matrix = matrix.ToArray();
        _observation = observation.ToArray();
        Rows = rows;
        Dimension = dimension;
        Noise = noise;
        _observed = SelectedCoordinates(_matrix, rows, dimension);
    }

    /// <summary>Inpainting: observe the coordinates <paramref name="observed"/> of x (A the matching rows of I) with noise s.</summary>
    public static LinearMeasurement Inpainting(int dimension, IReadOnlyList<int> observed, double noise, IReadOnlyList<double> observation)
    {
        ArgumentNullException.ThrowIfNull(observed);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        if (observed.Count == 0) throw new ArgumentException("At least one coordinate must be observed.", nameof(observed));
        var a = new double[observed.Count * dimension];
        for (var r = 0; r < observed.Count; r++)
        {
            var c = observed[r];
            if ((uint)c >= (uint)dimension) throw new ArgumentException($"Observed coordinate {c} is outside [0, {dimension}).", nameof(observed));
            if (observed.Take(r).Contains(c)) throw new ArgumentException($"Observed coordinate {c} is listed twice.", nameof(observed));
            a[r * dimension + c] = 1.0;
        }
        return new LinearMeasurement(a, observed.Count, dimension, noise, observation);
    }

    /// <summary>Number of measurements m (rows of A).</summary>
    public int Rows { get; }

    /// <summary>Dimension D of x.</summary>
    public int Dimension { get; }

    /// <summary>The measurement noise standard deviation s.</summary>
    public double Noise { get; }

    /// <summary>A, row-major m × D.</summary>
    public IReadOnlyList<double> Matrix => _matrix;

    /// <summary>The observed y.</summary>
    public IReadOnlyList<double> Observation => _observation;

    /// <summary>The observed coordinates when A selects coordinates (row r observes coordinate ObservedCoordinates[r]); else null.</summary>
    public IReadOnlyList<int>? ObservedCoordinates => _observed;

    /// <summary>A[r, j].</summary>
    public double this[int row, int column] => _matrix[row * Dimension + column];

    private static int[]? SelectedCoordinates(double[] a, int rows, int d)
    {
        var result = new int[rows];
        for (var r = 0; r < rows; r++)
        {
            var found = -1;
            for (var j = 0; j < d; j++)
            {
                var v = a[r * d + j];
                if (v == 0.0) continue;
                if (v != 1.0 || found >= 0) return null;
                found = j;
            }
            if (found < 0 || result.Take(r).Contains(found)) return null;
            result[r] = found;
        }
        return result;
    }
}
