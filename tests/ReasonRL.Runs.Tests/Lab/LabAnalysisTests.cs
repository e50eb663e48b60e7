// The lab's analysis pieces: the paired-difference table (success − SFT first, then each design − success,
// per seed pairs), the per-solution line counts derived from the pooled rates, the PRM check's padding
// probe (its extra lines are exactly the labeller's Unnecessary lines), and LabThreads (all actions run,
// the first failure is rethrown, the engine's core count is restored).
using ReasonRL.Data.Lab;
using ReasonRL.Runs.Lab;
using ReasonRL.Tensors;

namespace ReasonRL.Runs.Tests.Lab;

public sealed class LabAnalysisTests
{
    private static LabEvalSummary Eval(double accuracy, double steps, double unnecessaryRate = 0, double incorrectRate = 0) =>
        new(100, accuracy, steps, unnecessaryRate, 0, incorrectRate, 0, 50);

    private static LabRunResult Run(string design, int seed, LabEvalSummary eval) => new(design, seed, 10, eval, 0, 0, 0, 0, 1, 0);

    [Fact]
    public void Difference_table_pairs_seeds_against_success_and_sft()
    {
        var baseline = Eval(0.50, 3);
        var runs = new[]
        {
            Run("success", 1, Eval(0.60, 3)), Run("success", 2, Eval(0.58, 3)), Run("success", 3, Eval(0.62, 3)),
            Run("prm_raw", 1, Eval(0.40, 6, unnecessaryRate: 0.5)), Run("prm_raw", 2, Eval(0.44, 5, unnecessaryRate: 0.4)), Run("prm_raw", 3, Eval(0.42, 7, unnecessaryRate: 0.5)),
        };
        var rows = LabDifferences.Build(baseline, [LabDesign.Success, LabDesign.PrmRaw, LabDesign.PrmClip], runs);
        Assert.Equal(2, rows.Count);   // prm_clip did not run
        Assert.Equal("success only − SFT policy", rows[0].Comparison);
        Assert.Equal(0.10, rows[0].Accuracy.Mean, 12);
        Assert.Equal(3, rows[0].Accuracy.Pairs);
        Assert.True(rows[0].Accuracy.Above(0));
        Assert.Equal(-0.18, rows[1].Accuracy.Mean, 12);
        Assert.Equal(3.0, rows[1].Lines.Mean, 12);
        Assert.Equal((3 + 2 + 3.5) / 3, rows[1].PaddingLines.Mean, 12);
        Assert.Equal(5, LabDifferences.Cells(rows[1]).Count);
    }

    [Fact]
    public void Lines_by_type_add_up_to_the_steps()
    {
        var e = Eval(0.5, 4, unnecessaryRate: 0.25, incorrectRate: 0.25);
        Assert.Equal(1, e.UnnecessaryLines, 12);
        Assert.Equal(1, e.IncorrectLines, 12);
        Assert.Equal(2, e.NecessaryLines, 12);
    }

    [Fact]
    public void Padding_probe_adds_exactly_two_unnecessary_lines_to_a_correct_solution()
    {
        foreach (var p in new LabTaskGenerator(LabPreset.EasyTask).Generate(LabSplit.Train, 100))
        {
            string text = LabPrmChecker.Padded(p);
            var labelled = StepLabeller.Label(p, text);
            Assert.True(labelled.IsCorrect, text);
            Assert.Equal(2, labelled.UnnecessaryCount);
            Assert.Equal(p.OperationCount + 2, labelled.StepCount);
            Assert.Equal(0, labelled.IncorrectCount);
        }
    }

    [Fact]
    public void Prm_check_auc_of_each_kind_of_line_is_against_every_line_of_the_other_class()
    {
        (string, bool, double)[] lines =
        [
            ("Correct:A", true, 0.9), ("Correct:A", true, 0.8), ("Correct:B", true, 0.3),
            ("Incorrect:C", false, 0.2), ("Incorrect:C", false, 0.4), ("Incorrect:D", false, 0.85),
        ];
        var aucs = LabPrmChecker.AucsAgainstOtherClass(lines);
        // A {0.9, 0.8} vs {0.2, 0.4, 0.85}: 5 of 6 pairs ordered; B {0.3}: 1 of 3; all correct vs C {0.2, 0.4}: 5 of 6; vs D {0.85}: 1 of 3.
        Assert.Equal(5.0 / 6, aucs["Correct:A"], 12);
        Assert.Equal(1.0 / 3, aucs["Correct:B"], 12);
        Assert.Equal(5.0 / 6, aucs["Incorrect:C"], 12);
        Assert.Equal(1.0 / 3, aucs["Incorrect:D"], 12);
        // The whole set: 3 correct × 3 incorrect, 6 pairs ordered.
        Assert.Equal(6.0 / 9, LabPrmChecker.Auc(lines), 12);
        Assert.True(double.IsNaN(LabPrmChecker.Auc([("Correct:A", true, 0.5)])));
    }

    [Fact]
    public void Threads_run_everything_rethrow_the_first_failure_and_restore_the_core_count()
    {
        int saved = Kernels.WorkerCount;
        int ran = 0, seen = 0;
        // the second waits for the first's reading: a finished action hands its cores to the others
        using var read = new ManualResetEventSlim();
        LabThreads.RunAll([() => { Interlocked.Increment(ref ran); seen = Kernels.WorkerCount; read.Set(); },
            () => { Assert.True(read.Wait(TimeSpan.FromSeconds(30))); Interlocked.Increment(ref ran); }]);
        Assert.Equal(2, ran);
        Assert.Equal(Math.Max(1, saved / 2), seen);
        Assert.Equal(saved, Kernels.WorkerCount);
        var e = Assert.Throws<InvalidOperationException>(() => LabThreads.RunAll([() => { }, () => throw new InvalidOperationException("boom")]));
        Assert.Equal("boom", e.Message);
        Assert.Equal(saved, Kernels.WorkerCount);
    }
}
