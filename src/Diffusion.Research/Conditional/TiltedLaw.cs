using Diffusion.Research.Data;
using Diffusion.Research.Numerics;

namespace Diffusion.Research.Conditional;

/// <summary>
/// The tilted law q_γ(x) = p(x | c)^γ p(x)^(1−γ) / Z_γ of a <see cref="LabelledMixture"/> in dimension D ≤ 2, normalised by
/// midpoint quadrature on a regular grid (the t = 0 law that guidance with tilt exponent γ aims at: γ = w for classifier
/// guidance, 1 + w for classifier-free guidance; q_1 = p(x | c), q_0 = p(x)). q_γ is integrable for every γ ≥ 0 since
/// p(x | c)^γ p(x)^(1−γ) ≤ p(x | c) / π_c^(γ−1) for γ ≥ 1 (p(x) ≥ π_c p(x | c)), and it is a geometric mean of densities for γ ∈ [0, 1].
/// </summary>
/// <remarks>
/// <para>Grid: the box spans every component mean ± <see cref="BoxStandardDeviations"/> standard deviations (largest
/// eigenvalue) of the widest component, cut into <c>cells</c> cells per axis of side h. The unnormalised density is taken at
/// the cell midpoints; cell mass m_j = h^D q̃(x_j) / Σ h^D q̃. Sampling draws a cell from the masses and a uniform point in it.</para>
/// <para>Stated errors: <see cref="NormaliserError"/> = |Z_h − Z_{2h}| / Z_h, the midpoint-rule error estimate from a grid twice as
/// coarse (the rule is O(h²), so this bounds the fine-grid error by about a third of itself, and for smooth Gaussian
/// integrands is far smaller); <see cref="TailMassBound"/>, the mass outside the box of the worst component, bounded
/// through the Gaussian tail at 8 standard deviations; and the sampler's transport error: it moves no mass by more than a
/// cell diagonal, h √D (<see cref="CellDiagonal"/>), beyond the cell-mass error, so its W_2 to q_γ is at most about
/// h √D plus the box diameter times the total-variation error of the masses.</para>
/// </remarks>
public sealed class TiltedLaw : IDataSet
{
    /// <summary>Half-width of the box in standard deviations of the widest component.</summary>
    public const double BoxStandardDeviations = 8.0;

    /// <summary>The most quadrature cells, cells^D, a law takes (2^24: 128 MiB of doubles for the densities and as much for
    /// the cumulative table).</summary>
    public const int MaxGridCells = 1 << 24;

    private readonly double[] _cumulative; // cell masses, cumulative
    private readonly double[] _lower;      // box corner, per axis
    private readonly int _cells;

