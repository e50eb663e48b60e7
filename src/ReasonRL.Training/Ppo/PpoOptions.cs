// PpoOptions: every knob of one PPO / GRPO-style run (immutable, commented defaults) and its
// validation with messages naming the field and the accepted range.
// What it is not: the YAML config (TrainConfig maps onto this) or the trainer.
// Reference: docs/reward-methods.md §7; OpenRLHF / verl option names where they exist.
namespace ReasonRL.Training.Ppo;

/// <summary>How the learning rate moves over trainer steps.</summary>
public enum LearningRateScheduleKind
{
    /// <summary>lr(s) = lr₀ after the linear warm-up.</summary>
    Constant,
    /// <summary>Linear warm-up, then cosine from lr₀ down to MinLearningRateRatio·lr₀ at TotalSteps.</summary>
    Cosine,
}

/// <summary>Options of <see cref="PpoTrainer"/>.</summary>
public sealed record PpoOptions
{
    // ---- sampling ----
    /// <summary>n responses per prompt (the group of the group estimators), e.g. 4.</summary>
    public int RolloutsPerPrompt { get; init; } = 4;
    /// <summary>Sampling temperature (&gt; 0). The PPO ratio uses the untempered policy.</summary>
    public float Temperature { get; init; } = 1f;
    /// <summary>Most response tokens; a response that reaches it is truncated (GAE bootstraps its value).</summary>
    public int MaxNewTokens { get; init; } = 128;
    /// <summary>Sequences decoded together per GenerateBatch call.</summary>
    public int GenerationBatchSize { get; init; } = 64;
    /// <summary>Sequences per batched forward when computing old / reference log-probs and values. Memory:
    /// the logits alone are B·L·V floats (L = prompt + response tokens), so lower it for large vocabularies.</summary>
    public int ForwardBatchSize { get; init; } = 32;
    /// <summary>Use the sampler's log-probs as log π_old instead of a separate policy forward (one forward
    /// fewer per step, ≈ 10% of the training time). Needs Temperature = 1; the KV-cache decode and the
    /// training forward agree to float round-off (~1e-6), so the first update's ratio is 1 up to that.</summary>
    public bool ReuseSamplingLogProbs { get; init; }

    // ---- update ----
    /// <summary>Passes over the rollouts per step.</summary>
    public int PpoEpochs { get; init; } = 1;
    /// <summary>Responses per optimizer update (memory: MiniBatchSize/GradientAccumulation sequences' activations and logits).</summary>
    public int MiniBatchSize { get; init; } = 32;
    /// <summary>Length-grouped batches: each pass's shuffled responses are stably sorted by prompt + response length,
    /// cut into minibatches, and the minibatches' order shuffled (from the trainer's RNG); the experience forwards take
    /// batches of at most min(ForwardBatchSize, MiniBatchSize) responses in length order too. Every response is still
    /// used once per pass; only which responses share a padded batch changes, so each holds less padding (cf.
    /// OpenRLHF's packing and verl's dynamic batch size). Default false (uniformly random minibatches).</summary>
    public bool LengthGroupedBatches { get; init; }
    /// <summary>Micro-batches per minibatch (gradients summed, each micro-batch's loss weighted 1/GradientAccumulation).</summary>
    public int GradientAccumulation { get; init; } = 1;
    /// <summary>Policy AdamW learning rate lr₀.</summary>
    public double PolicyLearningRate { get; init; } = 1e-5;
    /// <summary>Critic AdamW learning rate.</summary>
    public double CriticLearningRate { get; init; } = 1e-5;
    /// <summary>AdamW β1 (both models; torch default 0.9).</summary>
    public double Beta1 { get; init; } = 0.9;
    /// <summary>AdamW β2 (both models; torch default 0.999).</summary>
    public double Beta2 { get; init; } = 0.999;
    /// <summary>AdamW decoupled weight decay (both models).</summary>
    public double WeightDecay { get; init; }
    /// <summary>Global gradient-norm clip per model (≤ 0 or ∞ = off).</summary>
    public double MaxGradNorm { get; init; } = 1.0;
    /// <summary>Learning-rate schedule.</summary>
    public LearningRateScheduleKind Schedule { get; init; } = LearningRateScheduleKind.Constant;
    /// <summary>Linear warm-up steps (lr = lr₀·(s+1)/(W+1) for s &lt; W).</summary>
    public int WarmupSteps { get; init; }
    /// <summary>Planned trainer steps (the cosine's end); required &gt; 0 for the cosine schedule.</summary>
    public int TotalSteps { get; init; }
    /// <summary>Cosine floor as a fraction of lr₀.</summary>
    public double MinLearningRateRatio { get; init; } = 0.1;

    // ---- losses ----
    /// <summary>Ratio clip (ε_low, ε_high, dual clip). Its Aggregation is replaced by <see cref="Aggregation"/>.</summary>
    public PolicyLossOptions PolicyLoss { get; init; } = new();
    /// <summary>Value clip ε_v around the old values (≤ 0 = unclipped ½·MSE).</summary>
    public double ValueClip { get; init; } = 0.2;
    /// <summary>Weight of the value loss (the critic has its own optimizer; this scales its gradient).</summary>
    public double ValueLossCoef { get; init; } = 0.5;
    /// <summary>Entropy bonus c (loss −c·H).</summary>
    public double EntropyCoef { get; init; }
    /// <summary>How token losses become one scalar (policy, value, entropy and KL-in-loss alike).</summary>
    public LossAggregation Aggregation { get; init; } = LossAggregation.TokenMean;

