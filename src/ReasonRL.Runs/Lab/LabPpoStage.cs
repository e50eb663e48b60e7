// LabPpoStage: one PPO run of the lab — one reward design, one seed — as a `reasonrl train` run
// (TrainRun, the same entry point as the CLI) in runs/<design>/seed-<n>/, followed by the greedy
// held-out evaluation of its final policy. The lab only writes the configuration: the policy and the
// frozen reference start from sft/model, the critic (GAE) from the same weights with a head seeded by
// the seed, the prompts are data/train.jsonl drawn by the trainer's seeded schedule (the same stream for
// every design of a seed), the reward is the design's `reward:` section with rm/prm or rm/orm. Besides
// the trainer's metrics, every metrics.jsonl row carries the lab's labels of that step's rollouts
// (lab/accuracy, lab/unnecessary_step_rate, lab/incorrect_step_rate, and lines per response by type:
// lab/necessary_lines, lab/unnecessary_lines, lab/repeated_lines, lab/incorrect_lines) and their raw PRM score sum,
// computed from the step's rollout records. The run checkpoints every preset.CheckpointEvery steps and
// resumes from its last checkpoint; eval.json and result.json (written last: the completion marker)
// are read back from the run's own files.
// Not the trainer (PpoTrainer), not the run (TrainRun) and not the reward arithmetic.
using ReasonRL.Core;
using ReasonRL.Data.Lab;
using ReasonRL.Tensors;
using ReasonRL.Training;
using ReasonRL.Training.Ppo;
using System.Diagnostics;
using System.Globalization;

namespace ReasonRL.Runs.Lab;

/// <summary>One PPO run per call.</summary>
public static class LabPpoStage
{
    /// <summary>Steps at the start and at the end of training averaged for the first / last learned return and KL.</summary>
    public static int WindowOf(int steps) => Math.Clamp(steps / 4, 1, 5);

    /// <summary>Metric key of the learned return per response (the trainer's: shaped PRM terms + ORM term).</summary>
    public const string LearnedReturnMetric = MetricNames.LearnedReward;

    /// <summary>Metric key of the raw PRM score sum Σ_k s_k per scored response (what a policy collects whatever the shaping).</summary>
    public const string RawPrmSumMetric = "lab/raw_prm_sum";

    /// <summary>Metric keys of the rollouts' lines per response by the labeller's type.</summary>
    public const string NecessaryLinesMetric = "lab/necessary_lines", UnnecessaryLinesMetric = "lab/unnecessary_lines",
        RepeatedLinesMetric = "lab/repeated_lines", IncorrectLinesMetric = "lab/incorrect_lines";

    /// <summary>The run's result file, relative to its run directory; it marks the run complete.</summary>
    public const string ResultFile = "result.json", EvalFile = "eval.json";

