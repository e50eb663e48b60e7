// `reasonrl data lab`, `sft`, `train`, `resume` end to end through the CLI on a micro model (seconds):
// files are written, the resolved config is printed and saved, a stopped train run resumes through
// `reasonrl resume` to the same weights, bad configs exit 2 naming the key, and `train --help` lists
// every advantage estimator, loss aggregation, KL estimator and KL placement by name.
using ReasonRL.Cli.Commands;
using ReasonRL.Models;
using ReasonRL.Runs;
using ReasonRL.Tensors;
using ReasonRL.Training;
using System.CommandLine;
using Xunit;

namespace ReasonRL.Cli.Tests;

public sealed class TrainingCommandsTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"reasonrl-train-cli-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private static (int Code, string Out, string Err) Run(params string[] args) => CliHarness.Run(args);

    private static float[] Weights(string dir)
    {
        using var m = ModelStore.Load(dir, new ManagedGemm());
        return m.Parameters.Range(0, (int)m.Parameters.Length).ToArray();
    }

    [Fact]
    public void TrainHelpListsEveryEstimatorAndKlOption()
    {
        var (code, output, _) = Run("train", "--help");
        Assert.Equal(0, code);
        foreach (var name in AdvantageEstimators.All.Select(a => a.Name)
                     .Concat(KlPenalty.Estimators.Select(e => e.Name)).Concat(KlPenalty.Placements.Select(p => p.Name))
                     .Concat(LossAggregations.All.Select(a => a.Name)))
            Assert.Matches($"(?m)^ +{System.Text.RegularExpressions.Regex.Escape(name)} ", output);
        Assert.Contains("gae", output);
        Assert.Contains("reinforce_pp", output);
        Assert.Contains("kl.placement:", output);
        Assert.Contains("algorithm.advantage:", output);
    }

    [Fact]
    public void DataSftTrainResumeEndToEnd()
    {
        string data = Path.Combine(_dir, "data");
        var (code, output, error) = Run("data", "lab", "--out", data, "--sft", "16", "--train", "8", "--test", "4");
        Assert.True(code == 0, error);
        Assert.Contains("wrote 16 SFT examples", output);
        foreach (var f in new[] { "sft.jsonl", "train.jsonl", "test.jsonl", "sft_test.jsonl" }) Assert.True(File.Exists(Path.Combine(data, f)), f);
        Assert.Equal(8, File.ReadAllLines(Path.Combine(data, "train.jsonl")).Length);

        string sftRun = Path.Combine(_dir, "sft");
        (code, output, error) = Run("sft", $"run.output_dir={sftRun}", "model.size=micro", "model.tokenizer=char:lab",
            $"data.train={Path.Combine(data, "sft.jsonl")}", "sft.batch_size=8", "sft.epochs=1", "run.tensorboard=false");
        Assert.True(code == 0, error + output);
        Assert.Contains("  size: \"micro\"", output);                               // resolved config printed
        Assert.Contains("sft: 2/2 updates on 16 examples", output);
        Assert.True(File.Exists(Path.Combine(sftRun, "model", "model.safetensors")));

        string[] train = [$"run.output_dir={Path.Combine(_dir, "rl")}", $"model.policy={Path.Combine(sftRun, "model")}",
            $"data.prompts={Path.Combine(data, "train.jsonl")}", "data.prompts_per_step=2", "algorithm.group_size=2", "algorithm.advantage=grpo",
            "kl.placement=loss", "kl.estimator=k3", "rollout.max_new_tokens=5", "run.total_steps=3", "run.checkpoint_every=1", "run.tensorboard=false", "optim.lr=0.001"];
        (code, output, error) = Run(["train", .. train]);
        Assert.True(code == 0, error + output);
        Assert.Contains("advantage: grpo", output);
        Assert.Matches(@"step 3/3 success [0-9.]+ learned [0-9.]+ total -?[0-9.]+ kl", output);
        Assert.Contains("| gen ", output);
        var uninterrupted = Weights(Path.Combine(_dir, "rl", "policy"));

        // Roll the run back to its step-2 checkpoint (as if it had stopped there) and resume it through the CLI.
        string ckpt = Path.Combine(_dir, "rl", "checkpoints");
        Directory.Delete(Path.Combine(ckpt, "step-000003"), true);
        File.WriteAllText(Path.Combine(ckpt, "latest"), "step-000002\n");
        (code, output, error) = Run("resume", Path.Combine(_dir, "rl"));
        Assert.True(code == 0, error + output);
        Assert.Contains("resumed from", output);
        Assert.Equal(uninterrupted, Weights(Path.Combine(_dir, "rl", "policy")));
    }

    [Fact]
    public void BadConfigsExitWithTwoNamingTheKey()
    {
        var (code, _, error) = Run("train", "algorithm.advantage=ppo");
        Assert.Equal(2, code);
        Assert.Contains("algorithm.advantage: 'ppo' is not a known value; expected one of gae, grpo, dr_grpo, rloo, reinforce_pp", error);
        (code, _, error) = Run("sft", "sft.batch_size=0");
        Assert.Equal(2, code);
        Assert.Contains("sft.batch_size: is 0; expected an integer in [1, 65536]", error);
        (code, _, error) = Run("resume", Path.Combine(_dir, "nothing"));
        Assert.Equal(2, code);
        Assert.Contains("is not a run folder", error);
        (code, _, error) = Run("data", "lab", "--out", _dir, "--test", "-1");
        Assert.Equal(2, code);
        Assert.Contains("--test is -1; expected an integer ≥ 0", error);
    }
}
