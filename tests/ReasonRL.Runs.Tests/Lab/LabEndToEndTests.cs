// End-to-end test of `reasonrl lab`'s pipeline on a tiny preset (the micro policy shape, a handful
// of problems and PPO steps, every design, one seed): all stages run, the folder holds the table
// (summary.json), the report and each run's metrics and policy; a second call on the same folder
// resumes (skips every stage) and reproduces the same table; deleting one run's result rebuilds only it,
// from the run's final checkpoint, without training again.
using ReasonRL.Runs.Lab;

namespace ReasonRL.Runs.Tests.Lab;

public sealed class LabEndToEndTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "rrl-lab-e2e-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(root)) Directory.Delete(root, true);
    }

    internal static LabPreset Tiny { get; } = LabPreset.Quick with
    {
        Name = "tiny",
        TrainProblems = 40,
        TestProblems = 8,
        ValidationProblems = 8,
        PerturbedProblems = 6,
        RunOnShare = 0.5,
        ExtraOperationShare = 0.25,
        PolicySize = "micro",
        MaxPositions = 256,
        SftSteps = 6,
        PrmBaseSteps = 0,
        SftBatchSize = 8,
        SampleProblems = 8,
        SamplesPerProblem = 2,
        PrmEpochs = 1,
        OrmEpochs = 1,
        RewardModelBatchSize = 8,
        PpoSteps = 2,
        PromptsPerStep = 3,
        RolloutsPerPrompt = 2,
        MiniBatchSize = 6,
        MaxNewTokens = 40,
        Seeds = [1],
    };

    private static int CountOf(string text, string needle) => (text.Length - text.Replace(needle, "", StringComparison.Ordinal).Length) / needle.Length;

    [Fact]
    [Trait("Lane", "Slow")]
    public void Tiny_preset_produces_table_report_and_resumes()
    {
        var events = new List<LabProgress>();
        var first = LabOrchestrator.Run(Tiny, root, events.Add);

        Assert.Equal(1 + LabDesigns.Default.Count, first.Table.Count);
        Assert.Equal(LabDesigns.Default.Count, first.Runs.Count);
        Assert.All(first.Runs, r => Assert.Equal(Tiny.TestProblems, r.Eval.SampleCount));
        Assert.Equal(2, first.RewardModels.Count);
        // The PRM check measured validation responses and, again, test responses (which choose nothing).
        Assert.NotNull(first.PrmCheck);
        Assert.Equal(Tiny.ValidationProblems, first.PrmCheck.Problems);
        Assert.Equal(Tiny.TestProblems, first.PrmCheck.TestProblems);
        Assert.True(first.PrmCheck.RunOnIncorrectLines > 0 && double.IsFinite(first.PrmCheck.MeanRunOnIncorrect), "the run-on probe scored its incorrect lines");
        Assert.True(first.PrmCheck.ExtraOperationLines > 0 && double.IsFinite(first.PrmCheck.MeanExtraOperation), "the extra-operation probe scored its lines");
        // Its lines by the labeller's verdict: the Correct and Incorrect ones are those of the AUC, each mean a score.
        var byReason = first.PrmCheck.ByReason;
        Assert.Equal(first.PrmCheck.CorrectLines, byReason.Where(kv => kv.Key.StartsWith("Correct:", StringComparison.Ordinal)).Sum(kv => kv.Value.Lines));
        Assert.Equal(first.PrmCheck.IncorrectLines, byReason.Where(kv => kv.Key.StartsWith("Incorrect:", StringComparison.Ordinal)).Sum(kv => kv.Value.Lines));
        Assert.All(byReason.Values, r => Assert.InRange(r.MeanScore, 0, 1));
        // Each kind's AUC against the other class: a number when that class has lines (this tiny policy may write no
        // Correct line at all), and none for Unnecessary lines, which are in neither class.
        foreach (var (key, r) in byReason)
        {
            int others = key.StartsWith("Correct:", StringComparison.Ordinal) ? first.PrmCheck.IncorrectLines
                : key.StartsWith("Incorrect:", StringComparison.Ordinal) ? first.PrmCheck.CorrectLines : 0;
            if (others > 0) Assert.InRange(r.AucAgainstOtherClass, 0, 1);
            else Assert.True(double.IsNaN(r.AucAgainstOtherClass), key);
        }
        Assert.Equal(first.PrmCheck.CorrectLines > 0 && first.PrmCheck.IncorrectLines > 0, double.IsFinite(first.PrmCheck.Auc));
        // The extra reward-model rows: an as-written SFT solution per perturbed problem, and a corrupted or (RunOnShare) run-on copy.
        string samples = File.ReadAllText(Path.Combine(root, "samples/samples.jsonl"));
        Assert.Equal(Tiny.PerturbedProblems, CountOf(samples, "\"source\":\"sft\""));
        Assert.Equal(Tiny.PerturbedProblems, CountOf(samples, "\"source\":\"corrupted\"") + CountOf(samples, "\"source\":\"run_on\"") + CountOf(samples, "\"source\":\"extra_operation\""));
        Assert.True(CountOf(samples, "\"source\":\"run_on\"") > 0, "RunOnShare 0.5 of 6 problems gave no run-on row");
        Assert.True(CountOf(samples, "\"source\":\"extra_operation\"") > 0, "ExtraOperationShare 0.25 of 6 problems gave no extra-operation row");
        Assert.NotEmpty(first.Findings);
        foreach (var f in new[] { "summary.json", "report.html", "sft/model/config.json", "sft/config.resolved.yaml", "rm/prm/train_rm_report.json", "rm/prm_data.jsonl", "runs/prm_raw/seed-1/config.resolved.yaml", "rm/prm/config.json", "rm/orm/config.json",
                     "runs/prm_raw/seed-1/metrics.jsonl", "runs/prm_raw/seed-1/policy/model.safetensors", "samples/labelled.jsonl" })
        {
            Assert.True(File.Exists(Path.Combine(root, f)), f);
        }
        // Every PPO run folder is a `reasonrl train` run folder: TensorBoard events beside metrics.jsonl.
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(root, "runs/prm_raw/seed-1/tb"), "events.out.tfevents.*"));
        Assert.Equal(Tiny.PpoSteps, File.ReadAllLines(Path.Combine(root, "runs/prm_clip/seed-1/metrics.jsonl")).Length);
        Assert.Contains(events, e => e.Task == "ppo" && e.Completed == e.Total);
        string html = File.ReadAllText(Path.Combine(root, "report.html"));
        Assert.Contains("<svg", html, StringComparison.Ordinal);

        // Resume: nothing reruns, same figures.
        var again = new List<LabProgress>();
        var second = LabOrchestrator.Run(Tiny, root, again.Add);
        Assert.DoesNotContain(again, e => e.Task is "sft" or "sample" or "prm" or "orm");
        Assert.Equal(LabTable.ToText(first.Table), LabTable.ToText(second.Table));

        // A lost run result is rebuilt from that run's own folder (its final checkpoint, metrics and policy):
        // no PPO step runs again, the other runs are not touched, the table is the same.
        string ormResult = Path.Combine(root, "runs/orm/seed-1/result.json"), rawResult = Path.Combine(root, "runs/prm_raw/seed-1/result.json");
        var rawWritten = File.GetLastWriteTimeUtc(rawResult);
        File.Delete(ormResult);
        var third = new List<LabProgress>();
        var rebuilt = LabOrchestrator.Run(Tiny, root, third.Add);
        Assert.True(File.Exists(ormResult));
        Assert.Equal(rawWritten, File.GetLastWriteTimeUtc(rawResult));
        Assert.DoesNotContain(third, e => e.Task == "ppo" && e.Description.Contains(" step ", StringComparison.Ordinal));
        Assert.Equal(LabTable.ToText(first.Table), LabTable.ToText(rebuilt.Table));
    }

    [Fact]
    [Trait("Lane", "Slow")]
    public void A_prm_base_model_is_trained_on_gold_solutions_and_the_prm_starts_from_it()
    {
        var preset = Tiny with { PrmBaseSteps = 4, Designs = [LabDesign.PrmRaw] };
        var summary = LabOrchestrator.Run(preset, root, _ => { });

        Assert.NotNull(summary.PrmCheck);
        Assert.True(File.Exists(Path.Combine(root, "prm_base", "model", "config.json")));
        var ctx = new LabContext(LabRunFolder.Open(root, preset), preset, null, CancellationToken.None);
        // its data: the training problems' gold solutions, none of the SFT data's unnecessary lines
        var rows = File.ReadAllLines(Path.Combine(root, LabSftStage.PrmBaseDataPath));
        Assert.Equal(ctx.TrainProblems.Count, rows.Length);
        for (int i = 0; i < rows.Length; i++)
        {
            using var row = System.Text.Json.JsonDocument.Parse(rows[i]);
            Assert.Equal(ctx.TrainProblems[i].GoldSolution, row.RootElement.GetProperty("response").GetString());
        }
        Assert.Contains(ctx.TrainProblems, p => p.SftSolution != p.GoldSolution);
        var base_ = SftRunConfig.Parse("", "lab", LabSftStage.PrmBaseOverrides(ctx));
        Assert.Equal(Path.Combine(root, "prm_base"), base_.Run.OutputDir);
        Assert.Equal(Path.Combine(root, LabSftStage.PrmBaseDataPath), base_.Data.Train);
        Assert.Equal("micro", base_.Model.Size);
        // the PRM starts from it; the ORM still from the SFT policy
        Assert.Equal(Path.Combine(root, "prm_base", "model"),
            LabRewardModelStage.Options(ctx, ReasonRL.Models.RewardModelKind.Prm, LabRewardModelStage.PrmDataPath, LabRewardModelStage.PrmPath).ModelDirectory);
        Assert.Equal(Path.Combine(root, "sft", "model"),
            LabRewardModelStage.Options(ctx, ReasonRL.Models.RewardModelKind.Orm, LabRewardModelStage.OrmDataPath, LabRewardModelStage.OrmPath).ModelDirectory);
    }

    [Fact]
    public void Every_stage_configuration_is_one_the_commands_accept()
    {
        var preset = Tiny with { Estimator = "grpo" };
        var ctx = new LabContext(LabRunFolder.Open(root, preset), preset, null, CancellationToken.None);
        var sft = SftRunConfig.Parse("", "lab", LabSftStage.SftOverrides(ctx));
        Assert.Equal("micro", sft.Model.Size);
        Assert.Equal(Path.Combine(root, "sft"), sft.Run.OutputDir);
        var (yaml, overrides) = LabPpoStage.Config(ctx, LabDesign.PrmClipDelta, 2);
        var train = TrainConfigLoader.Parse(yaml, "lab", overrides).Config;
        Assert.Equal(ReasonRL.Training.AdvantageEstimator.Grpo, train.Algorithm.Advantage);
        Assert.Equal(2UL, train.Run.Seed);
        Assert.Equal(Path.Combine(root, "rm", "prm"), train.Model!.Prm);
        Assert.Null(train.Model.Orm);
        Assert.Equal(Tiny.PpoSteps, train.Run.TotalSteps);
        var rm = LabRewardModelStage.Options(ctx, ReasonRL.Models.RewardModelKind.Orm, LabRewardModelStage.OrmDataPath, LabRewardModelStage.OrmPath);
        Assert.Equal(Path.Combine(root, "sft", "model"), rm.ModelDirectory);
        Assert.Throws<ArgumentException>(() => (Tiny with { Estimator = "ppo2" }).Validate());
    }
}
