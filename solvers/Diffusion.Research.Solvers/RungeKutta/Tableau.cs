namespace Diffusion.Research.Solvers;

/// <summary>
/// The Butcher tableau of an explicit Runge–Kutta method (Hairer, Nørsett, Wanner I, §II.1):
/// stage j evaluates k_j = a(x + dt Σ_{l&lt;j} A[j][l] k_l, t + C[j] dt), the step is x + dt Σ B[j] k_j,
/// and an embedded pair adds the error weights E = B − B̂ so that dt Σ E[j] k_j estimates the local error.
/// Adding an explicit method is a new tableau value; the stepping logic is written once (<see cref="RungeKuttaStages"/>).
/// </summary>
public sealed class Tableau
{
    private readonly double[][] _a;
    private readonly double[] _b;
    private readonly double[] _c;
    private readonly double[]? _e;

    /// <summary>Builds and checks a tableau: A strictly lower triangular, rows of A summing to C, weights summing to 1.</summary>
    /// <param name="name">Method name.</param>
    /// <param name="order">Classical order of the solution weights.</param>
    /// <param name="a">Rows of A (row j holds j entries).</param>
    /// <param name="b">Solution weights.</param>
    /// <param name="c">Nodes.</param>
    /// <param name="error">Error weights B − B̂ of an embedded pair, or null.</param>
    /// <param name="embeddedOrder">Order of the embedded solution (0 without one).</param>
    /// <param name="firstSameAsLast">The last stage is evaluated at the new solution (FSAL) and can be reused as the next first stage.</param>
    public Tableau(string name, int order, IReadOnlyList<IReadOnlyList<double>> a, IReadOnlyList<double> b, IReadOnlyList<double> c,
        IReadOnlyList<double>? error = null, int embeddedOrder = 0, bool firstSameAsLast = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(c);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(order);
        var s = b.Count;
        if (s == 0) throw new ArgumentException("A tableau needs at least one stage.", nameof(b));
        if (a.Count != s || c.Count != s) throw new ArgumentException($"A has {a.Count} rows and C {c.Count} entries; B has {s}.", nameof(a));
        if (error is not null && error.Count != s) throw new ArgumentException($"Error weights have {error.Count} entries; B has {s}.", nameof(error));
        _a = new double[s][];
        for (var j = 0; j < s; j++)
        {
            if (a[j].Count != j) throw new ArgumentException($"Row {j} of A must hold {j} entries (explicit method), got {a[j].Count}.", nameof(a));
            _a[j] = a[j].ToArray();
            var rowSum = _a[j].Sum();
            if (Math.Abs(rowSum - c[j]) > 1e-12) throw new ArgumentException($"Row {j} of A sums to {rowSum}, but C[{j}] = {c[j]}.", nameof(c));
        }
        _b = b.ToArray();
        if (Math.Abs(_b.Sum() - 1) > 1e-12) throw new ArgumentException($"Weights sum to {_b.Sum()}, not 1 (inconsistent method).", nameof(b));
        _c = c.ToArray();
        _e = error?.ToArray();
        if (_e is not null && Math.Abs(_e.Sum()) > 1e-12) throw new ArgumentException($"Error weights sum to {_e.Sum()}, not 0.", nameof(error));
        if (firstSameAsLast && (_c[s - 1] != 1 || !_a[s - 1].SequenceEqual(_b.Take(s - 1)) || _b[s - 1] != 0))
            throw new ArgumentException("FSAL needs the last row of A to equal B, C = 1 and B[last] = 0.", nameof(firstSameAsLast));
        Coefficients = Array.AsReadOnly(Array.ConvertAll(_a, row => (IReadOnlyList<double>)Array.AsReadOnly(row)));
        SolutionWeights = Array.AsReadOnly(_b);
        Nodes = Array.AsReadOnly(_c);
        ErrorWeights = Array.AsReadOnly(_e ?? []);
        Name = name;
        Order = order;
        EmbeddedOrder = error is null ? 0 : embeddedOrder;
        FirstSameAsLast = firstSameAsLast;
    }

    /// <summary>Method name.</summary>
    public string Name { get; }

    /// <summary>Order of the solution.</summary>
    public int Order { get; }

    /// <summary>Order of the embedded solution, 0 without one.</summary>
    public int EmbeddedOrder { get; }

    /// <summary>True when the last stage equals the next step's first stage.</summary>
    public bool FirstSameAsLast { get; }

    /// <summary>Number of stages s.</summary>
    public int Stages => _b.Length;

    /// <summary>True when the tableau carries error weights.</summary>
    public bool HasErrorEstimate => _e is not null;

    /// <summary>A[j][l] for l &lt; j.</summary>
    public double A(int j, int l) => _a[j][l];