    // ---- advantages ----
    /// <summary>Advantage estimator; GAE needs a critic.</summary>
    public AdvantageEstimator Estimator { get; init; } = AdvantageEstimator.Gae;
    /// <summary>Discount γ.</summary>
    public double Gamma { get; init; } = 1.0;
    /// <summary>GAE λ.</summary>
    public double Lambda { get; init; } = 0.95;
    /// <summary>Whiten GAE advantages over the batch's tokens.</summary>
    public bool WhitenAdvantages { get; init; } = true;

    // ---- KL to the reference ----
    /// <summary>Per-token KL estimator.</summary>
    public KlEstimator KlEstimator { get; init; } = KlEstimator.K1;
    /// <summary>Where the KL enters (reward: PPO / REINFORCE++; loss: GRPO; none).</summary>
    public KlPlacement KlPlacement { get; init; } = KlPlacement.InReward;
    /// <summary>β (initial β when adaptive).</summary>
    public double KlCoef { get; init; } = 0.01;
    /// <summary>Adapt β towards <see cref="KlTarget"/> (Ziegler et al. 2019).</summary>
    public bool AdaptiveKl { get; init; }
    /// <summary>Target per-response KL (Σ_t of the estimator) for the adaptive controller.</summary>
    public double KlTarget { get; init; } = 6.0;
    /// <summary>Adaptive controller horizon (responses).</summary>
    public double KlHorizon { get; init; } = 10000;

    // ---- robustness / reproducibility ----
    /// <summary>Stop (throw) after this many non-finite updates in a row; earlier ones are skipped.</summary>
    public int MaxConsecutiveNonFinite { get; init; } = 3;
    /// <summary>Seed of the trainer's RNG stream (sampling coins, minibatch shuffles).</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid field and the accepted range.</summary>
    public PpoOptions Validate()
    {
        static void Require(bool ok, string field, string expected, object actual)
        {
            if (!ok) throw new ArgumentException($"ppo options: {field} must be {expected}, got {actual}");
        }
        Require(RolloutsPerPrompt >= 1, nameof(RolloutsPerPrompt), ">= 1", RolloutsPerPrompt);
        Require(Temperature > 0 && float.IsFinite(Temperature), nameof(Temperature), "> 0 and finite", Temperature);
        Require(MaxNewTokens >= 1, nameof(MaxNewTokens), ">= 1", MaxNewTokens);
        Require(!ReuseSamplingLogProbs || Temperature == 1f, nameof(ReuseSamplingLogProbs), "false unless Temperature = 1 (tempered sampling log-probs are not log π)", ReuseSamplingLogProbs);
        Require(GenerationBatchSize >= 1, nameof(GenerationBatchSize), ">= 1", GenerationBatchSize);
        Require(ForwardBatchSize >= 1, nameof(ForwardBatchSize), ">= 1", ForwardBatchSize);
        Require(PpoEpochs >= 1, nameof(PpoEpochs), ">= 1", PpoEpochs);
        Require(MiniBatchSize >= 1, nameof(MiniBatchSize), ">= 1", MiniBatchSize);
        Require(GradientAccumulation >= 1 && GradientAccumulation <= MiniBatchSize, nameof(GradientAccumulation), $"in [1, MiniBatchSize = {MiniBatchSize}]", GradientAccumulation);
        Require(PolicyLearningRate > 0 && double.IsFinite(PolicyLearningRate), nameof(PolicyLearningRate), "> 0", PolicyLearningRate);
        Require(CriticLearningRate > 0 && double.IsFinite(CriticLearningRate), nameof(CriticLearningRate), "> 0", CriticLearningRate);
        Require(WeightDecay >= 0, nameof(WeightDecay), ">= 0", WeightDecay);
        Require(Beta1 is >= 0 and < 1, nameof(Beta1), "in [0, 1)", Beta1);
        Require(Beta2 is >= 0 and < 1, nameof(Beta2), "in [0, 1)", Beta2);
        Require(!double.IsNaN(MaxGradNorm), nameof(MaxGradNorm), "a number (<= 0 or infinity = off)", MaxGradNorm);
        Require(WarmupSteps >= 0, nameof(WarmupSteps), ">= 0", WarmupSteps);
        Require(Schedule != LearningRateScheduleKind.Cosine || TotalSteps > WarmupSteps, nameof(TotalSteps), $"> WarmupSteps ({WarmupSteps}) for the cosine schedule", TotalSteps);
        Require(MinLearningRateRatio is >= 0 and <= 1, nameof(MinLearningRateRatio), "in [0, 1]", MinLearningRateRatio);
        Require(PolicyLoss.ClipLow is >= 0 and < 1, "PolicyLoss.ClipLow", "in [0, 1)", PolicyLoss.ClipLow);
        Require(ValueLossCoef >= 0, nameof(ValueLossCoef), ">= 0", ValueLossCoef);
        Require(EntropyCoef >= 0, nameof(EntropyCoef), ">= 0", EntropyCoef);
        Require(Gamma is >= 0 and <= 1, nameof(Gamma), "in [0, 1]", Gamma);
        Require(Lambda is >= 0 and <= 1, nameof(Lambda), "in [0, 1]", Lambda);
        Require(KlCoef >= 0, nameof(KlCoef), ">= 0", KlCoef);
        Require(!AdaptiveKl || KlTarget > 0, nameof(KlTarget), "> 0 with AdaptiveKl", KlTarget);
        Require(!AdaptiveKl || KlHorizon > 0, nameof(KlHorizon), "> 0 with AdaptiveKl", KlHorizon);
        Require(MaxConsecutiveNonFinite >= 1, nameof(MaxConsecutiveNonFinite), ">= 1", MaxConsecutiveNonFinite);
        return this;
    }
}
