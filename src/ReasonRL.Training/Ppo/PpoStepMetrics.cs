// PpoStepMetrics / PpoStepResult: the numbers of one PPO step (the issue-6 metrics list) and the
// rollouts behind them. Reward means are over the responses that were scored (failed ones excluded
// and counted in FailedSamples); loss terms are means over the step's optimizer updates.
// What it is not: a writer (MetricsWriter logs them; ToMetrics maps them onto MetricNames keys).
namespace ReasonRL.Training.Ppo;

/// <summary>Metrics of one PPO step.</summary>
public sealed record PpoStepMetrics
{
    /// <summary>Trainer step after this call (1-based).</summary>
    public long Step { get; init; }
    /// <summary>Mean success reward r_succ.</summary>
    public double SuccessMean { get; init; }
    /// <summary>Mean learned return: every learned term, Σ_k shaped PRM step rewards + the ORM term.</summary>
    public double LearnedReturnMean { get; init; }
    /// <summary>Mean total return G_1 of the reward design (success + learned + ORM + extra terms; the KL penalty not included).</summary>
    public double TotalRewardMean { get; init; }
    /// <summary>Mean per-token KL(π_old ‖ π_ref) with the configured estimator (0 when KL is off).</summary>
    public double Kl { get; init; }
    /// <summary>β used this step.</summary>
    public double KlCoefficient { get; init; }
    /// <summary>Mean per-token policy entropy (nats) during the update.</summary>
    public double Entropy { get; init; }
    /// <summary>Fraction of tokens where the PPO ratio clip was active.</summary>
    public double ClipFraction { get; init; }
    /// <summary>Mean ½·(logπ − logπ_old)² over tokens during the update.</summary>
    public double ApproxKl { get; init; }
    /// <summary>Mean policy loss (clipped surrogate + entropy term + KL-in-loss term).</summary>
    public double PolicyLoss { get; init; }
    /// <summary>Mean clipped value loss (0 without a critic).</summary>
    public double ValueLoss { get; init; }
    /// <summary>Mean response tokens (EOS included).</summary>
    public double ResponseLengthMean { get; init; }
    /// <summary>Mean reasoning steps per response.</summary>
    public double StepsPerResponse { get; init; }
    /// <summary>Repeated steps / all steps.</summary>
    public double RepeatedStepRate { get; init; }
    /// <summary>Responses that hit MaxNewTokens / all.</summary>
    public double TruncationRate { get; init; }
    /// <summary>Pearson correlation of learned return with success over responses (NaN when either is constant).</summary>
    public double LearnedSuccessCorrelation { get; init; }
    /// <summary>Mean policy gradient norm before clipping.</summary>
    public double PolicyGradNorm { get; init; }
    /// <summary>Mean critic gradient norm before clipping (0 without a critic).</summary>
    public double CriticGradNorm { get; init; }
    /// <summary>Policy learning rate of this step.</summary>
    public double LearningRate { get; init; }
    /// <summary>True when at least one update of this step was skipped (NaN/Inf) or nothing could be trained.</summary>
    public bool Skipped { get; init; }
    /// <summary>Optimizer updates skipped this step by the NaN/Inf guard.</summary>
    public int SkippedUpdates { get; init; }
    /// <summary>Responses whose reward failed (excluded from the update).</summary>
    public int FailedSamples { get; init; }
    /// <summary>Responses sampled.</summary>
    public int Responses { get; init; }
    /// <summary>Sampling time.</summary>
    public TimeSpan GenerationTime { get; init; }
    /// <summary>Reward pipeline time.</summary>
    public TimeSpan ScoringTime { get; init; }
    /// <summary>Reference / old-policy / critic forwards, advantages and all updates (= ExperienceTime + UpdateTime).</summary>
    public TimeSpan TrainingTime { get; init; }
    /// <summary>Old-policy / reference / critic forwards, KL and advantages.</summary>
    public TimeSpan ExperienceTime { get; init; }
    /// <summary>The PpoEpochs × minibatch optimizer updates (policy and critic forward + backward + AdamW).</summary>
    public TimeSpan UpdateTime { get; init; }
    /// <summary>Prompt + response tokens that went through the updates (each sequence once per epoch, unpadded).</summary>
    public long UpdateTokens { get; init; }

    /// <summary>The metrics as (MetricNames key or ppo/… key, value) pairs for MetricsWriter.</summary>
    public IReadOnlyList<KeyValuePair<string, double>> ToMetrics() =>
    [
        new(MetricNames.SuccessReward, SuccessMean),
        new(MetricNames.LearnedReward, LearnedReturnMean),
        new(MetricNames.TotalReward, TotalRewardMean),
        new(MetricNames.Kl, Kl),
        new(MetricNames.KlCoefficient, KlCoefficient),
        new(MetricNames.Entropy, Entropy),
        new(MetricNames.ClipFraction, ClipFraction),
        new(MetricNames.ApproxKl, ApproxKl),
        new(MetricNames.PolicyLoss, PolicyLoss),
        new(MetricNames.ValueLoss, ValueLoss),
        new(MetricNames.ResponseLength, ResponseLengthMean),
        new(MetricNames.StepsPerResponse, StepsPerResponse),
        new(MetricNames.RepeatedStepRate, RepeatedStepRate),
        new(MetricNames.TruncationRate, TruncationRate),
        new(MetricNames.LearnedSuccessCorrelation, LearnedSuccessCorrelation),
        new(MetricNames.SkippedUpdates, SkippedUpdates),
        new("policy/grad_norm", PolicyGradNorm),
        new("critic/grad_norm", CriticGradNorm),
        new("policy/lr", LearningRate),
        new("reward/failed_samples", FailedSamples),
        new("time/generation_s", GenerationTime.TotalSeconds),
        new("time/scoring_s", ScoringTime.TotalSeconds),
        new("time/training_s", TrainingTime.TotalSeconds),
        new("time/experience_s", ExperienceTime.TotalSeconds),
        new("time/update_s", UpdateTime.TotalSeconds),
    ];
}

/// <summary>A step's metrics and its rollouts (in sampling order: prompt-major, RolloutsPerPrompt each).</summary>
public sealed record PpoStepResult(PpoStepMetrics Metrics, IReadOnlyList<RolloutRecord> Rollouts);
