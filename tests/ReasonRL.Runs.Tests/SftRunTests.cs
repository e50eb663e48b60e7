// SftRun end to end on the lab task with a micro model: a run writes metrics, checkpoints, the resolved
// config and an HF model that loads back; a run cancelled after k updates and resumed ends with exactly
// the weights of an uninterrupted run; a run folder with checkpoints is not silently overwritten;
// bad data rows are rejected naming the file, line and field.
using ReasonRL.Data.Lab;
using ReasonRL.Models;
using ReasonRL.Runs;
using ReasonRL.Tensors;
using Xunit;

namespace ReasonRL.Runs.Tests;

public sealed class SftRunTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "rrl-sftrun-" + Guid.NewGuid().ToString("N"));

    public SftRunTests() => LabDataExport.Write(Path.Combine(root, "data"), 12, 0, 4, LabTaskOptions.Default);

    public void Dispose()
    {
        if (Directory.Exists(root)) Directory.Delete(root, true);
    }

    private SftRunConfig Config(string run, params string[] extra) => SftRunConfig.Parse($"""
        run:
          output_dir: {Path.Combine(root, run)}
          checkpoint_every: 2
          tensorboard: false
        model:
          size: micro
          max_positions: 256
          tokenizer: char:lab
        data:
          train: {Path.Combine(root, "data", "sft.jsonl")}
          eval: {Path.Combine(root, "data", "sft_test.jsonl")}
        sft:
          epochs: 2
          batch_size: 4
          lr: 0.003
          warmup_steps: 1
        """, "sft.yaml", extra);

    private static float[] Weights(string modelDir)
    {
        using var m = ModelStore.Load(modelDir, new ManagedGemm());
        return m.Parameters.Range(0, (int)m.Parameters.Length).ToArray();
    }

    [Fact]
    public void RunWritesModelMetricsCheckpointsAndConfig()
    {
        var c = Config("a", "data.eval_limit=2");
        var r = SftRun.Run(c, new ManagedGemm(), resume: false);
        Assert.Equal(6, r.TotalSteps);                  // 2 epochs · ⌈12 / 4⌉
        Assert.Equal(6, r.StepsDone);
        Assert.NotNull(r.FinalEvalLoss);
        Assert.True(r.FinalEvalLoss < r.InitialEvalLoss, $"held-out loss {r.InitialEvalLoss} → {r.FinalEvalLoss}");
        Assert.Equal(6, File.ReadAllLines(Path.Combine(root, "a", "metrics.jsonl")).Length);
        Assert.Equal(c.Yaml, File.ReadAllText(Path.Combine(root, "a", RunFolder.ConfigFileName)));
        Assert.Equal([4, 6], new CheckpointStore(Path.Combine(root, "a", "checkpoints"), 2).Steps());
        // The char:lab tokenizer is written out as tokenizer.json + tokenizer_config.json (no reasonrl_tokenizer.txt).
        Assert.True(File.Exists(Path.Combine(r.ModelDirectory, "tokenizer.json")));
        Assert.True(File.Exists(Path.Combine(r.ModelDirectory, "tokenizer_config.json")));
        Assert.False(File.Exists(Path.Combine(r.ModelDirectory, TokenizerSpec.SpecFileName)));
        Assert.IsType<ReasonRL.Text.CharTokenizer>(TokenizerSpec.Resolve(null, r.ModelDirectory));
        Assert.Equal(SftRunConfig.Parse(c.Yaml, "again").Hash, c.Hash);   // the resolved YAML round-trips
        Weights(r.ModelDirectory);                                          // loads back
        // Starting again in the same folder without resume is refused.
        var e = Assert.Throws<InvalidOperationException>(() => SftRun.Run(c, new ManagedGemm(), resume: false));
        Assert.Contains("already holds checkpoints", e.Message);
    }

    [Fact]
    public void CancelledAndResumedRunEndsWithTheSameWeights()
    {
        var full = SftRun.Run(Config("full"), new ManagedGemm(), resume: false);

        var c = Config("cut");
        using var cts = new CancellationTokenSource();
        Assert.Throws<OperationCanceledException>(() => SftRun.Run(c, new ManagedGemm(), resume: false,
            progress: p => { if (p.Step.Step == 3) cts.Cancel(); }, ct: cts.Token));
        Assert.Equal(2, new CheckpointStore(Path.Combine(root, "cut", "checkpoints"), 2).LoadLatest()!.State.Step);
        var resumed = SftRun.Run(c, new ManagedGemm(), resume: true);
        Assert.Equal(2, resumed.ResumedFromStep);
        Assert.Equal(Weights(full.ModelDirectory), Weights(resumed.ModelDirectory));
        Assert.Equal(File.ReadAllLines(Path.Combine(root, "full", "metrics.jsonl")).Select(StripTime),
                     File.ReadAllLines(Path.Combine(root, "cut", "metrics.jsonl")).Select(StripTime));
    }

    private static string StripTime(string line) => System.Text.RegularExpressions.Regex.Replace(line, "\"wall_time\":[0-9.]+,", "");

    [Fact]
    public void BadRowsNameFileLineAndField()
    {
        string bad = Path.Combine(root, "bad.jsonl");
        File.WriteAllText(bad, "{\"prompt\": \"a\", \"response\": \"b\"}\n{\"prompt\": \"a\"}\n");
        var e = Assert.Throws<ReasonRL.Data.Datasets.DatasetFormatException>(() => SftRun.Run(Config("bad", $"data.train={bad}", "data.eval=null"), new ManagedGemm(), false));
        Assert.Contains("bad.jsonl", e.Message);
        Assert.Contains("line 2, field 'response'", e.Message);
        Assert.Contains("response", e.Message);
        File.WriteAllText(bad, "{\"prompt\": [1], \"response\": \"b\"}\n");
        var e2 = Assert.Throws<ReasonRL.Data.Datasets.DatasetFormatException>(() => SftRun.Run(Config("bad2", $"data.train={bad}", "data.eval=null"), new ManagedGemm(), false));
        Assert.Contains("bad.jsonl line 1, field 'prompt': expected a string or a number, found Array", e2.Message);
    }

    [Theory]
    [InlineData("sft:\n  lr: 0\n", "sft.yaml:2: sft.lr: is 0; expected a number in (0, 1]")]
    [InlineData("model:\n  size: huge\n", "sft.yaml:2: model.size: 'huge' is not a known size; expected one of micro, lab, tiny, small, medium")]
    [InlineData("sft:\n  batch_size: 2\n  gradient_accumulation: 4\n", "sft.yaml:3: sft.gradient_accumulation: is 4; expected ≤ sft.batch_size = 2")]
    [InlineData("sft:\n  epoch: 2\n", "sft.yaml:2: sft.epoch: unknown key; expected one of sft.epochs")]
    [InlineData("model:\n  tokenizer: null\n", "model.tokenizer: is null with a random-init model")]
    public void BadConfigsNameTheKeyAndTheExpectedValue(string yaml, string message)
    {
        var e = Assert.Throws<TrainConfigException>(() => SftRunConfig.Parse(yaml + "data:\n  train: x.jsonl\n", "sft.yaml"));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void MissingTrainDataIsRejected()
    {
        var e = Assert.Throws<TrainConfigException>(() => SftRunConfig.Parse("model:\n  tokenizer: char:lab\n", "sft.yaml"));
        Assert.Contains("data.train: is missing; expected a JSONL file", e.Message);
    }
}
