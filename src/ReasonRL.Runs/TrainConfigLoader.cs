// TrainConfigLoader: YAML file + `dotted.key=value` command-line overrides, bound by Core's
// ConfigBinder (no reflection) → TrainConfig, with every value validated: errors name the source
// (file:line, or "command line override #n"), the dotted key and the expected value; unknown keys
// are rejected with the list of known keys of that section. The resolved config is rendered back
// as YAML (every key, defaults included) and hashed (SHA-256) for the checkpoint state.
// What it is not: the records (TrainConfig.cs). Grammar: two-level mapping `section: { key: scalar }`;
// `null` disables optional numbers (clip_high, dual_clip, value_clip, grad_clip).
using ReasonRL.Core;
using ReasonRL.Training;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Ppo = ReasonRL.Training.Ppo;

namespace ReasonRL.Runs;

/// <summary>A resolved config, its YAML rendering and hash.</summary>
public sealed record ResolvedTrainConfig(TrainConfig Config, string Yaml, string Hash);

/// <summary>Loads and validates training configs.</summary>
public static class TrainConfigLoader
{
    /// <summary>Names + one-line descriptions of every enumerated option, for `reasonrl train --help`.</summary>
    public static IReadOnlyList<(string Key, string Name, string Description)> Choices() =>
    [
        .. AdvantageEstimators.All.Select(a => ("algorithm.advantage", a.Name, a.Description)),
        .. LossAggregations.All.Select(a => ("algorithm.loss_aggregation", a.Name, a.Description)),
        .. KlPenalty.Estimators.Select(e => ("kl.estimator", e.Name, e.Description)),
        .. KlPenalty.Placements.Select(p => ("kl.placement", p.Name, p.Description)),
    ];

    /// <summary>Loads <paramref name="path"/> (null: defaults only) and applies <paramref name="overrides"/>.</summary>
    public static ResolvedTrainConfig Load(string? path, IReadOnlyList<string>? overrides = null)
        => Parse(path is null ? "" : File.ReadAllText(path), path ?? "(defaults)", overrides);

