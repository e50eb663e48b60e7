// TrainConfig: the immutable training configuration, grouped by concern. Every default is stated
// (and commented) here once; TrainConfigLoader reads YAML + `key=value` overrides into these records
// and renders the resolved YAML. Keys are snake_case under the section name (e.g. algorithm.gamma).
// What it is not: the parser (TrainConfigLoader.cs) or the reward design (reward.yaml, ReasonRL.Rewards).
// Defaults: ReaLHF PPOHyperparameters where the paper is silent (docs/reward-methods.md §2.6), verl for GRPO/KL-in-loss.
using ReasonRL.Training;
using Ppo = ReasonRL.Training.Ppo;

namespace ReasonRL.Runs;

/// <summary>Run folder, length and checkpoints.</summary>
/// <param name="OutputDir">run.output_dir — run folder (metrics, checkpoints, resolved config). Default "runs/default".</param>
/// <param name="Seed">run.seed — RNG seed. Default 1.</param>
/// <param name="TotalSteps">run.total_steps — optimisation steps. Default 1000.</param>
/// <param name="CheckpointEvery">run.checkpoint_every — save every N steps. Default 50.</param>
/// <param name="KeepCheckpoints">run.keep_checkpoints — keep the newest N. Default 3.</param>
/// <param name="TensorBoard">run.tensorboard — also write tfevents. Default true.</param>
public sealed record RunConfig(string OutputDir = "runs/default", ulong Seed = 1, int TotalSteps = 1000,
    int CheckpointEvery = 50, int KeepCheckpoints = 3, bool TensorBoard = true);

/// <summary>Advantage estimator and PPO losses.</summary>
/// <param name="Advantage">algorithm.advantage — estimator name (AdvantageEstimators.All). Default gae.</param>
/// <param name="Gamma">algorithm.gamma — discount in [0, 1]. Default 1 (ReaLHF).</param>
/// <param name="Lambda">algorithm.lambda — GAE λ in [0, 1]. Default 1 (ReaLHF).</param>
/// <param name="WhitenAdvantages">algorithm.whiten_advantages — GAE whitening. Default true.</param>
/// <param name="GroupSize">algorithm.group_size — responses per prompt (≥ 2 for group estimators). Default 4.</param>
/// <param name="ClipLow">algorithm.clip_low — PPO ε_low in [0, 1). Default 0.2.</param>
/// <param name="ClipHigh">algorithm.clip_high — PPO ε_high ≥ 0, or null = clip_low. Default null.</param>
/// <param name="DualClip">algorithm.dual_clip — dual-clip c &gt; 1, or null = off. Default null.</param>
/// <param name="ValueClip">algorithm.value_clip — value clip ε_v ≥ 0, or null = off. Default 0.2 (ReaLHF).</param>
/// <param name="EntropyCoef">algorithm.entropy_coef — entropy bonus c ≥ 0. Default 0.</param>
/// <param name="Aggregation">algorithm.loss_aggregation — LossAggregations.All. Default token-mean.</param>
/// <param name="PpoEpochs">algorithm.ppo_epochs — passes over each batch. Default 1.</param>
/// <param name="MiniBatches">algorithm.mini_batches — mini-batches per pass. Default 4 (ReaLHF).</param>
/// <param name="LengthGrouped">algorithm.length_grouped — build each pass's mini-batches (and the experience forwards' batches)
/// from responses of similar length, so less of each padded batch is padding. Default false.</param>
public sealed record AlgorithmConfig(AdvantageEstimator Advantage = AdvantageEstimator.Gae, double Gamma = 1.0, double Lambda = 1.0,
    bool WhitenAdvantages = true, int GroupSize = 4, double ClipLow = 0.2, double? ClipHigh = null, double? DualClip = null,
    double? ValueClip = 0.2, double EntropyCoef = 0.0, LossAggregation Aggregation = LossAggregation.TokenMean,
    int PpoEpochs = 1, int MiniBatches = 4, bool LengthGrouped = false);

/// <summary>KL penalty to the reference policy.</summary>
/// <param name="Estimator">kl.estimator — k1/k2/k3/abs. Default k1 (in-reward PPO).</param>
/// <param name="Placement">kl.placement — none/reward/loss. Default reward.</param>
/// <param name="Coefficient">kl.coef — β (initial β when adaptive) ≥ 0. Default 0.1 (ReaLHF kl_ctl).</param>
/// <param name="Adaptive">kl.adaptive — Ziegler adaptive controller. Default false.</param>
/// <param name="Target">kl.target — adaptive target KL &gt; 0. Default 6.</param>
/// <param name="Horizon">kl.horizon — adaptive horizon &gt; 0. Default 10000.</param>
public sealed record KlConfig(KlEstimator Estimator = KlEstimator.K1, KlPlacement Placement = KlPlacement.InReward,
    double Coefficient = 0.1, bool Adaptive = false, double Target = 6.0, double Horizon = 10000);