    /// <summary>q_γ for class <paramref name="label"/> on a grid of <paramref name="cells"/> cells per axis (D ≤ 2, cells ≥ 8).</summary>
    public TiltedLaw(LabelledMixture data, int label, double gamma, int cells = 512)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Dimension > 2) throw new ArgumentException($"Quadrature needs D ≤ 2; the data are {data.Dimension}-dimensional.", nameof(data));
        if (!(double.IsFinite(gamma) && gamma >= 0)) throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "γ must be finite and ≥ 0.");
        if (cells < 8 || cells % 2 != 0) throw new ArgumentOutOfRangeException(nameof(cells), cells, "cells must be even and ≥ 8.");
        if (Math.Pow(cells, data.Dimension) > MaxGridCells)
            throw new ArgumentOutOfRangeException(nameof(cells), cells, $"cells^D = {cells}^{data.Dimension} exceeds the {MaxGridCells} quadrature cells a law may take.");
        Data = data;
        Label = label;
        Gamma = gamma;
        Dimension = data.Dimension;
        _cells = cells;
        var d = Dimension;
        var mixture = data.Mixture;
        var widest = 0.0;
        for (var k = 0; k < mixture.Components; k++)
        {
            var cov = mixture.Covariance(k);
            // Largest eigenvalue ≤ the largest row sum of |Σ| (Gershgorin), a safe width.
            for (var i = 0; i < d; i++)
            {
                var row = 0.0;
                for (var j = 0; j < d; j++) row += Math.Abs(cov[i, j]);
                widest = Math.Max(widest, row);
            }
        }
        var half = BoxStandardDeviations * Math.Sqrt(widest);
        _lower = new double[d];
        var upper = new double[d];
        for (var i = 0; i < d; i++)
        {
            _lower[i] = double.PositiveInfinity;
            upper[i] = double.NegativeInfinity;
            for (var k = 0; k < mixture.Components; k++)
            {
                _lower[i] = Math.Min(_lower[i], mixture.Mean(k)[i] - half);
                upper[i] = Math.Max(upper[i], mixture.Mean(k)[i] + half);
            }
        }
        // A square cell: one side h for every axis (the largest extent decides).
        var extent = Enumerable.Range(0, d).Max(i => upper[i] - _lower[i]);
        CellSide = extent / cells;
        CellDiagonal = CellSide * Math.Sqrt(d);
        var total = (int)Math.Pow(cells, d); // ≤ MaxGridCells (checked above)
        var logDensity = LogUnnormalised(data, label, gamma, _lower, CellSide, cells, d);
        var max = logDensity.Max();
        _cumulative = new double[total];
        var sum = 0.0;
        for (var j = 0; j < total; j++) _cumulative[j] = sum += Math.Exp(logDensity[j] - max);
        var cellVolume = Math.Pow(CellSide, d);
        LogNormaliser = Math.Log(sum * cellVolume) + max;
        for (var j = 0; j < total; j++) _cumulative[j] /= sum;
        _cumulative[^1] = 1.0;
        // Coarse grid (side 2h) on the same box: |Z_h − Z_2h| / Z_h.
        var coarse = LogUnnormalised(data, label, gamma, _lower, 2 * CellSide, cells / 2, d);
        var coarseSum = coarse.Sum(v => Math.Exp(v - max)) * Math.Pow(2 * CellSide, d);
        NormaliserError = Math.Abs(coarseSum - sum * cellVolume) / (sum * cellVolume);
        // Mass outside the box: each component has mass below 2 D exp(−8²/2) beyond 8 of its own standard deviations on
        // an axis; for γ ≥ 1 q_γ ≤ p(x | c) / (π_c^(γ−1) Z_γ), for γ ≤ 1 q_γ ≤ (p(x|c) + p(x)) / Z_γ (geometric ≤ arithmetic mean).
        var gaussianTail = 2.0 * d * Math.Exp(-0.5 * BoxStandardDeviations * BoxStandardDeviations);
        var z = Math.Exp(LogNormaliser);
        TailMassBound = gamma >= 1
            ? gaussianTail / (Math.Pow(data.ClassProbability(label), gamma - 1) * z)
            : 2 * gaussianTail / z;
        MomentsFromGrid(out var mean, out var covariance);
        Mean = mean;
        Covariance = covariance;
    }

    /// <summary>The labelled law.</summary>
    public LabelledMixture Data { get; }

    /// <summary>The class c.</summary>
    public int Label { get; }

    /// <summary>The tilt exponent γ.</summary>
    public double Gamma { get; }

    /// <inheritdoc />
    public int Dimension { get; }

    /// <summary>The cell side h.</summary>
    public double CellSide { get; }

    /// <summary>h √D: the farthest the grid sampler moves mass within a cell.</summary>
    public double CellDiagonal { get; }

    /// <summary>log Z_γ by the midpoint rule on the fine grid.</summary>
    public double LogNormaliser { get; }

    /// <summary>|Z_h − Z_2h| / Z_h: the stated relative error estimate of the normaliser.</summary>
    public double NormaliserError { get; }

    /// <summary>A bound on the mass of q_γ outside the quadrature box.</summary>
    public double TailMassBound { get; }

    /// <summary>The mean of q_γ by quadrature (of the grid law: cell mass at its midpoint).</summary>
    public IReadOnlyList<double> Mean { get; }

    /// <summary>The covariance of q_γ by quadrature, row-major D × D (of the grid law plus the uniform-in-cell variance h²/12 per axis).</summary>
    public IReadOnlyList<double> Covariance { get; }

    /// <summary>Row i: a cell drawn from the masses with uniform draw 0 of stream 0, then uniform draws 1..D of stream 0 inside
    /// it, for particle <c>firstParticle + i</c> (independent of the batch split).</summary>
    public void Sample(Batch destination, NoiseSource noise, long firstParticle)
    {
        if (destination.Dimension != Dimension) throw new ArgumentException($"Batch has dimension {destination.Dimension}, expected {Dimension}.", nameof(destination));
        for (var i = 0; i < destination.Count; i++)
        {
            var particle = firstParticle + i;
            var u = noise.Uniform(0, particle, 0);
            var j = Array.BinarySearch(_cumulative, u);
            if (j < 0) j = ~j;
            if (j >= _cumulative.Length) j = _cumulative.Length - 1;
            var row = destination.Row(i);
            var index = j;
            for (var a = 0; a < Dimension; a++)
            {
                var cell = index % _cells;
                index /= _cells;
                row[a] = _lower[a] + (cell + noise.Uniform(0, particle, 1 + a)) * CellSide;
            }
        }
    }

    // log q̃ at the midpoints of a cells^d grid of side h from corner lower; cell index j = i_0 + cells i_1.
    private static double[] LogUnnormalised(LabelledMixture data, int label, double gamma, double[] lower, double h, int cells, int d)
    {
        var total = (int)Math.Pow(cells, d);
        var points = new Batch(total, d);
        for (var j = 0; j < total; j++)
        {
            var index = j;
            for (var a = 0; a < d; a++)
            {
                points.Set(j, a, lower[a] + (index % cells + 0.5) * h);
                index /= cells;
            }
        }
        var conditional = new double[total];
        var marginal = new double[total];
        data.ClassConditional(label).LogDensity(points, conditional);
        data.Mixture.LogDensity(points, marginal);
        // log q̃ = γ log p(x | c) + (1 − γ) log p(x).
        for (var j = 0; j < total; j++) conditional[j] = gamma * conditional[j] + (1 - gamma) * marginal[j];
        return conditional;
    }

    private void MomentsFromGrid(out double[] mean, out double[] covariance)
    {
        var d = Dimension;
        mean = new double[d];
        covariance = new double[d * d];
        var previous = 0.0;
        var midpoint = new double[d];
        for (var j = 0; j < _cumulative.Length; j++)
        {
            var mass = _cumulative[j] - previous;
            previous = _cumulative[j];
            var index = j;
            for (var a = 0; a < d; a++)
            {
                midpoint[a] = _lower[a] + (index % _cells + 0.5) * CellSide;
                index /= _cells;
            }
            for (var a = 0; a < d; a++)
            {
                mean[a] += mass * midpoint[a];
                for (var b = 0; b < d; b++) covariance[a * d + b] += mass * midpoint[a] * midpoint[b];
            }
        }
        for (var a = 0; a < d; a++)
            for (var b = 0; b < d; b++)
                covariance[a * d + b] += -mean[a] * mean[b] + (a == b ? CellSide * CellSide / 12.0 : 0.0);
    }
}