    /// <summary>Parses YAML text; <paramref name="file"/> names it in errors.</summary>
    public static ResolvedTrainConfig Parse(string yaml, string file, IReadOnlyList<string>? overrides = null)
    {
        var b = ConfigBinder.Parse(yaml, file, overrides, ["reward"], TrainConfigException.Create);
        var d = TrainConfig.Default;
        var run = new RunConfig(
            b.String("run.output_dir", d.Run.OutputDir),
            (ulong)b.Long("run.seed", (long)d.Run.Seed, 0, long.MaxValue),
            (int)b.Long("run.total_steps", d.Run.TotalSteps, 1, int.MaxValue),
            (int)b.Long("run.checkpoint_every", d.Run.CheckpointEvery, 1, int.MaxValue),
            (int)b.Long("run.keep_checkpoints", d.Run.KeepCheckpoints, 1, 1000),
            b.Bool("run.tensorboard", d.Run.TensorBoard));
        var alg = new AlgorithmConfig(
            b.Choice("algorithm.advantage", d.Algorithm.Advantage, AdvantageEstimators.All.Select(a => (a.Name, a.Value)).ToList()),
            b.Double("algorithm.gamma", d.Algorithm.Gamma, 0, 1, "a number in [0, 1]"),
            b.Double("algorithm.lambda", d.Algorithm.Lambda, 0, 1, "a number in [0, 1]"),
            b.Bool("algorithm.whiten_advantages", d.Algorithm.WhitenAdvantages),
            (int)b.Long("algorithm.group_size", d.Algorithm.GroupSize, 1, 65536),
            b.Double("algorithm.clip_low", d.Algorithm.ClipLow, 0, 0.999999, "a number in [0, 1)"),
            b.OptionalDouble("algorithm.clip_high", d.Algorithm.ClipHigh, 0, 10, "null or a number in [0, 10]"),
            b.OptionalDouble("algorithm.dual_clip", d.Algorithm.DualClip, 1.000001, 1e6, "null or a number > 1"),
            b.OptionalDouble("algorithm.value_clip", d.Algorithm.ValueClip, 0, 1e6, "null or a number ≥ 0"),
            b.Double("algorithm.entropy_coef", d.Algorithm.EntropyCoef, 0, 1e6, "a number ≥ 0"),
            b.Choice("algorithm.loss_aggregation", d.Algorithm.Aggregation, LossAggregations.All.Select(a => (a.Name, a.Value)).ToList()),
            (int)b.Long("algorithm.ppo_epochs", d.Algorithm.PpoEpochs, 1, 1000),
            (int)b.Long("algorithm.mini_batches", d.Algorithm.MiniBatches, 1, 65536),
            b.Bool("algorithm.length_grouped", d.Algorithm.LengthGrouped));
        var kl = new KlConfig(
            b.Choice("kl.estimator", d.Kl.Estimator, KlPenalty.Estimators.Select(e => (e.Name, e.Value)).ToList()),
            b.Choice("kl.placement", d.Kl.Placement, KlPenalty.Placements.Select(e => (e.Name, e.Value)).ToList()),
            b.Double("kl.coef", d.Kl.Coefficient, 0, 1e6, "a number ≥ 0"),
            b.Bool("kl.adaptive", d.Kl.Adaptive),
            b.Double("kl.target", d.Kl.Target, 1e-12, 1e12, "a number > 0"),
            b.Double("kl.horizon", d.Kl.Horizon, 1e-12, 1e12, "a number > 0"));
        var optim = new OptimConfig(
            b.Double("optim.lr", d.Optim.LearningRate, 1e-300, 1, "a number in (0, 1]"),
            b.Double("optim.beta1", d.Optim.Beta1, 0, 0.999999999, "a number in [0, 1)"),
            b.Double("optim.beta2", d.Optim.Beta2, 0, 0.999999999, "a number in [0, 1)"),
            b.Double("optim.weight_decay", d.Optim.WeightDecay, 0, 1e6, "a number ≥ 0"),
            b.OptionalDouble("optim.grad_clip", d.Optim.GradClip, 1e-300, 1e12, "null or a number > 0"),
            b.Double("optim.critic_lr", d.Optim.CriticLearningRate, 1e-300, 1, "a number in (0, 1]"),
            b.Choice("optim.schedule", d.Optim.Schedule, [("constant", Ppo.LearningRateScheduleKind.Constant), ("cosine", Ppo.LearningRateScheduleKind.Cosine)]),
            (int)b.Long("optim.warmup_steps", d.Optim.WarmupSteps, 0, int.MaxValue),
            b.Double("optim.min_lr_ratio", d.Optim.MinLearningRateRatio, 0, 1, "a number in [0, 1]"));
        var guard = new GuardConfig(
            (int)b.Long("guard.max_consecutive_nonfinite", d.Guard.MaxConsecutiveNonFinite, 1, 1_000_000),
            (int)b.Long("guard.hacking_window", d.Guard.HackingWindow, 3, 1_000_000),
            b.Double("guard.hacking_slope", d.Guard.HackingSlopeThreshold, 0, 1e12, "a number ≥ 0"));
        var model = new ModelSection(
            b.OptionalString("model.policy", d.Model!.Policy),
            b.OptionalString("model.tokenizer", d.Model.Tokenizer),
            (int)b.Long("model.critic_head_seed", d.Model.CriticHeadSeed, 0, int.MaxValue),
            b.OptionalString("model.prm", d.Model.Prm),
            b.String("model.prm_convention", d.Model.PrmConvention),
            b.OptionalString("model.orm", d.Model.Orm));
        if (model.PrmConvention is not ("step_end" or "separator" or "math_shepherd"))
            b.Fail("model.prm_convention", $"'{model.PrmConvention}' is not a known value; expected one of step_end, separator, math_shepherd");
        var data = new DataSection(
            b.OptionalString("data.prompts", d.Data!.Prompts),
            b.String("data.question_field", d.Data.QuestionField),
            b.String("data.answer_field", d.Data.AnswerField),
            b.String("data.template", d.Data.Template),
            (int)b.Long("data.prompts_per_step", d.Data.PromptsPerStep, 1, 1_000_000));
        if (data.Template != "lab" && !data.Template.Contains("{question}", StringComparison.Ordinal))
            b.Fail("data.template", $"'{data.Template}' has no {{question}} placeholder; expected \"lab\" or a text containing {{question}}");
        var rollout = new RolloutSection(
            b.Double("rollout.temperature", d.Rollout!.Temperature, 1e-6, 100, "a number in (0, 100]"),
            (int)b.Long("rollout.max_new_tokens", d.Rollout.MaxNewTokens, 1, 1_000_000),
            (int)b.Long("rollout.gradient_accumulation", d.Rollout.GradientAccumulation, 1, 65536),
            b.Bool("rollout.reuse_logprobs", d.Rollout.ReuseLogProbs));
        if (rollout.ReuseLogProbs && rollout.Temperature != 1)
            b.Fail("rollout.reuse_logprobs", $"is true with rollout.temperature = {rollout.Temperature}; expected temperature 1 (the sampler's log-probs are of the tempered policy)");
        var eval = new EvalSection(
            (int)b.Long("eval.every", d.Eval!.Every, 0, int.MaxValue),
            b.OptionalString("eval.data", d.Eval.Data),
            (int)b.Long("eval.limit", d.Eval.Limit, 0, int.MaxValue),
            (int)b.Long("eval.max_new_tokens", d.Eval.MaxNewTokens, 1, 1_000_000),
            (int)b.Long("eval.batch_size", d.Eval.BatchSize, 1, 65536));
        string? rewardYaml = b.Block("reward");
        b.RejectUnknown();

        // Cross-field rules.
        bool group = alg.Advantage is AdvantageEstimator.Grpo or AdvantageEstimator.DrGrpo or AdvantageEstimator.Rloo;
        if (group && alg.GroupSize < 2) b.Fail("algorithm.group_size", $"is {alg.GroupSize}; expected ≥ 2 with the group estimator '{AdvantageEstimators.NameOf(alg.Advantage)}'");
        if (kl.Placement == KlPlacement.InLoss && alg.Advantage == AdvantageEstimator.ReinforcePlusPlus)
            b.Fail("kl.placement", "is 'loss'; expected 'reward' or 'none' with reinforce_pp (its KL lives in the reward)");

        var config = new TrainConfig(run, alg, kl, optim, guard, model, data, rollout, eval, rewardYaml);
        string text = b.RenderYaml("Resolved ReasonRL training config (defaults + file + command-line overrides).");
        string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
        return new ResolvedTrainConfig(config, text, hash);
    }

    /// <summary>Writes the resolved YAML to &lt;run&gt;/config.resolved.yaml and returns its path.</summary>
    public static string SaveResolved(ResolvedTrainConfig resolved, string runDirectory)
    {
        string path = Path.Combine(runDirectory, "config.resolved.yaml");
        AtomicFile.WriteAllText(path, resolved.Yaml);
        return path;
    }
}