    /// <summary>Row j of A.</summary>
    public ReadOnlySpan<double> ARow(int j) => _a[j];

    /// <summary>Solution weights.</summary>
    public ReadOnlySpan<double> B => _b;

    /// <summary>Nodes.</summary>
    public ReadOnlySpan<double> C => _c;

    /// <summary>Error weights B − B̂ (empty without an embedded pair).</summary>
    public ReadOnlySpan<double> E => _e;

    /// <summary>Rows of A as read-only lists (row j holds j entries), in the constructor's shape (for F# and other list readers; the engine reads <see cref="ARow"/>).</summary>
    public IReadOnlyList<IReadOnlyList<double>> Coefficients { get; }

    /// <summary>Solution weights B as a read-only list (the same values as the span <see cref="B"/>).</summary>
    public IReadOnlyList<double> SolutionWeights { get; }

    /// <summary>Nodes C as a read-only list (the same values as the span <see cref="C"/>).</summary>
    public IReadOnlyList<double> Nodes { get; }

    /// <summary>Error weights B − B̂ as a read-only list, empty without an embedded pair (the same values as the span <see cref="E"/>).</summary>
    public IReadOnlyList<double> ErrorWeights { get; }

    /// <summary>Forward Euler, order 1.</summary>
    public static Tableau Euler { get; } = new("euler", 1, [[]], [1.0], [0.0]);

    /// <summary>Heun's method (explicit trapezoid), order 2 (Hairer–Nørsett–Wanner I, eq II.1.3).</summary>
    public static Tableau Heun { get; } = new("heun", 2, [[], [1.0]], [0.5, 0.5], [0.0, 1.0]);

    /// <summary>The classical Runge–Kutta method, order 4 (Hairer–Nørsett–Wanner I, Table II.1.2 left).</summary>
    public static Tableau RungeKutta4 { get; } = new("rk4", 4,
        [[], [0.5], [0.0, 0.5], [0.0, 0.0, 1.0]],
        [1.0 / 6, 1.0 / 3, 1.0 / 3, 1.0 / 6],
        [0.0, 0.5, 0.5, 1.0]);

    /// <summary>
    /// Bogacki–Shampine 3(2) (P. Bogacki, L. F. Shampine, "A 3(2) pair of Runge–Kutta formulas", Appl. Math. Lett.
    /// 2(4), 1989): order-3 solution, order-2 embedded estimate b̂ = (7/24, 1/4, 1/3, 1/8), FSAL.
    /// </summary>
    public static Tableau BogackiShampine32 { get; } = new("bosh3", 3,
        [[], [1.0 / 2], [0.0, 3.0 / 4], [2.0 / 9, 1.0 / 3, 4.0 / 9]],
        [2.0 / 9, 1.0 / 3, 4.0 / 9, 0.0],
        [0.0, 1.0 / 2, 3.0 / 4, 1.0],
        [2.0 / 9 - 7.0 / 24, 1.0 / 3 - 1.0 / 4, 4.0 / 9 - 1.0 / 3, -1.0 / 8],
        embeddedOrder: 2,
        firstSameAsLast: true);

    /// <summary>
    /// Dormand–Prince 5(4) (Dormand &amp; Prince 1980; Hairer–Nørsett–Wanner I, Table II.5.2): order-5
    /// solution (local extrapolation), order-4 embedded estimate, FSAL.
    /// </summary>
    public static Tableau DormandPrince45 { get; } = new("dopri5", 5,
        [
            [],
            [1.0 / 5],
            [3.0 / 40, 9.0 / 40],
            [44.0 / 45, -56.0 / 15, 32.0 / 9],
            [19372.0 / 6561, -25360.0 / 2187, 64448.0 / 6561, -212.0 / 729],
            [9017.0 / 3168, -355.0 / 33, 46732.0 / 5247, 49.0 / 176, -5103.0 / 18656],
            [35.0 / 384, 0.0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84],
        ],
        [35.0 / 384, 0.0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84, 0.0],
        [0.0, 1.0 / 5, 3.0 / 10, 4.0 / 5, 8.0 / 9, 1.0, 1.0],
        // E = b − b̂ with b̂ = (5179/57600, 0, 7571/16695, 393/640, −92097/339200, 187/2100, 1/40).
        [35.0 / 384 - 5179.0 / 57600, 0.0, 500.0 / 1113 - 7571.0 / 16695, 125.0 / 192 - 393.0 / 640,
            -2187.0 / 6784 + 92097.0 / 339200, 11.0 / 84 - 187.0 / 2100, -1.0 / 40],
        embeddedOrder: 4,
        firstSameAsLast: true);

    /// <inheritdoc />
    public override string ToString() => $"Tableau({Name}, order {Order}, {Stages} stages)";
}
