// LabFindings: turns the table into sentences about the paper's claims (Gao et al., docs/reward-methods.md
// §2.1 and §4): raw PRM shaping is hacked (solutions padded with extra steps; separately, whether the
// padding is correct-but-unnecessary steps as in the paper or any line the PRM happens to like),
// raw PRM does worse than success alone, Clip / Delta / Clip-Delta remove the padding incentive,
// ORM adds nothing over success, Clip-Delta is at least as good as success. Each claim is judged from
// the numbers with explicit thresholds (below) and states its evidence; a difference inside the
// seeds' spread is "inconclusive", never a win. Not the table (LabTable) and not the report layout.
using System.Globalization;
using ReasonRL.Training;

namespace ReasonRL.Runs.Lab;

/// <summary>One claim, whether the run reproduces it, and the numbers behind the verdict.</summary>
/// <param name="Claim">The claim in words.</param>
/// <param name="Verdict">"reproduced", "not reproduced", "inconclusive" or "not run".</param>
/// <param name="Evidence">The figures, e.g. "steps/solution 3.1 → 7.4, accuracy 41% → 12%".</param>
public sealed record LabFinding(string Claim, string Verdict, string Evidence);

/// <summary>Computes <see cref="LabFinding"/>s from the table.</summary>
public static class LabFindings
{
    /// <summary>Extra steps per solution over the SFT baseline that count as padding (half a line on average).</summary>
    public const double PaddingSteps = 0.5;

    /// <summary>Extra unnecessary (correct but useless) lines per solution over the SFT baseline that
    /// make the padding the paper's form rather than padding with any line the PRM likes.</summary>
    public const double UnnecessaryLines = 0.5;

    /// <summary>Verdict words.</summary>
    public const string Reproduced = "reproduced", NotReproduced = "not reproduced", Inconclusive = "inconclusive", NotRun = "not run";

    /// <summary>The findings for a table built by <see cref="LabTable.Build"/>.</summary>
    public static IReadOnlyList<LabFinding> Compute(IReadOnlyList<LabTableRow> table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var byName = table.ToDictionary(r => r.Design, StringComparer.Ordinal);
        var baseline = byName.GetValueOrDefault(LabTable.BaselineKey)
            ?? throw new ArgumentException("the table has no SFT baseline row", nameof(table));
        LabTableRow? Row(LabDesign d) => byName.GetValueOrDefault(LabDesigns.NameOf(d));
        var success = Row(LabDesign.Success);
        var raw = Row(LabDesign.PrmRaw);
        var findings = new List<LabFinding>();

        const string hackClaim = "Raw PRM reward is hacked: the policy lengthens its solutions to collect step reward";
        const string formClaim = "The padding is correct-but-unnecessary steps (the paper's form of the hack)";
        if (raw is null)
        {
            findings.Add(new LabFinding(hackClaim, NotRun, "the prm_raw design was not run"));
            findings.Add(new LabFinding(formClaim, NotRun, "the prm_raw design was not run"));
        }
        else
        {
            findings.Add(new LabFinding(hackClaim, IsPadded(raw, baseline) ? Reproduced : NotReproduced, Padding("raw PRM", raw, baseline)));
            string form = !IsPadded(raw, baseline) ? Inconclusive
                : raw.UnnecessaryPerSolution.Mean - baseline.UnnecessaryPerSolution.Mean >= UnnecessaryLines ? Reproduced : NotReproduced;
            string counts = FormattableString.Invariant(
                $"unnecessary lines per solution {baseline.UnnecessaryPerSolution.Mean:F2} → {raw.UnnecessaryPerSolution.Format(false)}, ")
                + FormattableString.Invariant(
                $"incorrect lines per solution {baseline.Steps.Mean * IncorrectShare(baseline):F2} → {raw.Steps.Mean * IncorrectShare(raw):F2}");
            string why = form switch
            {
                NotReproduced => "; the extra lines are mostly ones the labeller calls incorrect, which the PRM (see its held-out accuracy) still scores well",
                Inconclusive => "; raw PRM did not pad, so there is no padding to classify",
                _ => "",
            };
            findings.Add(new LabFinding(formClaim, form, counts + why));
        }

        const string hurtClaim = "Raw PRM reward gives lower accuracy than the success reward alone";
        findings.Add(raw is null || success is null
            ? new LabFinding(hurtClaim, NotRun, "needs both the success and prm_raw designs")
            : new LabFinding(hurtClaim, Lower(raw.Accuracy, success.Accuracy),
                $"held-out accuracy: raw PRM {raw.Accuracy.Format(true)} vs success only {success.Accuracy.Format(true)}"));

        foreach (var d in new[] { LabDesign.PrmClip, LabDesign.PrmDelta, LabDesign.PrmClipDelta })
        {
            var row = Row(d);
            string claim = $"{LabDesigns.LabelOf(d)} removes the incentive to pad";
            if (row is null)
            {
                findings.Add(new LabFinding(claim, NotRun, $"the {LabDesigns.NameOf(d)} design was not run"));
                continue;
            }
            string verdict = IsPadded(row, baseline) ? NotReproduced
                : raw is not null && IsPadded(raw, baseline) ? Reproduced
                : Inconclusive; // no padding, but raw did not pad either, so there was nothing to remove
            string evidence = Padding(LabDesigns.LabelOf(d), row, baseline)
                + (verdict == Inconclusive ? " (raw PRM did not pad in this run either, so the fix was not tested)" : "");
            findings.Add(new LabFinding(claim, verdict, evidence));
        }

        var orm = Row(LabDesign.Orm);
        const string ormClaim = "ORM adds no accuracy over the success reward alone";
        findings.Add(orm is null || success is null
            ? new LabFinding(ormClaim, NotRun, "needs both the success and orm designs")
            : new LabFinding(ormClaim, Higher(orm.Accuracy, success.Accuracy) == Reproduced ? NotReproduced : Reproduced,
                $"held-out accuracy: ORM {orm.Accuracy.Format(true)} vs success only {success.Accuracy.Format(true)}"));

        var clipDelta = Row(LabDesign.PrmClipDelta);
        const string cdClaim = "Clip-Delta PRM shaping is at least as accurate as the success reward alone";
        findings.Add(clipDelta is null || success is null
            ? new LabFinding(cdClaim, NotRun, "needs both the success and prm_clip_delta designs")
            : new LabFinding(cdClaim, Lower(clipDelta.Accuracy, success.Accuracy) == Reproduced ? NotReproduced : Reproduced,
                $"held-out accuracy: Clip-Delta {clipDelta.Accuracy.Format(true)} vs success only {success.Accuracy.Format(true)}"));
        return findings;
    }

