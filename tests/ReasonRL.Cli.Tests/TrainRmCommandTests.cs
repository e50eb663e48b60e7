// `reasonrl train-rm` end to end on a tiny lab set: lab-data writes step-labelled JSONL, train-rm trains a
// fresh tiny PRM on it with the lab character tokenizer and writes the HF directory + report; the saved
// model loads back as a PRM. Bad options and bad data fail with messages naming what is wrong.
using ReasonRL.Cli.Commands;
using ReasonRL.Models;
using ReasonRL.Runs;
using ReasonRL.Tensors;
using System.CommandLine;
using System.Text.Json;

namespace ReasonRL.Cli.Tests;

public sealed class TrainRmCommandTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("reasonrl-train-rm-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var root = new RootCommand("test");
        root.Subcommands.Add(TrainRmCommand.Create());
        var output = new StringWriter();
        var error = new StringWriter();
        int code = root.Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void LabDataThenTrainRmWritesAModelAndAReport()
    {
        string data = Path.Combine(dir, "lab.jsonl"), outDir = Path.Combine(dir, "prm");
        var (code, output, error) = Run("train-rm", "lab-data", "--out", data, "--problems", "12", "--variants", "2");
        Assert.True(code == 0, error);
        Assert.Contains("36 responses", output);
        (code, output, error) = Run("train-rm", "--kind", "prm", "--data", data, "--out", outDir, "--init", "tiny", "--tokenizer", "lab",
            "--epochs", "1", "--batch-size", "8", "--lr", "1e-3", "--held-out", "0.25");
        Assert.True(code == 0, error);
        Assert.Contains("majority-class baseline", output);
        Assert.Contains("best-of-N by min", output);
        foreach (var f in new[] { "config.json", "model.safetensors", RewardModelRun.ReportFileName }) Assert.True(File.Exists(Path.Combine(outDir, f)), f);
        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, RewardModelRun.ReportFileName)));
        Assert.Equal("prm", report.RootElement.GetProperty("kind").GetString());
        Assert.True(report.RootElement.GetProperty("held_out_positions").GetInt32() > 0);
        using var model = RewardModel.Load(outDir, new ManagedGemm());
        Assert.Equal(RewardModelKind.Prm, model.Kind);
    }

    [Fact]
    public void ExtraLayersGrowTheModelBackboneAndTheCosineScheduleRuns()
    {
        string data = Path.Combine(dir, "lab.jsonl"), first = Path.Combine(dir, "prm1"), second = Path.Combine(dir, "prm2");
        Assert.Equal(0, Run("train-rm", "lab-data", "--out", data, "--problems", "8", "--variants", "1").Code);
        var (code, _, error) = Run("train-rm", "--kind", "prm", "--data", data, "--out", first, "--init", "tiny", "--tokenizer", "lab", "--epochs", "1", "--held-out", "0.25");
        Assert.True(code == 0, error);
        (code, _, error) = Run("train-rm", "--kind", "prm", "--data", data, "--out", second, "--model", first, "--extra-layers", "1",
            "--schedule", "cosine", "--warmup-steps", "1", "--epochs", "1", "--held-out", "0.25");
        Assert.True(code == 0, error);
        using var before = RewardModel.Load(first, new ManagedGemm());
        using var after = RewardModel.Load(second, new ManagedGemm());
        Assert.Equal(before.Backbone.Config.LayerCount + 1, after.Backbone.Config.LayerCount);

        (code, _, error) = Run("train-rm", "--kind", "prm", "--data", data, "--out", second, "--init", "tiny", "--tokenizer", "lab", "--extra-layers", "1");
        Assert.Equal(2, code);
        Assert.Contains("--extra-layers grows a loaded backbone (--model DIR)", error);
        (code, _, error) = Run("train-rm", "--kind", "prm", "--data", data, "--out", second, "--model", first, "--schedule", "linear");
        Assert.Equal(2, code);
        Assert.Contains("--schedule must be constant or cosine, got \"linear\"", error);
    }

    [Fact]
    public void OrmTrainsFromOutcomeRows()
    {
        string data = Path.Combine(dir, "orm.jsonl"), outDir = Path.Combine(dir, "orm");
        var lines = Enumerable.Range(0, 12).Select(i =>
            $$$"""{"question": "Ann has {{{i}}} pens. How many?", "response": "The answer is \\boxed{{{{i + i % 2}}}}", "correct": {{{(i % 2 == 0 ? "true" : "false")}}}}""");
        File.WriteAllLines(data, lines);
        var (code, output, error) = Run("train-rm", "--kind", "orm", "--data", data, "--out", outDir, "--init", "tiny", "--tokenizer", "lab", "--epochs", "1", "--held-out", "0.25");
        Assert.True(code == 0, error);
        Assert.Contains("best-of-N by score", output);
        using var model = RewardModel.Load(outDir, new ManagedGemm());
        Assert.Equal(RewardModelKind.Orm, model.Kind);
    }

    [Fact]
    public void BadOptionsAndBadDataAreReported()
    {
        string data = Path.Combine(dir, "bad.jsonl");
        File.WriteAllLines(data, ["""{"question": "q", "steps": ["1 + 1 = 2"], "labels": [true]}""", """{"question": "q", "steps": ["a"], "labels": [true, true]}"""]);
        var (code, _, error) = Run("train-rm", "--kind", "xrm", "--data", data, "--out", dir, "--init", "tiny", "--tokenizer", "lab");
        Assert.Equal(2, code);
        Assert.Contains("--kind must be prm or orm", error);
        (code, _, error) = Run("train-rm", "--kind", "prm", "--data", data, "--out", dir, "--init", "tiny", "--tokenizer", "lab");
        Assert.Equal(2, code);
        Assert.Contains("line 2, field 'labels'", error);
        (code, _, error) = Run("train-rm", "--kind", "prm", "--data", data, "--out", dir, "--tokenizer", "lab");
        Assert.Equal(2, code);
        Assert.Contains("exactly one of --model DIR or --init", error);
    }
}
