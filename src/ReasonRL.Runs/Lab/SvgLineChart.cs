// SvgLineChart: draws line charts as inline SVG text — one line per series (its mean) with a shaded
// band of ± spread, x/y axes with "nice" ticks, a title and a legend. Self-contained: plain SVG
// elements (svg, rect, line, polyline, polygon, text, g), no scripts, fonts or external references,
// numbers written with the invariant culture. Not a general plotting library: linear axes only.
using ReasonRL.Training;
using System.Globalization;
using System.Net;
using System.Text;

namespace ReasonRL.Runs.Lab;

/// <summary>One series to draw: a label, a CSS colour and (x, mean, spread) points.</summary>
public sealed record ChartSeries(string Label, string Color, IReadOnlyList<(double X, double Mean, double Spread)> Points);

/// <summary>Renders <see cref="ChartSeries"/> to an SVG string.</summary>
public static class SvgLineChart
{
    private const int Width = 460, Height = 260, Left = 52, Right = 12, Top = 28, Bottom = 36;

    /// <summary>A distinct colour per index (colour-blind-friendly Okabe–Ito palette).</summary>
    public static string ColorOf(int index)
    {
        string[] palette = ["#000000", "#E69F00", "#D55E00", "#0072B2", "#009E73", "#CC79A7", "#56B4E9", "#F0E442"];
        return palette[((index % palette.Length) + palette.Length) % palette.Length];
    }