    /// <summary>True when a row's solutions are longer than the baseline's by at least <see cref="PaddingSteps"/> lines.</summary>
    public static bool IsPadded(LabTableRow row, LabTableRow baseline)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(baseline);
        return row.Steps.Mean - baseline.Steps.Mean >= PaddingSteps;
    }

    private static double IncorrectShare(LabTableRow row) => row.IncorrectRate.Mean;

    /// <summary>"reproduced" when <paramref name="a"/>'s mean is below <paramref name="b"/>'s by more
    /// than their combined spread √(sa² + sb²), "not reproduced" when it is above by more, else "inconclusive".</summary>
    public static string Lower(MeanSpread a, MeanSpread b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        double margin = Math.Sqrt(Sq(a.Spread) + Sq(b.Spread));
        double diff = a.Mean - b.Mean;
        return diff < -margin ? Reproduced : diff > margin ? NotReproduced : Inconclusive;
    }

    /// <summary>The mirror of <see cref="Lower"/>: "reproduced" when a is above b by more than the combined spread.</summary>
    public static string Higher(MeanSpread a, MeanSpread b) => Lower(b, a);

    private static double Sq(double x) => double.IsFinite(x) ? x * x : 0;

    private static string Padding(string name, LabTableRow row, LabTableRow baseline)
    {
        var b = baseline;
        string text = FormattableString.Invariant(
            $"{name}: steps/solution {b.Steps.Mean:F2} → {row.Steps.Format(false)}, unnecessary-step rate {b.UnnecessaryRate.Mean * 100:F1}% → {row.UnnecessaryRate.Format(true)}, ")
            + FormattableString.Invariant(
            $"repeated {b.RepeatedRate.Mean * 100:F1}% → {row.RepeatedRate.Format(true)}, truncated {b.TruncationRate.Mean * 100:F1}% → {row.TruncationRate.Format(true)}, ")
            + FormattableString.Invariant($"accuracy {b.Accuracy.Mean * 100:F1}% → {row.Accuracy.Format(true)} (SFT → after RL)");
        return row.LearnedReturn is { } lr ? text + ", learned return " + lr.Format(false) : text;
    }
}
