// Table, summary and findings tests: mean ± sample standard deviation over seeds, one row per design
// in table order after the SFT baseline, formatted cells, and the findings' verdict rules (padding
// thresholds, differences inside the spread are inconclusive).
using ReasonRL.Rewards.Composition;
using ReasonRL.Runs.Lab;

namespace ReasonRL.Runs.Tests.Lab;

public sealed class LabTableTests
{
    private static LabEvalSummary Eval(double accuracy, double steps, double unnecessary = 0, double truncated = 0) =>
        new(100, accuracy, steps, unnecessary, 0, 0, truncated, 50);

    private static LabRunResult Run(LabDesign design, int seed, LabEvalSummary eval, double learned = 1, double kl = 0.01) =>
        new(LabDesigns.NameOf(design), seed, 20, eval, learned, kl, 0.5, 0.5, 10, 0);

    [Fact]
    public void MeanSpread_is_mean_and_sample_standard_deviation()
    {
        var ms = MeanSpread.Of([0.2, 0.4, 0.6]);
        Assert.Equal(0.4, ms.Mean, 12);
        Assert.Equal(0.2, ms.Spread, 12);   // sqrt(((0.2)^2 + 0 + (0.2)^2) / 2)
        Assert.Equal(3, ms.Count);
        Assert.Equal("40.0% ± 20.0", ms.Format(percent: true));
        Assert.Equal(0, MeanSpread.Of([5.0]).Spread);
        Assert.Equal("5.00", MeanSpread.Of([5.0]).Format(percent: false));
        Assert.Equal("—", MeanSpread.Of([double.NaN]).Format(percent: false));
    }