    /// <summary>The `reasonrl train` configuration of design <paramref name="design"/> with <paramref name="seed"/>:
    /// the design's reward section (YAML) and key=value overrides — what a user would pass to `reasonrl train`.</summary>
    public static (string Yaml, IReadOnlyList<string> Overrides) Config(LabContext ctx, LabDesign design, int seed)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        var p = ctx.Preset;
        var inv = CultureInfo.InvariantCulture;
        int responses = p.PromptsPerStep * p.RolloutsPerPrompt;
        var overrides = new List<string>
        {
            $"run.output_dir={ctx.Folder.RunDirectory(design, seed)}",
            string.Create(inv, $"run.total_steps={p.PpoSteps}"),
            string.Create(inv, $"run.checkpoint_every={p.CheckpointEvery}"),
            "run.keep_checkpoints=1",
            string.Create(inv, $"run.seed={seed}"),
            $"model.policy={ctx.Folder.PathOf(LabSftStage.PolicyPath)}",
            $"model.tokenizer={TokenizerSpec.CharLab}",
            string.Create(inv, $"model.critic_head_seed={seed}"),
            $"data.prompts={ctx.Folder.PathOf(LabSftStage.TrainPath)}",
            "data.question_field=question",
            "data.answer_field=gold",
            "data.template=lab",
            string.Create(inv, $"data.prompts_per_step={p.PromptsPerStep}"),
            "rollout.temperature=1",
            "rollout.reuse_logprobs=true",
            string.Create(inv, $"rollout.max_new_tokens={p.MaxNewTokens}"),
            // GAE (the default) with γ = λ = 1: Monte-Carlo returns with the critic as a baseline only (ReaLHF's
            // default); with λ < 1 a fresh critic's errors bias every advantage. Critic-free estimators ignore both.
            $"algorithm.advantage={p.Estimator}",
            "algorithm.gamma=1",
            "algorithm.lambda=1",
            string.Create(inv, $"algorithm.group_size={p.RolloutsPerPrompt}"),
            string.Create(inv, $"algorithm.ppo_epochs={p.PpoEpochs}"),
            string.Create(inv, $"algorithm.mini_batches={Math.Max(1, (responses + p.MiniBatchSize - 1) / p.MiniBatchSize)}"),
            "algorithm.length_grouped=true",
            "kl.estimator=k1",
            "kl.placement=reward",
            string.Create(inv, $"kl.coef={p.KlCoef:R}"),
            string.Create(inv, $"optim.lr={p.PolicyLearningRate:R}"),
            string.Create(inv, $"optim.critic_lr={p.CriticLearningRate:R}"),
            string.Create(inv, $"optim.warmup_steps={p.WarmupSteps}"),
            // The hacking monitor's trend window, short enough to warn within a lab run.
            string.Create(inv, $"guard.hacking_window={Math.Max(3, Math.Min(10, p.PpoSteps / 2))}"),
        };
        if (LabDesigns.UsesPrm(design)) overrides.Add($"model.prm={ctx.Folder.PathOf(LabRewardModelStage.PrmPath)}");
        if (LabDesigns.UsesOrm(design)) overrides.Add($"model.orm={ctx.Folder.PathOf(LabRewardModelStage.OrmPath)}");
        return (LabDesigns.RewardYaml(design, p.Rewards), overrides);
    }

    /// <summary>Runs (resuming an interrupted run, or reading back a complete one) design <paramref name="design"/>
    /// with <paramref name="seed"/>. <paramref name="progress"/> receives each finished step (1-based) and a short status.</summary>
    public static LabRunResult Run(LabContext ctx, LabDesign design, int seed, Action<int, string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        string dir = ctx.Folder.RunDirectory(design, seed);
        string resultPath = Path.Combine(dir, ResultFile);
        if (File.Exists(resultPath)) return RunFiles.ReadJson(resultPath, LabJsonContext.Default.LabRunResult);

        var clock = Stopwatch.StartNew();
        var (yaml, overrides) = Config(ctx, design, seed);
        string name = string.Create(CultureInfo.InvariantCulture, $"(lab ppo {LabDesigns.NameOf(design)} seed {seed})");
        var resolved = TrainConfigLoader.Parse(yaml, name, overrides);
        var report = TrainRun.Run(resolved, name, GemmFactory.Create(GemmKind.Managed), resume: true, ct: ctx.Cancellation,
            progress: p => progress?.Invoke((int)p.Metrics.Step, string.Create(CultureInfo.InvariantCulture,
                $"success {p.Metrics.SuccessMean:F2} · learned {p.Metrics.LearnedReturnMean:F2} · steps {p.Metrics.StepsPerResponse:F1} · KL {p.Metrics.Kl:F3}")),
            rolloutMetrics: rollouts => RolloutMetrics(ctx, rollouts));
        if (report.StopReason is { } reason) throw new InvalidOperationException($"lab PPO {LabDesigns.NameOf(design)} seed {seed}: {reason}");

        var eval = LabEvaluation.Evaluate(report.PolicyDirectory, ctx);
        RunFiles.WriteJson(Path.Combine(dir, EvalFile), eval, LabJsonContext.Default.LabEvalResult);
        var history = LabCurves.Read(Path.Combine(dir, "metrics.jsonl")).Values.ToList();
        double Mean(IEnumerable<Dictionary<string, double>> rows, string key) => rows.Average(r => r.TryGetValue(key, out double v) ? v : double.NaN);
        int w = WindowOf(history.Count);
        var outcome = new LabRunResult(LabDesigns.NameOf(design), seed, history.Count, eval.Summary,
            LearnedReturn: Mean(history.TakeLast(w), LearnedReturnMetric),
            Kl: Mean(history.TakeLast(w), MetricNames.Kl),
            Success: Mean(history.TakeLast(w), MetricNames.SuccessReward),
            FirstLearnedReturn: Mean(history.Take(w), LearnedReturnMetric),
            WallSeconds: clock.Elapsed.TotalSeconds,
            HackingWarnings: (int)history.Sum(r => r.TryGetValue(MetricNames.HackingWarning, out double v) ? v : 0));
        RunFiles.WriteJson(resultPath, outcome, LabJsonContext.Default.LabRunResult);
        return outcome;
    }

    /// <summary>The lab's own metrics of one step, from its rollout records: the labeller's accuracy and
    /// unnecessary / incorrect step rates, and the mean raw PRM score sum of the scored responses.</summary>
    public static IEnumerable<KeyValuePair<string, double>> RolloutMetrics(LabContext ctx, IReadOnlyList<RolloutRecord> rollouts)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentNullException.ThrowIfNull(rollouts);
        var labels = LabelSummary.Of(rollouts.Select(r => StepLabeller.Label(ctx.Problem(r.PromptId, "ppo rollouts"), r.Response)));
        var raw = rollouts.Where(r => r.Reward?.Diagnostics.RawStepScores is not null).Select(r => r.Reward!.Diagnostics.RawStepScores!.Sum()).ToList();
        return
        [
            new(RawPrmSumMetric, raw.Count == 0 ? double.NaN : raw.Average()),
            new("lab/accuracy", labels.Accuracy),
            new("lab/unnecessary_step_rate", labels.UnnecessaryStepRate),
            new("lab/incorrect_step_rate", labels.IncorrectStepRate),
            new(NecessaryLinesMetric, labels.MeanSteps * labels.CorrectStepRate),
            new(UnnecessaryLinesMetric, labels.MeanSteps * labels.UnnecessaryStepRate),
            new(RepeatedLinesMetric, labels.MeanSteps * labels.RepeatedStepRate),
            new(IncorrectLinesMetric, labels.MeanSteps * labels.IncorrectStepRate),
        ];
    }
}
