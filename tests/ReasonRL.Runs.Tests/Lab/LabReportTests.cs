// Report tests: report.html is self-contained (no script, stylesheet link, external src/href or
// url(...)), holds the table, the findings and one inline SVG chart per charted metric with real
// SVG elements, and escapes text; SvgLineChart draws bands and survives empty / NaN input.
using ReasonRL.Runs.Lab;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace ReasonRL.Runs.Tests.Lab;

public sealed class LabReportTests
{
    private static LabReportInput Input()
    {
        var baseline = new LabEvalSummary(10, 0.3, 3, 0.02, 0, 0.1, 0, 40);
        var runs = new[]
        {
            new LabRunResult("success", 1, 3, baseline with { Accuracy = 0.4 }, 0, 0.01, 0.4, 0, 5, 0),
            new LabRunResult("prm_raw", 1, 3, baseline with { Accuracy = 0.1, MeanSteps = 6, UnnecessaryStepRate = 0.5 }, 5, 0.02, 0.1, 3, 5, 1),
        };
        var table = LabTable.Build(baseline, [LabDesign.Success, LabDesign.PrmRaw], runs);
        var summary = new LabSummary("quick", DateTimeOffset.UnixEpoch, [1], ["success", "prm_raw"], baseline,
            [new LabRewardModelQuality("prm", 0.3, 0.35, 0.8, 0.6, 0.85, 0.5, 100, 40, 10)], table, runs,
            [new LabStageRecord("sft", 12, DateTimeOffset.UnixEpoch)], LabFindings.Compute(baseline, runs), 12);
        var curves = LabCurves.Charted.SelectMany(c => new[] { "success", "prm_raw" }.Select(d =>
            new CurveSeries(d, c.Metric, [new CurvePoint(1, 0.1, 0.05), new CurvePoint(2, 0.3, 0.02), new CurvePoint(3, 0.2, 0)]))).ToList();
        var example = new LabExample("test-1-0", "Tom has 3 <apples> & 2 pens.", 5, "3 + 2 = 5\n5 = 5\nThe answer is \\boxed{5}", true, 2, 1, 0, false);
        var groups = new[] { new LabExampleGroup("Most padded", example.Question, 5, [new LabShownResponse("success + PRM raw (seed 1)", example)]) };
        return new LabReportInput(summary, curves, groups, "{\"name\": \"quick\"}", ["a note"]);
    }

    [Fact]
    public void Report_is_self_contained_with_table_findings_and_svg_charts()
    {
        string html = LabReport.Render(Input());
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.DoesNotMatch(new Regex(@"<script|<link|<img|<iframe|@import|url\(", RegexOptions.IgnoreCase), html);
        Assert.DoesNotMatch(new Regex(@"(src|href)\s*=\s*[""']?\s*(https?:|//)", RegexOptions.IgnoreCase), html);
        Assert.DoesNotContain("http://", html, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
        Assert.Contains("success + PRM raw", html, StringComparison.Ordinal);
        Assert.Contains("Raw PRM reward is hacked", html, StringComparison.Ordinal);
        Assert.Contains("&lt;apples&gt; &amp; 2 pens", html, StringComparison.Ordinal);   // text is escaped
        var svgs = Regex.Matches(html, "<svg.*?</svg>", RegexOptions.Singleline);
        Assert.Equal(LabCurves.Charted.Count, svgs.Count);
        foreach (Match svg in svgs)
        {
            var doc = XElement.Parse(svg.Value);   // each chart is well-formed XML
            Assert.Equal("svg", doc.Name.LocalName);
            Assert.NotEmpty(doc.Descendants("polyline"));
            Assert.NotEmpty(doc.Descendants("polygon"));       // the ± spread band
            Assert.NotEmpty(doc.Descendants("text"));
        }
    }

    [Fact]
    public void Chart_handles_empty_and_nan_series()
    {
        var empty = XElement.Parse(SvgLineChart.Render("t", "x", []));
        Assert.Contains(empty.Descendants("text"), t => t.Value == "no data");
        var nan = XElement.Parse(SvgLineChart.Render("t", "x", [new ChartSeries("a", "#000000", [(1, double.NaN, 0), (2, 1, double.NaN)])]));
        Assert.Single(nan.Descendants("polyline"));
        Assert.DoesNotContain("NaN", nan.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Ticks_are_round_and_cover_the_range()
    {
        Assert.Equal([0, 0.2, 0.4, 0.6, 0.8, 1.0], SvgLineChart.Ticks(0, 1, 6).Select(t => Math.Round(t, 10)));
        var t = SvgLineChart.Ticks(3.3, 47, 5);
        Assert.True(t[0] <= 3.3 && t[^1] >= 47);
        Assert.All(t.Zip(t.Skip(1)), p => Assert.Equal(20, p.Second - p.First, 9));   // (47 − 3.3) / 4 ≈ 10.9 rounds up to the step 20
    }

    [Fact]
    public void Curves_average_runs_per_step_and_name_bad_lines()
    {
        string dir = Path.Combine(Path.GetTempPath(), "rrl-curves-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string a = Path.Combine(dir, "a.jsonl"), b = Path.Combine(dir, "b.jsonl");
            File.WriteAllText(a, "{\"step\":1,\"m\":1}\n{\"step\":2,\"m\":3}\n");
            File.WriteAllText(b, "{\"step\":1,\"m\":3}\n{\"step\":2,\"m\":null}\n");
            var series = LabCurves.Aggregate("d", "m", [LabCurves.Read(a), LabCurves.Read(b)]);
            Assert.Equal(2, series.Points.Count);
            Assert.Equal((2.0, Math.Sqrt(2)), (series.Points[0].Mean, series.Points[0].Spread));
            Assert.Equal((3.0, 0.0), (series.Points[1].Mean, series.Points[1].Spread));   // null skipped
            File.AppendAllText(a, "{\"m\":4}\n");
            var e = Assert.Throws<InvalidDataException>(() => LabCurves.Read(a));
            Assert.Contains("a.jsonl:3", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
