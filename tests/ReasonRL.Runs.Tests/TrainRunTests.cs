// TrainRun end to end on lab prompts with a micro policy: a run stopped after k steps and resumed ends
// with exactly the policy weights and metrics of an uninterrupted run (same seed; GAE, so the critic
// and its two optimizers are restored too); a checkpoint that fails half-way never becomes the latest
// and the previous one still loads and resumes; config errors name the key and the expected value.
using ReasonRL.Data.Lab;
using ReasonRL.Models;
using ReasonRL.Rewards.Offline;
using ReasonRL.Runs;
using ReasonRL.Tensors;
using ReasonRL.Text;
using System.Text.RegularExpressions;
using Xunit;

namespace ReasonRL.Runs.Tests;

public sealed class TrainRunTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "rrl-trainrun-" + Guid.NewGuid().ToString("N"));
    private readonly string policyDir;

    public TrainRunTests()
    {
        LabDataExport.Write(Path.Combine(root, "data"), 0, 12, 4, LabTaskOptions.Default);
        var tok = new CharTokenizer(LabTask.Alphabet);
        using var m = new Transformer(ModelStore.ConfigFor("micro", tok.VocabSize, tok.BosId, tok.EosIds, 256), new ManagedGemm());
        m.InitializeRandom(5, 0.1f);
        policyDir = Path.Combine(root, "policy0");
        ModelStore.Save(m, policyDir, TokenizerSpec.CharLab, null);
    }

    public void Dispose()
    {
        if (Directory.Exists(root)) Directory.Delete(root, true);
    }

    private ResolvedTrainConfig Config(params string[] extra) => TrainConfigLoader.Parse($"""
        run:
          total_steps: 4
          checkpoint_every: 2
          keep_checkpoints: 2
          tensorboard: false
        model:
          policy: {policyDir}
        data:
          prompts: {Path.Combine(root, "data", "train.jsonl")}
          prompts_per_step: 2
        rollout:
          max_new_tokens: 6
        algorithm:
          advantage: gae
          group_size: 2
          mini_batches: 2
        optim:
          lr: 0.001
          critic_lr: 0.001
        eval:
          every: 2
          data: {Path.Combine(root, "data", "test.jsonl")}
          max_new_tokens: 6
        reward:
          success:
            correct: 1.0
            incorrect: 0.0
          format:
            missing_answer: -0.5
        """, "train.yaml", extra);

    private static float[] Weights(string dir)
    {
        using var m = ModelStore.Load(dir, new ManagedGemm());
        return m.Parameters.Range(0, (int)m.Parameters.Length).ToArray();
    }

    /// <summary>metrics.jsonl without the wall-clock fields (wall_time, time/*), which differ between runs.</summary>
    private static string[] Metrics(string run) => [.. File.ReadAllLines(Path.Combine(run, "metrics.jsonl"))
        .Select(l => Regex.Replace(l, "\"(wall_time|time/[a-z_]+)\":[-0-9.eE+]+,?", ""))];

    [Fact]
    public void StoppedAndResumedRunEndsWithTheSameWeightsAndMetrics()
    {
        string full = Path.Combine(root, "full"), cut = Path.Combine(root, "cut");
        var a = TrainRun.Run(Config(), "train.yaml", new ManagedGemm(), false, runDirectory: full);
        Assert.Equal(4, a.StepsDone);
        Assert.NotNull(a.FinalEvalAccuracy);

        using var cts = new CancellationTokenSource();
        Assert.Throws<OperationCanceledException>(() => TrainRun.Run(Config(), "train.yaml", new ManagedGemm(), false,
            progress: p => { if (p.Metrics.Step == 3) cts.Cancel(); }, ct: cts.Token, runDirectory: cut));
        Assert.Equal(2, new CheckpointStore(Path.Combine(cut, "checkpoints"), 2).LoadLatest()!.State.Step);
        var b = TrainRun.Run(Config(), "train.yaml", new ManagedGemm(), true, runDirectory: cut);
        Assert.Equal(2, b.ResumedFromStep);
        Assert.Equal(Weights(a.PolicyDirectory), Weights(b.PolicyDirectory));
        Assert.Equal(Metrics(full), Metrics(cut));
        Assert.Equal(4, Metrics(cut).Length);
        Assert.Contains("\"eval/accuracy\"", Metrics(cut)[1]);
    }

    [Fact]
    public void AFailedCheckpointNeverBecomesTheLatestAndThePreviousOneResumes()
    {
        string full = Path.Combine(root, "full2"), crash = Path.Combine(root, "crash");
        var a = TrainRun.Run(Config(), "train.yaml", new ManagedGemm(), false, runDirectory: full);
        int files = 0;
        // Crash while writing the step-4 checkpoint, after its second file is durable.
        var e = Assert.Throws<IOException>(() => TrainRun.Run(Config(), "train.yaml", new ManagedGemm(), false, runDirectory: crash,
            afterCheckpointFile: f => { if (f.Contains("step-000004") && ++files == 2) throw new IOException("injected crash"); }));
        Assert.Equal("injected crash", e.Message);
        Assert.True(Directory.Exists(Path.Combine(crash, "checkpoints", "step-000004.tmp")));   // the half-written one is only a .tmp
        var store = new CheckpointStore(Path.Combine(crash, "checkpoints"), 2);             // opening cleans it up
        Assert.Single(store.CleanedOnOpen);
        var latest = store.LoadLatest()!;
        Assert.Equal(2, latest.State.Step);
        Assert.Contains("policy", latest.Parts.Keys);
        var b = TrainRun.Run(Config(), "train.yaml", new ManagedGemm(), true, runDirectory: crash);
        Assert.Equal(Weights(a.PolicyDirectory), Weights(b.PolicyDirectory));
    }

    [Fact]
    public void ARunFolderWithCheckpointsIsNotRestartedByAccident()
    {
        string dir = Path.Combine(root, "twice");
        TrainRun.Run(Config("run.total_steps=2"), "train.yaml", new ManagedGemm(), false, runDirectory: dir);
        var e = Assert.Throws<InvalidOperationException>(() => TrainRun.Run(Config("run.total_steps=2"), "train.yaml", new ManagedGemm(), false, runDirectory: dir));
        Assert.Contains("already holds checkpoints", e.Message);
        var e2 = Assert.Throws<InvalidOperationException>(() => TrainRun.Run(Config("run.total_steps=3"), "train.yaml", new ManagedGemm(), true, runDirectory: dir));
        Assert.Contains("different config", e2.Message);
    }

    [Theory]
    [InlineData("algorithm.advantage=ppo2", "algorithm.advantage: 'ppo2' is not a known value; expected one of gae, grpo, dr_grpo, rloo, reinforce_pp")]
    [InlineData("kl.placement=both", "kl.placement: 'both' is not a known value; expected one of none, reward, loss")]
    [InlineData("data.template=Q:", "data.template: 'Q:' has no {question} placeholder")]
    [InlineData("rollout.temperature=0", "rollout.temperature: is 0; expected a number in (0, 100]")]
    [InlineData("rollout.reuse_logprobs=yes", "rollout.reuse_logprobs")]
    [InlineData("optim.schedule=linear", "optim.schedule: 'linear' is not a known value; expected one of constant, cosine")]
    public void BadOverridesNameTheKeyAndExpectedValue(string over, string message)
    {
        var e = Assert.Throws<TrainConfigException>(() => Config(over));
        Assert.Contains(message, e.Message);
        Assert.Contains("command line override #1", e.Message);
    }

    [Fact]
    public void LengthGroupedReachesThePpoOptions()
    {
        Assert.False(TrainRun.ToPpoOptions(TrainConfigLoader.Parse("", "t.yaml", []).Config).LengthGroupedBatches);
        Assert.True(TrainRun.ToPpoOptions(TrainConfigLoader.Parse("algorithm:\n  length_grouped: true\n", "t.yaml", []).Config).LengthGroupedBatches);
        var e = Assert.Throws<TrainConfigException>(() => TrainConfigLoader.Parse("", "t.yaml", ["algorithm.length_grouped=sometimes"]));
        Assert.Contains("algorithm.length_grouped", e.Message);
    }

    [Fact]
    public void ReuseLogProbsReachesThePpoOptionsAndNeedsTemperatureOne()
    {
        Assert.False(TrainRun.ToPpoOptions(TrainConfigLoader.Parse("", "t.yaml", []).Config).ReuseSamplingLogProbs);
        Assert.True(TrainRun.ToPpoOptions(TrainConfigLoader.Parse("", "t.yaml", ["rollout.reuse_logprobs=true"]).Config).ReuseSamplingLogProbs);
        var e = Assert.Throws<TrainConfigException>(() => TrainConfigLoader.Parse("", "t.yaml", ["rollout.reuse_logprobs=true", "rollout.temperature=0.7"]));
        Assert.Contains("rollout.reuse_logprobs: is true with rollout.temperature = 0.7; expected temperature 1", e.Message);
    }

    [Fact]
    public void RewardSectionErrorsPointAtTheLineInTheTrainConfig()
    {
        const string yaml = "run:\n  total_steps: 3\nreward:\n  success: { correct: 1.0 }\n  shaping: { kind: clipp }\n";
        var r = TrainConfigLoader.Parse(yaml, "t.yaml");
        var e = Assert.Throws<RewardConfigException>(() => TrainRun.RewardConfigOf(r.Config, "t.yaml"));
        Assert.StartsWith("t.yaml:5:", e.Message);
        // The resolved YAML keeps the reward section and round-trips to the same hash.
        Assert.Equal(r.Hash, TrainConfigLoader.Parse(r.Yaml, "again.yaml").Hash);
        Assert.Contains("reward:\n  success: { correct: 1.0 }\n", r.Yaml);
        var learned = TrainConfigLoader.Parse("reward:\n  shaping: { kind: clip }\n", "t.yaml");
        var ns = Assert.Throws<NotSupportedException>(() => TrainRun.BuildRewards(TrainRun.RewardConfigOf(learned.Config, "t.yaml"), (_, _) => throw new InvalidOperationException()));
        Assert.Contains("the shaping section needs a PRM; set model.prm", ns.Message);
        var over = Assert.Throws<TrainConfigException>(() => TrainConfigLoader.Parse("", "t.yaml", ["reward.shaping.kind=raw"]));
        Assert.Contains("cannot be overridden on the command line", over.Message);
    }

    [Fact]
    public void TheRewardSectionsVerifierOptionsJudgeTheRun()
    {
        // reward.verifier reaches the judge of the success reward and the held-out eval (it used to be ignored: always the defaults).
        var words = TrainRun.DefaultJudge(TrainRun.RewardConfigOf(TrainConfigLoader.Parse("reward:\n  success: { correct: 1.0 }\n", "t.yaml").Config, "t.yaml"));
        var noWords = TrainRun.DefaultJudge(TrainRun.RewardConfigOf(
            TrainConfigLoader.Parse("reward:\n  success: { correct: 1.0 }\n  verifier: { number_words: false }\n", "t.yaml").Config, "t.yaml"));
        Assert.Equal(ReasonRL.Rewards.Sources.SuccessVerdict.Correct, words("The answer is seven.", "7").Verdict);
        Assert.Equal(ReasonRL.Rewards.Sources.SuccessVerdict.Incorrect, noWords("The answer is seven.", "7").Verdict);
        var e = Assert.Throws<RewardConfigException>(() => TrainRun.RewardConfigOf(
            TrainConfigLoader.Parse("reward:\n  verifier: { number_words: 0 }\n", "t.yaml").Config, "t.yaml"));
        Assert.StartsWith("t.yaml:2: verifier.number_words: ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingPolicyIsRejectedNamingTheKey()
    {
        var e = Assert.Throws<TrainConfigException>(() => TrainRun.Run(Config("model.policy=null"), "train.yaml", new ManagedGemm(), false, runDirectory: Path.Combine(root, "x")));
        Assert.Contains("model.policy: is missing; expected a Hugging Face model directory", e.Message);
        var beta = Assert.Throws<TrainConfigException>(() => TrainRun.Run(Config("optim.beta2=0.95"), "train.yaml", new ManagedGemm(), false, runDirectory: Path.Combine(root, "y")));
        Assert.Contains("optim.beta2: is 0.95; expected 0.999", beta.Message);
    }

    [Fact]
    public void NonFiniteUpdatesStopTheRunWithItsStateCheckpointedIntact()
    {
        // A critic whose value head outputs NaN poisons every GAE advantage → every update is non-finite.
        var c = Config("guard.max_consecutive_nonfinite=2", "run.checkpoint_every=10", "eval.data=null");
        string dir = Path.Combine(root, "nan");
        var before = Weights(policyDir);
        var report = TrainRun.Run(c, "train.yaml", new ManagedGemm(), false, runDirectory: dir, judge: (_, _) => new ReasonRL.Rewards.Sources.SuccessJudgement(ReasonRL.Rewards.Sources.SuccessVerdict.Correct, null, null),
            poison: critic => critic!.Head.Parameters.View(critic.Head.Layout.Entries[0]).Fill(float.NaN));
        // Two mini-batch updates per step: both are non-finite, so the trainer gives up inside step 1.
        Assert.NotNull(report.StopReason);
        Assert.Equal(0, report.StepsDone);
        var ck = new CheckpointStore(Path.Combine(dir, "checkpoints"), 2).LoadLatest()!;
        Assert.Equal(0, ck.State.Step);
        Assert.Equal(2, ck.State.NanTotalSkipped);
        Assert.Equal(2, ck.State.NanConsecutive);
        Assert.Equal(before, Weights(report.PolicyDirectory));   // no skipped update touched the policy
    }

    [Fact]
    public void ALearnedPrmRewardWithClipShapingTrains()
    {
        // A PRM built on a copy of the policy (untrained head): the run loads it from model.prm and the learned return is reported.
        string prmDir = Path.Combine(root, "prm");
        using (var backbone = ModelStore.Load(policyDir, new ManagedGemm()))
        using (var rm = RewardModel.Create(RewardModelKind.Prm, ReasonRL.Training.Ppo.Critic.CopyOf(backbone), 3))
            rm.Save(prmDir);
        var c = TrainConfigLoader.Parse($$"""
            run: { total_steps: 1, tensorboard: false }
            model: { policy: {{policyDir}}, prm: {{prmDir}} }
            data: { prompts: {{Path.Combine(root, "data", "train.jsonl")}}, prompts_per_step: 2 }
            rollout: { max_new_tokens: 12 }
            algorithm: { advantage: rloo, group_size: 2 }
            reward:
              steps: { split: "\n" }
              shaping: { kind: clip, alpha: 1.0, eta: 0.5 }
            """, "prm.yaml");
        TrainRunProgress? last = null;
        var r = TrainRun.Run(c, "prm.yaml", new ManagedGemm(), false, progress: p => last = p, runDirectory: Path.Combine(root, "prm-run"));
        Assert.Equal(1, r.StepsDone);
        Assert.NotNull(last);
        Assert.True(double.IsFinite(last!.Metrics.LearnedReturnMean));
        Assert.True(last.Metrics.LearnedReturnMean <= 0);   // Clip: min(α(s − η), 0) per step is never positive
        Assert.True(last.Metrics.LearnedReturnMean < 0, "an untrained PRM scores some step below η = 0.5");
        Assert.Equal(0, last.Metrics.FailedSamples);
    }

    [Fact]
    public void PromptScheduleIsAPureFunctionOfTheStep()
    {
        var s1 = new PromptSchedule(5, 3, 7);
        var first = Enumerable.Range(0, 5).Select(i => s1.At(i)).ToList();
        var s2 = new PromptSchedule(5, 3, 7);
        Assert.Equal(first[4], s2.At(4));                                         // no need to replay steps 0..3
        Assert.Equal(Enumerable.Range(0, 5), first.SelectMany(x => x).Take(5).Order());   // the first epoch is a permutation
        Assert.NotEqual(first.SelectMany(x => x), Enumerable.Range(0, 5).Select(i => new PromptSchedule(5, 3, 8).At(i)).SelectMany(x => x));
    }
}
