// LabReport: writes report.html — a single self-contained page (inline CSS and inline SVG charts drawn
// by SvgLineChart; no scripts, fonts, stylesheets or images fetched from anywhere) with the findings,
// the table, training curves per design, reward-model quality, example solutions, configuration and
// timings. Not the figures' computation (LabTable, LabFindings, LabCurves): it only lays them out.
using ReasonRL.Training;
using System.Globalization;
using System.Net;
using System.Text;

namespace ReasonRL.Runs.Lab;

/// <summary>One labelled response shown in the report, with who wrote it.</summary>
/// <param name="Who">e.g. "SFT policy" or "success + PRM raw (seed 1)".</param>
/// <param name="Example">The response.</param>
public sealed record LabShownResponse(string Who, LabExample Example);

/// <summary>A group of responses to the same held-out problem.</summary>
public sealed record LabExampleGroup(string Title, string Question, long Gold, IReadOnlyList<LabShownResponse> Responses);

/// <summary>Everything the report shows.</summary>
/// <param name="Summary">The summary (table, findings, RM quality, timings).</param>
/// <param name="Curves">One series per design and charted metric.</param>
/// <param name="Examples">Example groups.</param>
/// <param name="ConfigurationJson">The run's lab.json.</param>
/// <param name="Notes">Changes from the issue's plain setting and other remarks, one sentence each.</param>
public sealed record LabReportInput(LabSummary Summary, IReadOnlyList<CurveSeries> Curves, IReadOnlyList<LabExampleGroup> Examples,
    string ConfigurationJson, IReadOnlyList<string> Notes);