    /// <summary>The chart as an &lt;svg&gt; element; an empty or all-NaN input draws the axes and "no data".</summary>
    public static string Render(string title, string xLabel, IReadOnlyList<ChartSeries> series)
    {
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(series);
        var finite = series.SelectMany(s => s.Points).Where(p => double.IsFinite(p.X) && double.IsFinite(p.Mean)).ToList();
        double xMin = finite.Count > 0 ? finite.Min(p => p.X) : 0, xMax = finite.Count > 0 ? finite.Max(p => p.X) : 1;
        double yMin = finite.Count > 0 ? finite.Min(p => p.Mean - Spread(p.Spread)) : 0;
        double yMax = finite.Count > 0 ? finite.Max(p => p.Mean + Spread(p.Spread)) : 1;
        (yMin, yMax) = Widen(yMin, yMax);
        (xMin, xMax) = Widen(xMin, xMax);
        var yTicks = Ticks(yMin, yMax, 5);
        yMin = Math.Min(yMin, yTicks[0]);
        yMax = Math.Max(yMax, yTicks[^1]);
        var xTicks = Ticks(xMin, xMax, 6);
        double plotW = Width - Left - Right, plotH = Height - Top - Bottom;
        double X(double x) => Left + (x - xMin) / (xMax - xMin) * plotW;
        double Y(double y) => Top + (1 - (y - yMin) / (yMax - yMin)) * plotH;

        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<svg width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" role=\"img\">");
        sb.Append(CultureInfo.InvariantCulture, $"<title>{Escape(title)}</title>");
        sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"0\" y=\"0\" width=\"{Width}\" height=\"{Height}\" fill=\"#ffffff\"/>");
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left}\" y=\"16\" font-size=\"13\" font-weight=\"bold\">{Escape(title)}</text>");
        foreach (double t in yTicks)
        {
            if (t < yMin - 1e-12 || t > yMax + 1e-12) continue;
            sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{F(Y(t))}\" x2=\"{Width - Right}\" y2=\"{F(Y(t))}\" stroke=\"#e5e5e5\"/>");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 4}\" y=\"{F(Y(t) + 4)}\" font-size=\"10\" text-anchor=\"end\">{Num(t)}</text>");
        }
        foreach (double t in xTicks)
        {
            if (t < xMin - 1e-12 || t > xMax + 1e-12) continue;
            sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{F(X(t))}\" y1=\"{Top + plotH}\" x2=\"{F(X(t))}\" y2=\"{Top + plotH + 4}\" stroke=\"#444444\"/>");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(X(t))}\" y=\"{Top + plotH + 15}\" font-size=\"10\" text-anchor=\"middle\">{Num(t)}</text>");
        }
        sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{Top}\" x2=\"{Left}\" y2=\"{Top + plotH}\" stroke=\"#444444\"/>");
        sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{Top + plotH}\" x2=\"{Width - Right}\" y2=\"{Top + plotH}\" stroke=\"#444444\"/>");
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left + plotW / 2}\" y=\"{Height - 4}\" font-size=\"11\" text-anchor=\"middle\">{Escape(xLabel)}</text>");
        if (finite.Count == 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left + plotW / 2}\" y=\"{Top + plotH / 2}\" font-size=\"12\" text-anchor=\"middle\" fill=\"#888888\">no data</text>");
        }
        foreach (var s in series)
        {
            var pts = s.Points.Where(p => double.IsFinite(p.X) && double.IsFinite(p.Mean)).OrderBy(p => p.X).ToList();
            if (pts.Count == 0) continue;
            sb.Append("<g>");
            if (pts.Any(p => Spread(p.Spread) > 0))
            {
                var band = pts.Select(p => $"{F(X(p.X))},{F(Y(p.Mean + Spread(p.Spread)))}")
                    .Concat(Enumerable.Reverse(pts).Select(p => $"{F(X(p.X))},{F(Y(p.Mean - Spread(p.Spread)))}"));
                sb.Append(CultureInfo.InvariantCulture, $"<polygon points=\"{string.Join(' ', band)}\" fill=\"{Escape(s.Color)}\" fill-opacity=\"0.15\" stroke=\"none\"/>");
            }
            var line = pts.Select(p => $"{F(X(p.X))},{F(Y(p.Mean))}");
            sb.Append(CultureInfo.InvariantCulture, $"<polyline points=\"{string.Join(' ', line)}\" fill=\"none\" stroke=\"{Escape(s.Color)}\" stroke-width=\"1.8\"/>");
            sb.Append("</g>");
        }
        // Legend: one row per series in the top-right corner.
        for (int i = 0; i < series.Count; i++)
        {
            double ly = Top + 6 + i * 13;
            double lx = Width - Right - 150;
            sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{F(lx)}\" y1=\"{F(ly)}\" x2=\"{F(lx + 14)}\" y2=\"{F(ly)}\" stroke=\"{Escape(series[i].Color)}\" stroke-width=\"2.5\"/>");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(lx + 18)}\" y=\"{F(ly + 3.5)}\" font-size=\"10\">{Escape(series[i].Label)}</text>");
        }
        sb.Append("</svg>");
        return sb.ToString();
    }

    /// <summary>Round tick values covering [lo, hi]: steps of 1, 2 or 5 × 10^k.</summary>
    public static double[] Ticks(double lo, double hi, int target)
    {
        if (!(hi > lo) || target < 2) return [lo];
        double raw = (hi - lo) / (target - 1);
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double step = new[] { 1.0, 2.0, 5.0, 10.0 }.Select(m => m * magnitude).First(s => s >= raw);
        double first = Math.Floor(lo / step) * step, last = Math.Ceiling(hi / step) * step;
        var ticks = new List<double>();
        for (double t = first; t <= last + step * 1e-9; t += step) ticks.Add(Math.Abs(t) < step * 1e-9 ? 0 : t);
        return ticks.ToArray();
    }

    private static (double, double) Widen(double lo, double hi)
    {
        if (hi > lo) return (lo, hi);
        double pad = Math.Abs(lo) > 0 ? Math.Abs(lo) * 0.1 : 1;
        return (lo - pad, hi + pad);
    }

    private static double Spread(double s) => double.IsFinite(s) && s > 0 ? s : 0;

    private static string F(double v) => v.ToString("F1", CultureInfo.InvariantCulture);

    private static string Num(double v) => Math.Abs(v) >= 100 || v == Math.Round(v)
        ? v.ToString("0.##", CultureInfo.InvariantCulture)
        : v.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Escape(string s) => WebUtility.HtmlEncode(s);
}