/// <summary>Optimiser.</summary>
/// <param name="LearningRate">optim.lr — AdamW learning rate &gt; 0. Default 1e-6.</param>
/// <param name="Beta1">optim.beta1 in [0, 1). Default 0.9.</param>
/// <param name="Beta2">optim.beta2 in [0, 1). Default 0.999 (AdamWOptions).</param>
/// <param name="WeightDecay">optim.weight_decay ≥ 0. Default 0.</param>
/// <param name="GradClip">optim.grad_clip — global norm clip &gt; 0, or null = off. Default 1.</param>
/// <param name="CriticLearningRate">optim.critic_lr &gt; 0. Default 5e-6.</param>
/// <param name="Schedule">optim.schedule — constant or cosine (to run.total_steps). Default constant.</param>
/// <param name="WarmupSteps">optim.warmup_steps ≥ 0 — linear warmup lr·(s+1)/(W+1). Default 0.</param>
/// <param name="MinLearningRateRatio">optim.min_lr_ratio in [0, 1] — cosine floor. Default 0.1.</param>
public sealed record OptimConfig(double LearningRate = 1e-6, double Beta1 = 0.9, double Beta2 = 0.999,
    double WeightDecay = 0.0, double? GradClip = 1.0, double CriticLearningRate = 5e-6,
    Ppo.LearningRateScheduleKind Schedule = Ppo.LearningRateScheduleKind.Constant, int WarmupSteps = 0, double MinLearningRateRatio = 0.1);

/// <summary>Safety and diagnostics.</summary>
/// <param name="MaxConsecutiveNonFinite">guard.max_consecutive_nonfinite — stop after K bad steps in a row (≥ 1). Default 3.</param>
/// <param name="HackingWindow">guard.hacking_window — HackingMonitor window (≥ 3). Default 20.</param>
/// <param name="HackingSlopeThreshold">guard.hacking_slope — slope threshold ≥ 0. Default 0.</param>
public sealed record GuardConfig(int MaxConsecutiveNonFinite = 3, int HackingWindow = 20, double HackingSlopeThreshold = 0.0);

/// <summary>Policy and tokenizer.</summary>
/// <param name="Policy">model.policy — Hugging Face directory of the policy (the reference is a frozen copy, the critic starts from it). Required by `reasonrl train`.</param>
/// <param name="Tokenizer">model.tokenizer — "char:lab" (CharTokenizer over LabTask.Alphabet), a tokenizer.json path, or null = the policy directory's tokenizer. Default null.</param>
/// <param name="CriticHeadSeed">model.critic_head_seed — seed of the critic's fresh value head. Default 1.</param>
/// <param name="Prm">model.prm — PRM directory (reasonrl train-rm --kind prm), required when the reward section has shaping. Default null.</param>
/// <param name="PrmConvention">model.prm_convention — step_end, separator or math_shepherd. Default step_end (the lab's).</param>
/// <param name="Orm">model.orm — ORM directory, required when reward.orm.alpha ≠ 0. Default null.</param>
public sealed record ModelSection(string? Policy = null, string? Tokenizer = null, int CriticHeadSeed = 1,
    string? Prm = null, string PrmConvention = "step_end", string? Orm = null);

/// <summary>Prompt data.</summary>
/// <param name="Prompts">data.prompts — training prompts JSONL. Required by `reasonrl train`.</param>
/// <param name="QuestionField">data.question_field — JSON field of the question. Default "question".</param>
/// <param name="AnswerField">data.answer_field — JSON field of the gold answer (string or number; null/absent = unverifiable). Default "answer".</param>
/// <param name="Template">data.template — prompt text with {question} replaced; "lab" = LabTask.Prompt ("{question}\n"). Default "lab".</param>
/// <param name="PromptsPerStep">data.prompts_per_step — prompts per PPO step (each sampled algorithm.group_size times). Default 8.</param>
public sealed record DataSection(string? Prompts = null, string QuestionField = "question", string AnswerField = "answer",
    string Template = "lab", int PromptsPerStep = 8);

/// <summary>Sampling of rollouts.</summary>
/// <param name="Temperature">rollout.temperature &gt; 0. Default 1.</param>
/// <param name="MaxNewTokens">rollout.max_new_tokens ≥ 1. Default 128.</param>
/// <param name="GradientAccumulation">rollout.gradient_accumulation — micro-batches per mini-batch ≥ 1. Default 1.</param>
/// <param name="ReuseLogProbs">rollout.reuse_logprobs — take log π_old from the sampler instead of a second policy forward
/// (needs temperature 1; the KV-cache decode and the training forward agree to float round-off). Default false.</param>
public sealed record RolloutSection(double Temperature = 1.0, int MaxNewTokens = 128, int GradientAccumulation = 1, bool ReuseLogProbs = false);

/// <summary>Held-out evaluation.</summary>
/// <param name="Every">eval.every — greedy accuracy every N steps (and at the end); 0 = off. Default 0.</param>
/// <param name="Data">eval.data — held-out JSONL (same fields as data.*), or null = off. Default null.</param>
/// <param name="Limit">eval.limit — first N rows; 0 = all. Default 0.</param>
/// <param name="MaxNewTokens">eval.max_new_tokens ≥ 1. Default 128.</param>
/// <param name="BatchSize">eval.batch_size ≥ 1. Default 64.</param>
public sealed record EvalSection(int Every = 0, string? Data = null, int Limit = 0, int MaxNewTokens = 128, int BatchSize = 64);

/// <summary>The whole training configuration.</summary>
/// <param name="RewardYaml">The `reward:` section as raw reward.yaml text (RewardConfigLoader's grammar, line numbers kept), or null = success reward only.</param>
public sealed record TrainConfig(RunConfig Run, AlgorithmConfig Algorithm, KlConfig Kl, OptimConfig Optim, GuardConfig Guard,
    ModelSection? Model = null, DataSection? Data = null, RolloutSection? Rollout = null, EvalSection? Eval = null, string? RewardYaml = null)
{
    /// <summary>All defaults.</summary>
    public static TrainConfig Default { get; } = new(new RunConfig(), new AlgorithmConfig(), new KlConfig(), new OptimConfig(), new GuardConfig(),
        new ModelSection(), new DataSection(), new RolloutSection(), new EvalSection());
}
