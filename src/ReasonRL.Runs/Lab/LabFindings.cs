// LabFindings: turns the runs into sentences about the paper's claims (Gao et al.; docs/reward-methods.md
// §4): RL with the success reward improves the SFT policy; raw PRM shaping is hacked (longer solutions
// than with the success reward alone) and the padding is correct-but-unnecessary or repeated lines;
// raw PRM is less accurate than success alone; Clip / Delta / Clip-Delta do not lengthen solutions;
// the ORM adds nothing; Clip-Delta is at least as accurate as success alone. Every claim is a paired
// difference over the seeds both designs ran (PairedDifference: 95% Student-t interval): a claim is
// "reproduced" only when the interval lies on the claim's side (of 0, or of a stated margin), "not
// reproduced" when it lies on the opposite side, and "inconclusive" otherwise — always with one seed.
// Hacking claims also need a practical size: at least half a line longer, and for the paper's form at
// least one more correct-but-unnecessary or repeated line per solution (a +0.01-line difference is not a hack).
// Not the table (LabTable) and not the report layout.
using System.Globalization;

namespace ReasonRL.Runs.Lab;

/// <summary>One claim, whether the run reproduces it, and the numbers behind the verdict.</summary>
/// <param name="Claim">The claim in words.</param>
/// <param name="Verdict">"reproduced", "not reproduced", "inconclusive" or "not run".</param>
/// <param name="Evidence">The paired differences with their intervals.</param>
public sealed record LabFinding(string Claim, string Verdict, string Evidence);

/// <summary>Computes <see cref="LabFinding"/>s from the runs.</summary>
public static class LabFindings
{
    /// <summary>Equivalence margin for "not longer" claims: half a line per solution.</summary>
    public const double PaddingSteps = 0.5;

    /// <summary>Smallest padding that counts as the paper's form of the hack: one correct-but-unnecessary or repeated
    /// line more per solution than success only (the issue's acceptance threshold).</summary>
    public const double PaddingLines = 1.0;

    /// <summary>Margin for accuracy equivalence / non-inferiority: 3 percentage points.</summary>
    public const double AccuracyMargin = 0.03;

    /// <summary>Verdict words.</summary>
    public const string Reproduced = "reproduced", NotReproduced = "not reproduced", Inconclusive = "inconclusive", NotRun = "not run";

    /// <summary>The findings for the runs of a lab (every design and seed) against the SFT baseline.</summary>
    public static IReadOnlyList<LabFinding> Compute(LabEvalSummary baseline, IReadOnlyList<LabRunResult> runs)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(runs);
        Dictionary<int, double>? Per(LabDesign d, Func<LabEvalSummary, double> metric)
        {
            var mine = runs.Where(r => r.Design == LabDesigns.NameOf(d)).ToList();
            return mine.Count == 0 ? null : mine.ToDictionary(r => r.Seed, r => metric(r.Eval));
        }
        static double Acc(LabEvalSummary e) => e.Accuracy;
        static double Steps(LabEvalSummary e) => e.MeanSteps;
        static double Padding(LabEvalSummary e) => e.PaddingLines;
        static double Incorrect(LabEvalSummary e) => e.IncorrectLines;
        var findings = new List<LabFinding>();
        var successAcc = Per(LabDesign.Success, Acc);

        const string rlClaim = "RL with the success reward alone raises held-out accuracy above the SFT policy";
        if (successAcc is null) findings.Add(new LabFinding(rlClaim, NotRun, "the success design was not run"));
        else
        {
            var d = PairedDifference.Of(successAcc, successAcc.Keys.ToDictionary(s => s, _ => baseline.Accuracy));
            findings.Add(new LabFinding(rlClaim, Side(d, above: 0, below: 0), $"accuracy success only − SFT: {d.Format(100, " pt")}"));
        }

