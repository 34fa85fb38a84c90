using System.Text;
using MarchProxy.Load.Results;
using static MarchProxy.Load.Reporting.MarkdownReport;

namespace MarchProxy.Load.Reporting;

/// <summary>
/// Mutation → last ACK p99 against the number of streams, both axes logarithmic: a line per build
/// and the goals as crosses. Plain SVG, so it renders on any Markdown viewer.
/// </summary>
public static class SvgPlot
{
    private const double Width = 640;
    private const double Height = 400;
    private const double Left = 70;
    private const double Right = 150;
    private const double Top = 40;
    private const double Bottom = 50;

    public static string Write(RunResults run)
    {
        var series = new List<(string Label, string Color, List<(double X, double Y)> Points)>();
        if (run.Baseline is { } baseline)
        {
            series.Add((baseline.Label, "#888888", Points(baseline)));
        }

        series.Add((run.Now.Label, "#1f77b4", Points(run.Now)));
        var goals = Goals.LastAckP99Ms.Select(g => ((double)g.Key, g.Value)).ToList();
        var xs = series.SelectMany(s => s.Points.Select(p => p.X)).Concat(goals.Select(g => g.Item1)).DefaultIfEmpty(1).ToList();
        var ys = series.SelectMany(s => s.Points.Select(p => p.Y)).Concat(goals.Select(g => g.Item2)).DefaultIfEmpty(1).ToList();
        var xMax = Math.Pow(10, Math.Ceiling(Math.Log10(Math.Max(10, xs.Max()))));
        var yMin = Math.Pow(10, Math.Floor(Math.Log10(Math.Max(0.1, ys.Min()))));
        var yMax = Math.Pow(10, Math.Ceiling(Math.Log10(Math.Max(yMin * 10, ys.Max()))));
        double X(double v) => Left + ((Width - Left - Right) * Math.Log10(Math.Max(1, v)) / Math.Log10(xMax));
        double Y(double v) => Height - Bottom - ((Height - Top - Bottom) * (Math.Log10(Math.Max(yMin, v)) - Math.Log10(yMin)) / (Math.Log10(yMax) - Math.Log10(yMin)));

        var svg = new StringBuilder();
        svg.AppendLine(Inv($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" font-family=\"sans-serif\" font-size=\"12\">"));
        svg.AppendLine(Inv($"<rect width=\"{Width}\" height=\"{Height}\" fill=\"white\"/>"));
        svg.AppendLine(Inv($"<text x=\"{Width / 2}\" y=\"20\" text-anchor=\"middle\" font-size=\"14\">Mutation → last ACK, p99 ({run.Profile} profile, {run.Started:yyyy-MM-dd})</text>"));
        for (var x = 1.0; x <= xMax; x *= 10)
        {
            svg.AppendLine(Inv($"<line x1=\"{X(x):F1}\" y1=\"{Top}\" x2=\"{X(x):F1}\" y2=\"{Height - Bottom}\" stroke=\"#eeeeee\"/>"));
            svg.AppendLine(Inv($"<text x=\"{X(x):F1}\" y=\"{Height - Bottom + 16}\" text-anchor=\"middle\">{x:0}</text>"));
        }

        for (var y = yMin; y <= yMax * 1.0001; y *= 10)
        {
            svg.AppendLine(Inv($"<line x1=\"{Left}\" y1=\"{Y(y):F1}\" x2=\"{Width - Right}\" y2=\"{Y(y):F1}\" stroke=\"#eeeeee\"/>"));
            svg.AppendLine(Inv($"<text x=\"{Left - 6}\" y=\"{Y(y) + 4:F1}\" text-anchor=\"end\">{y:0.###} ms</text>"));
        }

        svg.AppendLine(Inv($"<rect x=\"{Left}\" y=\"{Top}\" width=\"{Width - Left - Right}\" height=\"{Height - Top - Bottom}\" fill=\"none\" stroke=\"#333333\"/>"));
        svg.AppendLine(Inv($"<text x=\"{(Left + Width - Right) / 2}\" y=\"{Height - 12}\" text-anchor=\"middle\">ADS streams (one HTTP/2 connection each)</text>"));
        foreach (var (x, y) in goals)
        {
            svg.AppendLine(Inv($"<path d=\"M{X(x) - 5:F1},{Y(y) - 5:F1} l10,10 m0,-10 l-10,10\" stroke=\"#d62728\" stroke-width=\"2\"/>"));
        }

        var legendY = Top + 10;
        foreach (var (label, color, points) in series)
        {
            if (points.Count > 0)
            {
                svg.AppendLine(Inv($"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"2\" points=\"{string.Join(" ", points.Select(p => Inv($"{X(p.X):F1},{Y(p.Y):F1}")))}\"/>"));
                foreach (var (x, y) in points)
                {
                    svg.AppendLine(Inv($"<circle cx=\"{X(x):F1}\" cy=\"{Y(y):F1}\" r=\"4\" fill=\"{color}\"><title>{label}: {x:0} streams, {y:0.##} ms</title></circle>"));
                }
            }

            svg.AppendLine(Inv($"<line x1=\"{Width - Right + 10}\" y1=\"{legendY}\" x2=\"{Width - Right + 30}\" y2=\"{legendY}\" stroke=\"{color}\" stroke-width=\"2\"/>"));
            svg.AppendLine(Inv($"<text x=\"{Width - Right + 36}\" y=\"{legendY + 4}\">{Escape(label)}</text>"));
            legendY += 18;
        }

        svg.AppendLine(Inv($"<path d=\"M{Width - Right + 15},{legendY - 5} l10,10 m0,-10 l-10,10\" stroke=\"#d62728\" stroke-width=\"2\"/>"));
        svg.AppendLine(Inv($"<text x=\"{Width - Right + 36}\" y=\"{legendY + 4}\">goal</text>"));
        svg.AppendLine("</svg>");
        return svg.ToString();
    }

    private static List<(double X, double Y)> Points(HostResults host) =>
        [.. host.Propagation.Where(p => p.LastAck.Count > 0).OrderBy(p => p.Streams).Select(p => ((double)p.Streams, p.LastAck.P99Ms))];

    private static string Escape(string text) => System.Security.SecurityElement.Escape(text) ?? string.Empty;
}
