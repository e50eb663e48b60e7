// End-to-end test of `reasonrl lab`'s pipeline on a tiny preset (a 1-layer width-32 policy, a handful
// of problems and PPO steps, every design, one seed): all stages run, the folder holds the table
// (summary.json), the report and each run's metrics and policy; a second call on the same folder
// resumes (skips every stage) and reproduces the same table; deleting one run's result reruns only it.
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
        Policy = new LabPolicyShape(HiddenSize: 32, LayerCount: 1, HeadCount: 2, KvHeadCount: 1, IntermediateSize: 64),
        MaxPositions = 256,
        SftSteps = 6,
        SftBatchSize = 8,
        SampleProblems = 8,
        SamplesPerProblem = 2,
        RewardModelEpochs = 1,
        RewardModelBatchSize = 8,
        PpoSteps = 2,
        PromptsPerStep = 3,
        RolloutsPerPrompt = 2,
        MiniBatchSize = 6,
        MaxNewTokens = 40,
        Seeds = [1],
    };

    [Fact]
    [Trait("Lane", "Slow")]
    public void Tiny_preset_produces_table_report_and_resumes()
    {
        var events = new List<LabProgress>();
        var first = LabOrchestrator.Run(Tiny, root, events.Add);

        Assert.Equal(1 + LabDesigns.All.Count, first.Table.Count);
        Assert.Equal(LabDesigns.All.Count, first.Runs.Count);
        Assert.All(first.Runs, r => Assert.Equal(Tiny.TestProblems, r.Eval.SampleCount));
        Assert.Equal(2, first.RewardModels.Count);
        Assert.NotEmpty(first.Findings);
        foreach (var f in new[] { "summary.json", "report.html", "sft/policy/config.json", "rm/prm/config.json", "rm/orm/config.json",
                     "runs/prm_raw/seed-1/metrics.jsonl", "runs/prm_raw/seed-1/policy/model.safetensors", "samples/labelled.jsonl" })
        {
            Assert.True(File.Exists(Path.Combine(root, f)), f);
        }
        Assert.Equal(Tiny.PpoSteps, File.ReadAllLines(Path.Combine(root, "runs/prm_clip/seed-1/metrics.jsonl")).Length);
        Assert.Contains(events, e => e.Task == "ppo" && e.Completed == e.Total);
        string html = File.ReadAllText(Path.Combine(root, "report.html"));
        Assert.Contains("<svg", html, StringComparison.Ordinal);

        // Resume: nothing reruns, same figures.
        var again = new List<LabProgress>();
        var second = LabOrchestrator.Run(Tiny, root, again.Add);
        Assert.DoesNotContain(again, e => e.Task is "sft" or "sample" or "prm" or "orm");
        Assert.Equal(LabTable.ToText(first.Table), LabTable.ToText(second.Table));

        // A lost run result reruns that run only.
        File.Delete(Path.Combine(root, "runs/orm/seed-1/result.json"));
        var third = new List<LabProgress>();
        LabOrchestrator.Run(Tiny, root, third.Add);
        Assert.Contains(third, e => e.Task == "ppo" && e.Description.Contains("orm seed 1 step", StringComparison.Ordinal));
        Assert.DoesNotContain(third, e => e.Task == "ppo" && e.Description.Contains("prm_raw seed 1 step", StringComparison.Ordinal));
    }
}