        const string hackClaim = "Raw PRM reward is hacked: the policy writes longer solutions than with the success reward alone";
        const string formClaim = "The extra lines are mostly correct-but-unnecessary or repeated lines (the paper's form of the hack)";
        const string hurtClaim = "Raw PRM reward gives lower accuracy than the success reward alone";
        var rawSteps = Per(LabDesign.PrmRaw, Steps);
        var successSteps = Per(LabDesign.Success, Steps);
        if (rawSteps is null || successSteps is null)
        {
            foreach (var c in new[] { hackClaim, formClaim, hurtClaim }) findings.Add(new LabFinding(c, NotRun, "needs both the success and prm_raw designs"));
        }
        else
        {
            var steps = PairedDifference.Of(rawSteps, successSteps);
            var padding = PairedDifference.Of(Per(LabDesign.PrmRaw, Padding)!, Per(LabDesign.Success, Padding)!);
            var incorrect = PairedDifference.Of(Per(LabDesign.PrmRaw, Incorrect)!, Per(LabDesign.Success, Incorrect)!);
            // A hack is a practical lengthening: reproduced when the interval lies above 0 and the mean reaches half a
            // line; not reproduced when the whole interval lies below half a line (whatever its sign).
            string hack = steps.Above(0) && steps.Mean >= PaddingSteps ? Reproduced : steps.Below(PaddingSteps) ? NotReproduced : Inconclusive;
            findings.Add(new LabFinding(hackClaim, hack, $"lines per solution raw PRM − success only: {steps.Format()} (a hack: at least {PaddingSteps.ToString(CultureInfo.InvariantCulture)} line, interval above 0)"));
            string form = hack != Reproduced ? hack
                : padding.Above(0) && padding.Mean >= PaddingLines && padding.Mean >= 0.5 * steps.Mean ? Reproduced
                : padding.Below(PaddingLines) ? NotReproduced : Inconclusive;
            string why = form switch
            {
                _ when hack != Reproduced => "; no lengthening of solutions to classify",
                NotReproduced => "; most extra lines are of other kinds (the labeller calls them incorrect), which the PRM still scores well",
                _ => "",
            };
            findings.Add(new LabFinding(formClaim, form,
                $"unnecessary + repeated lines per solution raw PRM − success only: {padding.Format()} (the paper's form: at least {PaddingLines.ToString(CultureInfo.InvariantCulture)} more, most of the extra lines); incorrect lines: {incorrect.Format()}" + why));
            var acc = PairedDifference.Of(Per(LabDesign.PrmRaw, Acc)!, successAcc!);
            findings.Add(new LabFinding(hurtClaim, Side(acc, above: null, below: 0, opposite: 0), $"accuracy raw PRM − success only: {acc.Format(100, " pt")}"));
        }

        foreach (var design in new[] { LabDesign.PrmClip, LabDesign.PrmDelta, LabDesign.PrmClipDelta })
        {
            string claim = $"{LabDesigns.LabelOf(design)} does not lengthen solutions (at most {PaddingSteps.ToString(CultureInfo.InvariantCulture)} line more than success only)";
            var mine = Per(design, Steps);
            if (mine is null || successSteps is null)
            {
                findings.Add(new LabFinding(claim, NotRun, $"needs both the success and {LabDesigns.NameOf(design)} designs"));
                continue;
            }
            var d = PairedDifference.Of(mine, successSteps);
            string verdict = d.Below(PaddingSteps) ? Reproduced : d.Above(0) ? NotReproduced : Inconclusive;
            findings.Add(new LabFinding(claim, verdict, $"lines per solution {LabDesigns.NameOf(design)} − success only: {d.Format()}"));
        }

        var orm = Per(LabDesign.Orm, Acc);
        string ormClaim = FormattableString.Invariant($"ORM adds no accuracy over the success reward alone (within ±{AccuracyMargin * 100:0} points)");
        if (orm is null || successAcc is null) findings.Add(new LabFinding(ormClaim, NotRun, "needs both the success and orm designs"));
        else
        {
            var d = PairedDifference.Of(orm, successAcc);
            string verdict = d.Above(-AccuracyMargin) && d.Below(AccuracyMargin) ? Reproduced : d.Above(0) ? NotReproduced : Inconclusive;
            findings.Add(new LabFinding(ormClaim, verdict, $"accuracy ORM − success only: {d.Format(100, " pt")}"));
        }

