// Run-folder and resume tests: lab.json pins the preset (a different one is refused), stage records
// mark completion, completed stages are skipped on rerun, temp leftovers of an interrupted run are
// removed, and the JSON/JSONL helpers round-trip and name the file and line of bad input.
using ReasonRL.Data.Datasets;
using ReasonRL.Runs.Lab;
using ReasonRL.Training;

namespace ReasonRL.Runs.Tests.Lab;

public sealed class LabRunFolderTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "rrl-labfolder-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(root)) Directory.Delete(root, true);
    }

    [Fact]
    public void Open_writes_the_preset_and_refuses_a_different_one()
    {
        LabRunFolder.Open(root, LabPreset.Quick);
        Assert.True(File.Exists(Path.Combine(root, "lab.json")));
        LabRunFolder.Open(root, LabPreset.Quick);   // same preset: resumable
        var e = Assert.Throws<InvalidOperationException>(() => LabRunFolder.Open(root, LabPreset.Quick with { PpoSteps = 99 }));
        Assert.Contains("lab.json", e.Message, StringComparison.Ordinal);
        Assert.Contains("different lab configuration", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Stage_records_mark_completion_and_survive_reopening()
    {
        var folder = LabRunFolder.Open(root, LabPreset.Quick);
        Assert.False(folder.IsComplete("sft"));
        Assert.Null(folder.StageRecord("sft"));
        folder.Complete("sft", TimeSpan.FromSeconds(12.5));
        var reopened = LabRunFolder.Open(root, LabPreset.Quick);
        Assert.True(reopened.IsComplete("sft"));
        Assert.Equal(12.5, reopened.StageRecord("sft")!.WallSeconds, 6);
    }

    [Fact]
    public void Open_removes_leftover_temporaries_of_an_interrupted_run()
    {
        LabRunFolder.Open(root, LabPreset.Quick);
        Directory.CreateDirectory(Path.Combine(root, "sft", "policy.tmp"));
        File.WriteAllText(Path.Combine(root, "sft", "policy.tmp", "model.safetensors"), "partial");
        File.WriteAllText(Path.Combine(root, "summary.json.tmp"), "{");
        LabRunFolder.Open(root, LabPreset.Quick);
        Assert.False(Directory.Exists(Path.Combine(root, "sft", "policy.tmp")));
        Assert.False(File.Exists(Path.Combine(root, "summary.json.tmp")));
    }

    [Fact]
    public void Completed_data_stage_is_skipped_on_rerun()
    {
        var preset = LabPreset.Quick with { TrainProblems = 30, TestProblems = 5, SampleProblems = 10 };
        var ctx = new LabContext(LabRunFolder.Open(root, preset), preset, null, CancellationToken.None);
        LabSftStage.RunData(ctx);
        string train = Path.Combine(root, "data", "train.jsonl");
        Assert.Equal(30, File.ReadAllLines(train).Length);
        File.WriteAllText(train, "sentinel");                 // a rerun must not redo a completed stage
        LabSftStage.RunData(new LabContext(LabRunFolder.Open(root, preset), preset, null, CancellationToken.None));
        Assert.Equal("sentinel", File.ReadAllText(train));
    }

    [Fact]
    public void Jsonl_round_trips_and_bad_lines_name_file_and_line()
    {
        string path = Path.Combine(root, "s.jsonl");
        var rows = new[] { new LabSampleRow("train-1-0", 0, "1 + 2 = 3\nThe answer is \\boxed{3}", false), new LabSampleRow("train-1-0", 1, "x", true) };
        JsonlFile.Write(path, rows, LabJsonContext.Default.LabSampleRow);
        Assert.Equal(2, File.ReadAllLines(path).Length);
        Assert.Equal(rows, JsonlFile.Read(path, LabJsonContext.Default.LabSampleRow).ToList());
        File.AppendAllText(path, "{\"problem_id\": 5,\n");
        var e = Assert.Throws<DatasetFormatException>(() => JsonlFile.Read(path, LabJsonContext.Default.LabSampleRow).ToList());
        Assert.EndsWith("s.jsonl", e.FilePath, StringComparison.Ordinal);
        Assert.Equal(3, e.Line);
        Assert.Contains("s.jsonl", e.Message, StringComparison.Ordinal);
    }
}