/// <summary>Renders the HTML report.</summary>
public static class LabReport
{
    /// <summary>The report page.</summary>
    public static string Render(LabReportInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var s = input.Summary;
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>ReasonRL lab report</title>\n<style>");
        sb.Append("body{font-family:system-ui,sans-serif;max-width:1000px;margin:24px auto;padding:0 12px;color:#222}");
        sb.Append("table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}");
        sb.Append("td:first-child,th:first-child{text-align:left}pre{background:#f6f6f6;padding:8px;overflow-x:auto;font-size:12px}");
        sb.Append(".charts{display:flex;flex-wrap:wrap;gap:8px}.v-reproduced{color:#0a6b2b}.v-not{color:#a11}.v-inc{color:#8a6d00}");
        sb.Append(".resp{white-space:pre;font-family:monospace;font-size:12px;background:#f6f6f6;padding:4px 6px;margin:2px 0 8px}");
        sb.Append("</style></head><body>\n");
        sb.Append(CultureInfo.InvariantCulture, $"<h1>ReasonRL lab: reward designs for RL on multi-step arithmetic</h1>\n");
        sb.Append(CultureInfo.InvariantCulture,
            $"<p>Preset <b>{E(s.Preset)}</b>, seeds {E(string.Join(", ", s.Seeds))}, {s.Runs.Count} PPO runs, stage time {Seconds(s.TotalSeconds)} summed over stages and runs (PPO runs train two at a time, so the wall time is shorter). Written {E(s.CreatedAt.ToString("u", CultureInfo.InvariantCulture))}.</p>\n");

        sb.Append("<h2>What happened</h2>\n<ul>\n");
        foreach (var f in s.Findings)
        {
            string cls = f.Verdict == LabFindings.Reproduced ? "v-reproduced" : f.Verdict == LabFindings.NotReproduced ? "v-not" : "v-inc";
            sb.Append(CultureInfo.InvariantCulture, $"<li><b>{E(f.Claim)}</b>: <span class=\"{cls}\">{E(f.Verdict)}</span>. {E(f.Evidence)}.</li>\n");
        }
        sb.Append("</ul>\n");
        sb.Append(CultureInfo.InvariantCulture,
            $"<p>Each claim is a paired difference over the seeds both designs ran ({E(PairedDifference.Method)}), shown as mean [low, high] (n). It is <i>reproduced</i> only when the interval lies on the claim's side, <i>not reproduced</i> when it lies on the other side, and <i>inconclusive</i> otherwise — always with a single seed.</p>\n");
        if (input.Notes.Count > 0)
        {
            sb.Append("<h3>Setting and changes</h3>\n<ul>\n");
            foreach (var n in input.Notes) sb.Append(CultureInfo.InvariantCulture, $"<li>{E(n)}</li>\n");
            sb.Append("</ul>\n");
        }

        if (s.Command is { } command)
            sb.Append(CultureInfo.InvariantCulture, $"<p>Rerun: <code>{E(command)}</code> (the same <code>--out</code> folder resumes; another one reruns from scratch and gives the same numbers).</p>\n");

        sb.Append("<h2>Results (held-out greedy evaluation; mean ± standard deviation over seeds)</h2>\n");
        AppendTable(sb, LabTable.Headers, s.Table.Select(LabTable.Cells));
        sb.Append("<h3>Lines per solution by the labeller's type (held-out, mean over seeds)</h3>\n");
        AppendTable(sb, ["design", "necessary", "unnecessary", "repeated", "incorrect", "truncated"], LinesByType(s));

        sb.Append(CultureInfo.InvariantCulture, $"<h2>Paired differences (held-out; {E(PairedDifference.Method)}: mean [low, high] (n))</h2>\n");
        AppendTable(sb, LabDifferences.Headers, s.Differences.Select(LabDifferences.Cells));

        sb.Append("<h2>The paper's table beside ours</h2>\n");
        sb.Append("<p><b>Paper's figures</b> (Gao et al. 2024, Qwen2-1.5B on MATH, greedy accuracy %; from a third-party note, not checked against the paper — docs/reward-methods.md §5). ")
          .Append("Ours: this run's held-out greedy accuracy on the lab's arithmetic task with a 0.3 M-parameter character-level policy. Compare directions, not levels.</p>\n");
        AppendTable(sb, ["reward", "paper: MATH greedy %", "ours: accuracy (mean ± sd)"], PaperRows(s));

        sb.Append("<h2>Training curves (mean over seeds, band = ± standard deviation)</h2>\n<div class=\"charts\">\n");
        var designs = s.Designs;
        foreach (var (metric, title) in LabCurves.Charted)
        {
            var series = designs.Select((d, i) => (d, i))
                .Select(x => (x.i, Curve: input.Curves.FirstOrDefault(c => c.Design == x.d && c.Metric == metric), x.d))
                .Where(x => x.Curve is not null)
                .Select(x => new ChartSeries(LabelFor(x.d), SvgLineChart.ColorOf(x.i), x.Curve!.Points.Select(p => ((double)p.Step, p.Mean, p.Spread)).ToList()))
                .ToList();
            sb.Append(SvgLineChart.Render(title, "PPO step", series)).Append('\n');
        }
        sb.Append("</div>\n");

        sb.Append("<h2>Reward models (held-out)</h2>\n");
        AppendTable(sb, ["model", "accuracy", "majority baseline", "AUC", "best-of-n accuracy", "held-out positions", "train / held-out responses", "held-out loss"],
            s.RewardModels.Select(q => (IReadOnlyList<string>)
            [
                q.Kind.ToUpperInvariant(), Pct(q.Accuracy), Pct(q.MajorityBaseline), q.Auc.ToString("F3", CultureInfo.InvariantCulture),
                q.BestOfNAccuracy is double b ? Pct(b) : "—", q.HeldOutPositions.ToString(CultureInfo.InvariantCulture),
                $"{q.TrainExamples} / {q.HeldOutExamples}", q.HeldOutLoss.ToString("F3", CultureInfo.InvariantCulture),
            ]));

        if (s.PrmCheck is { } c)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<p><b>PRM on unseen responses</b> ({c.Problems} validation problems, {LabPrmChecker.SamplesPerProblem} SFT samples each): ")
              .Append(CultureInfo.InvariantCulture, $"AUC correct vs incorrect lines <b>{c.Auc:F3}</b> ({c.CorrectLines} correct, {c.IncorrectLines} incorrect lines); mean step score correct {c.MeanCorrect:F2}, incorrect {c.MeanIncorrect:F2}. ")
              .Append(CultureInfo.InvariantCulture, $"On {c.TestProblems} test problems, which chose nothing: AUC <b>{c.TestAuc:F3}</b>. ")
              .Append(CultureInfo.InvariantCulture, $"Padding probe (gold solutions with a restatement and a repeated line): necessary lines {c.MeanPaddingNecessary:F2}, correct-but-unnecessary lines {c.MeanPaddingUnnecessary:F2} — a PRM that scores padding like progress makes a raw summed PRM reward farmable. ")
              .Append(CultureInfo.InvariantCulture, $"Run-on probe (SFT solutions continued past the answer, as a policy farming a per-line reward writes them): incorrect lines {c.MeanRunOnIncorrect:F2} ({c.RunOnIncorrectLines} lines) — what raw shaping pays for each such line. ")
              .Append(CultureInfo.InvariantCulture, $"Extra-operation probe (one more operation on a question number before the answer, as raw-PRM policies fail after 150 PPO steps): {c.MeanExtraOperation:F2} ({c.ExtraOperationLines} lines).</p>\n");
            if (c.ByReason.Count > 0)
            {
                sb.Append(CultureInfo.InvariantCulture, $"<p>The validation responses' lines by the labeller's verdict (which kinds of line the PRM scores high or low, and the AUC of each kind against every line of the other class). Without the final-answer lines, which are right only when the whole solution is, the AUC is {c.AucReasoningLines:F3}.</p>\n");
                AppendTable(sb, ["line (label: reason)", "lines", "mean PRM score", "AUC vs the other class"],
                    c.ByReason.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => (IReadOnlyList<string>)
                        [kv.Key, kv.Value.Lines.ToString(CultureInfo.InvariantCulture), kv.Value.MeanScore.ToString("F2", CultureInfo.InvariantCulture),
                         double.IsNaN(kv.Value.AucAgainstOtherClass) ? "—" : kv.Value.AucAgainstOtherClass.ToString("F3", CultureInfo.InvariantCulture)]));
            }
        }

        sb.Append("<h2>Example solutions (held-out problems, greedy)</h2>\n");
        foreach (var g in input.Examples)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<h3>{E(g.Title)}</h3>\n<p>{E(g.Question)} (gold {g.Gold})</p>\n");
            foreach (var r in g.Responses)
            {
                var x = r.Example;
                string verdict = x.Truncated ? "truncated" : x.Correct ? "correct" : "wrong";
                sb.Append(CultureInfo.InvariantCulture,
                    $"<div><b>{E(r.Who)}</b>: {verdict}, {x.Steps} steps, {x.Unnecessary} unnecessary, {x.Repeated} repeated</div><div class=\"resp\">{E(x.Response)}</div>\n");
            }
        }

        sb.Append("<h2>Timings</h2>\n");
        AppendTable(sb, ["stage", "seconds"], s.Stages.Select(t => (IReadOnlyList<string>)[t.Stage, t.WallSeconds.ToString("F1", CultureInfo.InvariantCulture)]));
        sb.Append("<h2>Per-run results</h2>\n");
        AppendTable(sb, ["design", "seed", "accuracy", "steps", "unnecessary", "truncated", "learned return (first → last)", "KL", "warnings", "seconds"],
            s.Runs.Select(r => (IReadOnlyList<string>)
            [
                r.Design, r.Seed.ToString(CultureInfo.InvariantCulture), Pct(r.Eval.Accuracy), r.Eval.MeanSteps.ToString("F2", CultureInfo.InvariantCulture),
                Pct(r.Eval.UnnecessaryStepRate), Pct(r.Eval.TruncationRate),
                $"{r.FirstLearnedReturn.ToString("F2", CultureInfo.InvariantCulture)} → {r.LearnedReturn.ToString("F2", CultureInfo.InvariantCulture)}",
                r.Kl.ToString("F3", CultureInfo.InvariantCulture), r.HackingWarnings.ToString(CultureInfo.InvariantCulture),
                r.WallSeconds.ToString("F1", CultureInfo.InvariantCulture),
            ]));
        sb.Append("<h2>Configuration (lab.json)</h2>\n<pre>").Append(E(input.ConfigurationJson)).Append("</pre>\n");
        sb.Append("</body></html>\n");
        return sb.ToString();
    }

    /// <summary>The paper's rows (third-party figures, docs/reward-methods.md §5) beside this run's accuracy.</summary>
    public static IReadOnlyList<(string Design, string Label, string? Paper)> PaperTable { get; } =
    [
        ("sft", "SFT policy (before RL)", null),
        ("success", "success reward only", "30.58"),
        ("orm", "success + ORM", null),
        ("prm_raw", "success + PRM (raw)", "11.16"),
        ("prm_clip", "success + PRM Clip", "30.30"),
        ("prm_delta", "success + PRM Delta", "30.68"),
        ("prm_clip_delta", "success + PRM Clip-Delta", "31.44"),
    ];

    private static IEnumerable<IReadOnlyList<string>> PaperRows(LabSummary s) =>
        PaperTable.Select(p => (IReadOnlyList<string>)
        [
            p.Label, p.Paper ?? "not reported",
            s.Table.FirstOrDefault(r => r.Design == p.Design) is { } row ? row.Accuracy.Format(percent: true) : "not run",
        ]);

    private static IEnumerable<IReadOnlyList<string>> LinesByType(LabSummary s)
    {
        IReadOnlyList<string> Row(string label, IReadOnlyList<LabEvalSummary> evals)
        {
            string F(Func<LabEvalSummary, double> f) => MeanSpread.Of(evals.Select(f)).Format(percent: false);
            return [label, F(e => e.NecessaryLines), F(e => e.UnnecessaryLines), F(e => e.RepeatedLines), F(e => e.IncorrectLines), Pct(evals.Average(e => e.TruncationRate))];
        }
        yield return Row("SFT policy (before RL)", [s.Baseline]);
        foreach (var d in s.Designs)
        {
            var evals = s.Runs.Where(r => r.Design == d).Select(r => r.Eval).ToList();
            if (evals.Count > 0) yield return Row(LabelFor(d), evals);
        }
    }

    private static string LabelFor(string design)
    {
        foreach (var d in LabDesigns.All)
        {
            if (LabDesigns.NameOf(d) == design) return LabDesigns.LabelOf(d);
        }
        return design;
    }

    private static void AppendTable(StringBuilder sb, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        sb.Append("<table><tr>");
        foreach (var h in headers) sb.Append("<th>").Append(E(h)).Append("</th>");
        sb.Append("</tr>\n");
        foreach (var row in rows)
        {
            sb.Append("<tr>");
            foreach (var cell in row) sb.Append("<td>").Append(E(cell)).Append("</td>");
            sb.Append("</tr>\n");
        }
        sb.Append("</table>\n");
    }

    private static string Pct(double v) => double.IsFinite(v) ? (v * 100).ToString("F1", CultureInfo.InvariantCulture) + "%" : "—";

    private static string Seconds(double s) => s >= 90
        ? string.Create(CultureInfo.InvariantCulture, $"{s / 60:F1} min")
        : string.Create(CultureInfo.InvariantCulture, $"{s:F0} s");

    private static string E(string s) => WebUtility.HtmlEncode(s);
}