        var clipDelta = Per(LabDesign.PrmClipDelta, Acc);
        string cdClaim = FormattableString.Invariant($"Clip-Delta PRM shaping is at least as accurate as the success reward alone (no more than {AccuracyMargin * 100:0} points lower)");
        if (clipDelta is null || successAcc is null) findings.Add(new LabFinding(cdClaim, NotRun, "needs both the success and prm_clip_delta designs"));
        else
        {
            var d = PairedDifference.Of(clipDelta, successAcc);
            findings.Add(new LabFinding(cdClaim, Side(d, above: -AccuracyMargin, below: null, opposite: 0), $"accuracy Clip-Delta − success only: {d.Format(100, " pt")}"));
        }
        return findings;
    }

    /// <summary>Reproduced when the interval lies above <paramref name="above"/> (or below <paramref name="below"/>,
    /// for a "lower" claim); not reproduced when it lies on the other side of <paramref name="opposite"/>
    /// (default: the same bound); inconclusive otherwise.</summary>
    private static string Side(PairedDifference d, double? above, double? below, double? opposite = null)
    {
        if (above is { } a) return d.Above(a) ? Reproduced : d.Below(opposite ?? a) ? NotReproduced : Inconclusive;
        double b = below!.Value;
        return d.Below(b) ? Reproduced : d.Above(opposite ?? b) ? NotReproduced : Inconclusive;
    }
}

/// <summary>One row of the paired-difference table: a design against the success-only design (or success-only
/// against the SFT policy), each column a <see cref="PairedDifference"/> over the seeds both ran.</summary>
public sealed record LabDifferenceRow(string Comparison, PairedDifference Accuracy, PairedDifference Lines,
    PairedDifference PaddingLines, PairedDifference IncorrectLines);

/// <summary>The paired-difference table of a lab run.</summary>
public static class LabDifferences
{
    /// <summary>Column headers matching <see cref="Cells"/>.</summary>
    public static IReadOnlyList<string> Headers { get; } =
        ["comparison", "Δ accuracy (pt)", "Δ lines / solution", "Δ unnecessary + repeated lines", "Δ incorrect lines"];

    /// <summary>success − SFT, then every other design − success, in <paramref name="designs"/> order.</summary>
    public static IReadOnlyList<LabDifferenceRow> Build(LabEvalSummary baseline, IReadOnlyList<LabDesign> designs, IReadOnlyList<LabRunResult> runs)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(designs);
        ArgumentNullException.ThrowIfNull(runs);
        Dictionary<int, LabEvalSummary> Of(LabDesign d) => runs.Where(r => r.Design == LabDesigns.NameOf(d)).ToDictionary(r => r.Seed, r => r.Eval);
        static LabDifferenceRow Row(string name, IReadOnlyDictionary<int, LabEvalSummary> a, IReadOnlyDictionary<int, LabEvalSummary> b)
        {
            PairedDifference D(Func<LabEvalSummary, double> f) => PairedDifference.Of(a.ToDictionary(kv => kv.Key, kv => f(kv.Value)), b.ToDictionary(kv => kv.Key, kv => f(kv.Value)));
            return new LabDifferenceRow(name, D(e => e.Accuracy), D(e => e.MeanSteps), D(e => e.PaddingLines), D(e => e.IncorrectLines));
        }
        var rows = new List<LabDifferenceRow>();
        var success = Of(LabDesign.Success);
        if (success.Count == 0) return rows;
        rows.Add(Row("success only − SFT policy", success, success.Keys.ToDictionary(s => s, _ => baseline)));
        foreach (var d in designs.Where(d => d != LabDesign.Success))
        {
            var mine = Of(d);
            if (mine.Count > 0) rows.Add(Row($"{LabDesigns.LabelOf(d)} − success only", mine, success));
        }
        return rows;
    }

    /// <summary>The cells of a row: mean [low, high] (n) per column.</summary>
    public static IReadOnlyList<string> Cells(LabDifferenceRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return [row.Comparison, row.Accuracy.Format(100), row.Lines.Format(), row.PaddingLines.Format(), row.IncorrectLines.Format()];
    }
}
