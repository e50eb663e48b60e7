// Determinism of the lab (issue: "the same seed gives the same numbers"): the tiny lab run twice with two
// PPO runs at once, and once more with the engine on one worker thread and one PPO run at a time, writes
// identical summary.json and metrics.jsonl files (sft, and every design's PPO run) once the wall-clock
// fields are removed.
using ReasonRL.Runs.Lab;
using ReasonRL.Tensors;

namespace ReasonRL.Runs.Tests.Lab;

public sealed class LabDeterminismTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "rrl-lab-det-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(root)) Directory.Delete(root, true);
    }

    [Fact]
    [Trait("Lane", "Slow")]
    public void Same_seed_same_numbers_twice_and_on_one_or_two_worker_threads()
    {
        var preset = LabEndToEndTests.Tiny with { Designs = [LabDesign.Success, LabDesign.PrmRaw, LabDesign.Orm] };
        int saved = Kernels.WorkerCount;
        try
        {
            Kernels.WorkerCount = 2;
            LabOrchestrator.Run(preset with { ParallelRuns = 2 }, Path.Combine(root, "a"));
            LabOrchestrator.Run(preset with { ParallelRuns = 2 }, Path.Combine(root, "b"));
            Kernels.WorkerCount = 1;
            LabOrchestrator.Run(preset with { ParallelRuns = 1 }, Path.Combine(root, "one"));
        }
        finally
        {
            Kernels.WorkerCount = saved;
        }
        var files = new List<string> { "summary.json", "sft/metrics.jsonl" };
        files.AddRange(preset.Designs.Select(d => $"runs/{LabDesigns.NameOf(d)}/seed-1/metrics.jsonl"));
        foreach (string f in files)
        {
            bool lines = f.EndsWith(".jsonl", StringComparison.Ordinal);
            string a = WallClockFields.Strip(File.ReadAllText(Path.Combine(root, "a", f)), lines);
            Assert.Equal(a, WallClockFields.Strip(File.ReadAllText(Path.Combine(root, "b", f)), lines));
            Assert.Equal(a, WallClockFields.Strip(File.ReadAllText(Path.Combine(root, "one", f)), lines));
        }
        Assert.Equal(File.ReadAllBytes(Path.Combine(root, "a/runs/prm_raw/seed-1/policy/model.safetensors")),
            File.ReadAllBytes(Path.Combine(root, "one/runs/prm_raw/seed-1/policy/model.safetensors")));
    }

    [Fact]
    public void Wall_clock_fields_are_recognised_by_name_and_stripped()
    {
        Assert.True(WallClockFields.Is("wall_time"));
        Assert.True(WallClockFields.Is("time/generation_s"));
        Assert.True(WallClockFields.Is("total_seconds"));
        Assert.False(WallClockFields.Is("reward/success"));
        Assert.Equal("""{"step":1,"x":{"a":[{"b":2}]}}""",
            WallClockFields.Strip("""{"step":1,"wall_time":3.5,"x":{"a":[{"b":2,"completed_at":"t"}],"train_seconds":1}}"""));
        Assert.Equal("{\"s\":1}\n{\"s\":2}", WallClockFields.Strip("{\"s\":1,\"time/x\":2}\n{\"s\":2}\n", lines: true));
    }
}