    [Fact]
    public void Build_aggregates_each_design_over_seeds_after_the_baseline()
    {
        var runs = new[]
        {
            Run(LabDesign.PrmRaw, 1, Eval(0.1, 6, 0.5), learned: 5),
            Run(LabDesign.Success, 1, Eval(0.4, 3)),
            Run(LabDesign.PrmRaw, 2, Eval(0.2, 8, 0.7), learned: 7),
            Run(LabDesign.Success, 2, Eval(0.5, 3)),
        };
        var rows = LabTable.Build(Eval(0.3, 3), [LabDesign.Success, LabDesign.Orm, LabDesign.PrmRaw], runs);
        Assert.Equal(["sft", "success", "prm_raw"], rows.Select(r => r.Design));   // orm has no runs: no row
        var raw = rows[2];
        Assert.Equal(2, raw.Seeds);
        Assert.Equal(0.15, raw.Accuracy.Mean, 12);
        Assert.Equal(7, raw.Steps.Mean, 12);
        Assert.Equal(Math.Sqrt(2), raw.Steps.Spread, 12);
        Assert.Equal(6, raw.LearnedReturn!.Mean, 12);
        Assert.Null(rows[0].LearnedReturn);
        var cells = LabTable.Cells(raw);
        Assert.Equal(LabTable.Headers.Count, cells.Count);
        Assert.Equal("success + PRM raw", cells[0]);
        Assert.Equal("15.0% ± 7.1", cells[2]);
        string text = LabTable.ToText(rows);
        Assert.Equal(4, text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void Findings_call_raw_prm_hacked_when_solutions_lengthen_and_classify_the_padding()
    {
        var baseline = Eval(0.4, 3, 0.02);
        var runs = new List<LabRunResult>();
        foreach (int seed in new[] { 1, 2, 3 })
        {
            runs.Add(Run(LabDesign.Success, seed, Eval(0.50 + seed * 0.01, 3, 0.02)));
            runs.Add(Run(LabDesign.PrmRaw, seed, Eval(0.10 + seed * 0.01, 7, 0.5)));   // 3.5 unnecessary lines per solution
            runs.Add(Run(LabDesign.PrmClipDelta, seed, Eval(0.50 + seed * 0.01, 3.1, 0.03)));
        }
        var findings = LabFindings.Compute(baseline, runs);
        string Verdict(string prefix) => findings.Single(f => f.Claim.StartsWith(prefix, StringComparison.Ordinal)).Verdict;
        // Every seed pairs: success − SFT = +11, +12, +13 points: interval above 0.
        Assert.Equal(LabFindings.Reproduced, Verdict("RL with the success reward alone raises"));
        Assert.Equal(LabFindings.Reproduced, Verdict("Raw PRM reward is hacked"));
        Assert.Equal(LabFindings.Reproduced, Verdict("The extra lines are mostly correct-but-unnecessary"));
        Assert.Equal(LabFindings.Reproduced, Verdict("Raw PRM reward gives lower"));
        Assert.Equal(LabFindings.Reproduced, Verdict("success + PRM Clip-Delta does not lengthen"));
        Assert.Equal(LabFindings.Reproduced, Verdict("Clip-Delta PRM shaping is at least as accurate"));
        Assert.Equal(LabFindings.NotRun, Verdict("success + PRM Clip does not lengthen"));
        Assert.Equal(LabFindings.NotRun, Verdict("ORM adds no accuracy"));
        Assert.Contains("+4.00 [+4.00, +4.00] (n = 3)", findings.Single(f => f.Claim.StartsWith("Raw PRM reward is hacked", StringComparison.Ordinal)).Evidence, StringComparison.Ordinal);

        // Padding with lines the labeller calls incorrect is a hack, but not the paper's form of it.
        var incorrect = LabFindings.Compute(baseline, [.. runs.Where(r => r.Design != "prm_raw"),
            .. new[] { 1, 2, 3 }.Select(s => Run(LabDesign.PrmRaw, s, Eval(0.0, 9 + s * 0.1, 0.03)))]);
        Assert.Equal(LabFindings.Reproduced, incorrect.Single(f => f.Claim.StartsWith("Raw PRM reward is hacked", StringComparison.Ordinal)).Verdict);
        Assert.Equal(LabFindings.NotReproduced, incorrect.Single(f => f.Claim.StartsWith("The extra lines", StringComparison.Ordinal)).Verdict);

        // A lengthening that is statistically clear but tiny (+0.01 line) is no hack: not reproduced, and so is its form.
        var tiny = LabFindings.Compute(baseline, [.. runs.Where(r => r.Design != "prm_raw"),
            .. new[] { 1, 2, 3 }.Select(s => Run(LabDesign.PrmRaw, s, Eval(0.5, 3.01 + s * 0.001, 0.02)))]);
        Assert.Equal(LabFindings.NotReproduced, tiny.Single(f => f.Claim.StartsWith("Raw PRM reward is hacked", StringComparison.Ordinal)).Verdict);
        Assert.Equal(LabFindings.NotReproduced, tiny.Single(f => f.Claim.StartsWith("The extra lines", StringComparison.Ordinal)).Verdict);

        // One seed: every comparison is inconclusive, however large the difference.
        var one = LabFindings.Compute(baseline, [.. runs.Where(r => r.Seed == 1)]);
        Assert.All(one.Where(f => f.Verdict != LabFindings.NotRun), f => Assert.Equal(LabFindings.Inconclusive, f.Verdict));
    }

    [Fact]
    public void Differences_whose_interval_straddles_the_bound_are_inconclusive()
    {
        var baseline = Eval(0.4, 3, 0.02);
        // ORM − success = +1, −1, +2 points: the interval [−3.1, +4.4] is not inside ±3 points, nor above 0.
        LabRunResult[] runs =
        [
            Run(LabDesign.Success, 1, Eval(0.50, 3)), Run(LabDesign.Success, 2, Eval(0.52, 3)), Run(LabDesign.Success, 3, Eval(0.48, 3)),
            Run(LabDesign.Orm, 1, Eval(0.51, 3)), Run(LabDesign.Orm, 2, Eval(0.51, 3)), Run(LabDesign.Orm, 3, Eval(0.50, 3)),
        ];
        var orm = LabFindings.Compute(baseline, runs).Single(f => f.Claim.StartsWith("ORM adds no accuracy", StringComparison.Ordinal));
        Assert.Equal(LabFindings.Inconclusive, orm.Verdict);
        // A clearly better ORM (+10 points every seed) is "not reproduced".
        LabRunResult[] better = [.. runs.Take(3), .. new[] { 1, 2, 3 }.Select(s => Run(LabDesign.Orm, s, Eval(0.60 + (s == 2 ? 0.02 : s == 3 ? -0.02 : 0) + 0.001 * s, 3)))];
        Assert.Equal(LabFindings.NotReproduced, LabFindings.Compute(baseline, better).Single(f => f.Claim.StartsWith("ORM adds no accuracy", StringComparison.Ordinal)).Verdict);
    }

    [Fact]
    public void Paired_difference_uses_the_student_t_interval_over_common_seeds()
    {
        var d = PairedDifference.Of(new Dictionary<int, double> { [1] = 3, [2] = 5, [3] = 7, [9] = 100 }, new Dictionary<int, double> { [1] = 1, [2] = 2, [3] = 3 });
        // differences 2, 3, 4: mean 3, sd 1, half-width t(0.975, 2) · 1/√3 = 4.303/1.732 = 2.484
        Assert.Equal(3, d.Pairs);
        Assert.Equal(3, d.Mean, 12);
        Assert.Equal(1, d.Sd, 12);
        Assert.Equal(3 - 4.303 / Math.Sqrt(3), d.Low, 12);
        Assert.Equal(3 + 4.303 / Math.Sqrt(3), d.High, 12);
        var single = PairedDifference.Of(new Dictionary<int, double> { [1] = 5 }, new Dictionary<int, double> { [1] = 1 });
        Assert.True(double.IsNegativeInfinity(single.Low) && double.IsPositiveInfinity(single.High));
        Assert.False(single.Above(0));
        Assert.Equal(2.042, PairedDifference.TQuantile975(30), 12);
        Assert.InRange(PairedDifference.TQuantile975(60), 1.999, 2.001);   // exact 2.0003
    }

    [Fact]
    public void Designs_parse_by_name_and_map_to_their_shaping()
    {
        Assert.Equal([LabDesign.Success, LabDesign.PrmRaw], LabDesigns.ParseList("prm_raw, success,prm_raw"));
        var e = Assert.Throws<ArgumentException>(() => LabDesigns.Parse("prm"));
        Assert.Contains("prm_clip_delta", e.Message, StringComparison.Ordinal);
        var settings = new LabRewardSettings(PrmAlpha: 2, ClipEta: 0.7, OrmAlpha: 0.5);
        // Each design's reward section is what `reasonrl train` parses.
        RewardDesign DesignOf(LabDesign d) =>
            TrainRun.RewardConfigOf(TrainConfigLoader.Parse(LabDesigns.RewardYaml(d, settings), "lab.yaml").Config, "lab.yaml").Design;
        Assert.Null(DesignOf(LabDesign.Success).Shaping);
        Assert.Equal(0.0, DesignOf(LabDesign.Success).OrmAlpha);
        Assert.Equal(0.5, DesignOf(LabDesign.Orm).OrmAlpha);
        var clip = DesignOf(LabDesign.PrmClip).Shaping!;
        Assert.Equal((ReasonRL.Rewards.Shaping.ShapingKind.Clip, 2.0, 0.7), (clip.Kind, clip.Alpha, clip.Eta));
        Assert.Equal(ReasonRL.Rewards.Shaping.ShapingKind.ClipDelta, DesignOf(LabDesign.PrmClipDelta).Shaping!.Kind);
        Assert.Equal(ReasonRL.Rewards.Shaping.ShapingKind.Raw, DesignOf(LabDesign.PrmRaw).Shaping!.Kind);
        Assert.Equal(ReasonRL.Rewards.Shaping.ShapingKind.Delta, DesignOf(LabDesign.PrmDelta).Shaping!.Kind);
        Assert.Equal(1.0, DesignOf(LabDesign.PrmDelta).Success.Correct);
        // Beyond the paper, as options: PURE's min-form and PAR (reference η), not in the default set.
        Assert.Equal(ReasonRL.Rewards.Shaping.ShapingKind.MinForm, DesignOf(LabDesign.PrmMinForm).Shaping!.Kind);
        Assert.Equal((ReasonRL.Rewards.Shaping.ShapingKind.Par, 0.7), (DesignOf(LabDesign.PrmPar).Shaping!.Kind, DesignOf(LabDesign.PrmPar).Shaping!.Eta));
        Assert.Equal([LabDesign.Success, LabDesign.PrmMinForm, LabDesign.PrmPar], LabDesigns.ParseList("par,min_form,success"));
        Assert.DoesNotContain(LabDesign.PrmPar, LabPreset.Default.Designs);
    }
}
