using System.Globalization;
using System.Security;
using System.Text;

namespace Diffusion.Research.Experiments.Output;

/// <summary>
/// A minimal SVG chart writer (no plotting library): a framed plot area with linear or log10 axes, tick labels,
/// series of points or lines, and a legend. Coordinates are written with the invariant culture and fixed precision,
/// so the same data give the same bytes.
/// </summary>
public sealed class SvgPlot
{
    /// <summary>A qualitative palette (Tableau 10 and a few more).</summary>
    public static readonly IReadOnlyList<string> Palette =
        ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd"];

    private const double Width = 720, Height = 480, Left = 70, Right = 190, Top = 40, Bottom = 55;
    private readonly StringBuilder _body = new();
    private readonly List<(string Label, string Color, bool Line)> _legend = [];
    private readonly double _x0, _x1, _y0, _y1;

    /// <summary>Creates a plot with axis ranges (data units; for a log axis the range must be positive).</summary>
    public SvgPlot(string title, string xLabel, string yLabel, double xMin, double xMax, double yMin, double yMax, bool logX, bool logY)
    {
        Title = title; XLabel = xLabel; YLabel = yLabel; LogX = logX; LogY = logY;
        (_x0, _x1) = Range(xMin, xMax, logX);
        (_y0, _y1) = Range(yMin, yMax, logY);
    }

    /// <summary>The title.</summary>
    public string Title { get; }
    /// <summary>The x-axis label.</summary>
    public string XLabel { get; }
    /// <summary>The y-axis label.</summary>
    public string YLabel { get; }
    /// <summary>Whether x is log10.</summary>
    public bool LogX { get; }
    /// <summary>Whether y is log10.</summary>
    public bool LogY { get; }

    /// <summary>Adds a series: markers, joined by a line when <paramref name="line"/> is true. Non-finite points are skipped.</summary>
    public void AddSeries(string label, IReadOnlyList<double> x, IReadOnlyList<double> y, string color, bool line, double radius = 3.5, double opacity = 1.0)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count != y.Count) throw new ArgumentException($"x has {x.Count} points, y has {y.Count}.", nameof(y));
        var points = new List<(double, double)>();
        for (var i = 0; i < x.Count; i++)
        {
            if (!Valid(x[i], LogX) || !Valid(y[i], LogY)) continue;
            points.Add((Px(x[i]), Py(y[i])));
        }
        if (line && points.Count > 1)
            _body.Append("<polyline fill=\"none\" stroke=\"").Append(color).Append("\" stroke-width=\"1.5\" points=\"")
                 .AppendJoin(' ', points.Select(p => F(p.Item1) + "," + F(p.Item2))).Append("\"/>\n");
        foreach (var (px, py) in points)
            _body.Append("<circle cx=\"").Append(F(px)).Append("\" cy=\"").Append(F(py)).Append("\" r=\"").Append(F(radius))
                 .Append("\" fill=\"").Append(color).Append(opacity < 1 ? $"\" fill-opacity=\"{F(opacity)}" : "").Append("\"/>\n");
        _legend.Add((label, color, line));
    }

    /// <summary>The SVG document.</summary>
    public string ToSvg()
    {
        var sb = new StringBuilder();
        sb.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{F(Width)}\" height=\"{F(Height)}\" viewBox=\"0 0 {F(Width)} {F(Height)}\" font-family=\"sans-serif\" font-size=\"12\">\n");
        sb.Append($"<rect width=\"{F(Width)}\" height=\"{F(Height)}\" fill=\"white\"/>\n");
        sb.Append($"<text x=\"{F(Left + (Width - Left - Right) / 2)}\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">{Esc(Title)}</text>\n");
        foreach (var (v, label) in Ticks(_x0, _x1, LogX))
        {
            var px = Left + (v - _x0) / (_x1 - _x0) * (Width - Left - Right);
            sb.Append($"<line x1=\"{F(px)}\" y1=\"{F(Top)}\" x2=\"{F(px)}\" y2=\"{F(Height - Bottom)}\" stroke=\"#e0e0e0\"/>\n");
            sb.Append($"<text x=\"{F(px)}\" y=\"{F(Height - Bottom + 16)}\" text-anchor=\"middle\">{Esc(label)}</text>\n");
        }
        foreach (var (v, label) in Ticks(_y0, _y1, LogY))
        {
            var py = Height - Bottom - (v - _y0) / (_y1 - _y0) * (Height - Top - Bottom);
            sb.Append($"<line x1=\"{F(Left)}\" y1=\"{F(py)}\" x2=\"{F(Width - Right)}\" y2=\"{F(py)}\" stroke=\"#e0e0e0\"/>\n");
            sb.Append($"<text x=\"{F(Left - 6)}\" y=\"{F(py + 4)}\" text-anchor=\"end\">{Esc(label)}</text>\n");
        }
        sb.Append($"<rect x=\"{F(Left)}\" y=\"{F(Top)}\" width=\"{F(Width - Left - Right)}\" height=\"{F(Height - Top - Bottom)}\" fill=\"none\" stroke=\"black\"/>\n");
        sb.Append(_body);
        sb.Append($"<text x=\"{F(Left + (Width - Left - Right) / 2)}\" y=\"{F(Height - 14)}\" text-anchor=\"middle\">{Esc(XLabel)}</text>\n");
        sb.Append($"<text x=\"16\" y=\"{F(Top + (Height - Top - Bottom) / 2)}\" text-anchor=\"middle\" transform=\"rotate(-90 16 {F(Top + (Height - Top - Bottom) / 2)})\">{Esc(YLabel)}</text>\n");
        for (var i = 0; i < _legend.Count; i++)
        {
            var (label, color, line) = _legend[i];
            var y = Top + 10 + 18 * i;
            var x = Width - Right + 14;
            if (line) sb.Append($"<line x1=\"{F(x)}\" y1=\"{F(y)}\" x2=\"{F(x + 20)}\" y2=\"{F(y)}\" stroke=\"{color}\" stroke-width=\"1.5\"/>\n");
            sb.Append($"<circle cx=\"{F(x + 10)}\" cy=\"{F(y)}\" r=\"3.5\" fill=\"{color}\"/>\n");
            sb.Append($"<text x=\"{F(x + 26)}\" y=\"{F(y + 4)}\">{Esc(label)}</text>\n");
        }
        sb.Append("</svg>\n");
        return sb.ToString();
    }

    private double Px(double x) => Left + ((LogX ? Math.Log10(x) : x) - _x0) / (_x1 - _x0) * (Width - Left - Right);

    private double Py(double y) => Height - Bottom - ((LogY ? Math.Log10(y) : y) - _y0) / (_y1 - _y0) * (Height - Top - Bottom);

    private static bool Valid(double v, bool log) => double.IsFinite(v) && (!log || v > 0);

    private static (double, double) Range(double min, double max, bool log)
    {
        if (log)
        {
            if (!(min > 0) || !(max > 0)) (min, max) = (1, 10);
            var lo = Math.Floor(Math.Log10(min) * 4) / 4;
            var hi = Math.Ceiling(Math.Log10(max) * 4) / 4;
            return hi > lo ? (lo, hi) : (lo - 0.5, hi + 0.5);
        }
        if (!double.IsFinite(min) || !double.IsFinite(max)) (min, max) = (0, 1);
        var pad = max > min ? 0.05 * (max - min) : 0.5 * Math.Max(1, Math.Abs(min));
        return (min - pad, max + pad);
    }

    private static IEnumerable<(double Value, string Label)> Ticks(double lo, double hi, bool log)
    {
        if (log)
        {
            var first = (int)Math.Ceiling(lo - 1e-9);
            var last = (int)Math.Floor(hi + 1e-9);
            if (last - first < 2)
            {
                // Fewer than three decade ticks: add 2x and 5x ticks.
                for (var e = first - 1; e <= last; e++)
                    foreach (var m in new[] { 1.0, 2.0, 5.0 })
                    {
                        var v = e + Math.Log10(m);
                        if (v >= lo - 1e-9 && v <= hi + 1e-9) yield return (v, Power(m, e));
                    }
                yield break;
            }
            for (var e = first; e <= last; e++) yield return (e, Power(1, e));
            yield break;
        }
        var step = Math.Pow(10, Math.Floor(Math.Log10((hi - lo) / 5)));
        if ((hi - lo) / step > 10) step *= 2;
        if ((hi - lo) / step > 10) step *= 2.5;
        for (var v = Math.Ceiling(lo / step) * step; v <= hi + 1e-12; v += step)
            yield return (v, (Math.Abs(v) < step * 1e-6 ? 0 : v).ToString("G4", CultureInfo.InvariantCulture));
    }

    private static string Power(double mantissa, int exponent) =>
        exponent is >= -4 and <= 6
            ? (mantissa * Math.Pow(10, exponent)).ToString("0.#####", CultureInfo.InvariantCulture)
            : mantissa.ToString("0", CultureInfo.InvariantCulture) + "e" + exponent.ToString(CultureInfo.InvariantCulture);

    private static string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Esc(string s) => SecurityElement.Escape(s) ?? "";
}
