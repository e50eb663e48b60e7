// PpoTrainer: one PPO step = sample RolloutsPerPrompt responses per prompt with the policy → score them
// with the RewardPipeline → old-policy / reference log-probs and critic values (batched forwards) →
// per-token KL (in the reward or in the loss) → advantages (Advantages.Compute; group estimators use
// the prompt index as group) → PpoEpochs × shuffled minibatches of clipped policy / value updates.
// The experience half is PpoTrainer.Experience.cs, the update half PpoTrainer.Update.cs.
// Owns: three AdamW states (policy, critic backbone, critic head), the RNG stream, the KL controller,
// the NaN guard. Does not own the models (the caller keeps, saves and disposes them).
// What it is not: a CLI loop (checkpoints, eval-every-N and metrics files are the caller's).
// Reference: docs/reward-methods.md §7; Ouyang et al. 2022 (PPO-ptx without ptx);
// OpenRLHF PPOTrainer / verl ray_trainer (structure only, no code copied).
using ReasonRL.Core;
using ReasonRL.Models;
using ReasonRL.Rewards.Composition;
using ReasonRL.Tensors;
using ReasonRL.Text;
using System.Diagnostics;

namespace ReasonRL.Training.Ppo;

/// <summary>PPO / GRPO-family trainer (see file header).</summary>
public sealed partial class PpoTrainer : IDisposable
{
    private readonly PpoOptions _options;
    private readonly Transformer _policy, _reference;
    private readonly Critic? _critic;
    private readonly ITokenizer _tokenizer;
    private readonly RewardPipeline _rewards;
    private readonly AdamWOptimizer _policyOptimizer;
    private readonly AdamWOptimizer? _criticOptimizer, _headOptimizer;
    private readonly IKlController _kl;
    private readonly NanGuard _guard;
    private readonly Rng _rng;
    private readonly int _padId;

    /// <summary>Creates a trainer. <paramref name="critic"/> is required for GAE and unused by the other estimators.</summary>
    public PpoTrainer(PpoOptions options, Transformer policy, Transformer reference, Critic? critic, ITokenizer tokenizer, RewardPipeline rewards)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Validate();
        _policy = policy ?? throw new ArgumentNullException(nameof(policy));
        _reference = reference ?? throw new ArgumentNullException(nameof(reference));
        _tokenizer = tokenizer ?? throw new ArgumentNullException(nameof(tokenizer));
        _rewards = rewards ?? throw new ArgumentNullException(nameof(rewards));
        if (options.Estimator == AdvantageEstimator.Gae && critic is null)
            throw new ArgumentException("ppo: estimator 'gae' needs a critic (Critic.FromPolicy or Critic.FromParts); the critic-free estimators are grpo, dr_grpo, rloo, reinforce_pp", nameof(critic));
        if (reference.Config.VocabSize != policy.Config.VocabSize)
            throw new ArgumentException($"ppo: reference vocab {reference.Config.VocabSize} differs from the policy's {policy.Config.VocabSize}", nameof(reference));
        if (tokenizer.VocabSize > policy.Config.VocabSize)
            throw new ArgumentException($"ppo: tokenizer has {tokenizer.VocabSize} ids but the policy's vocab_size is {policy.Config.VocabSize}", nameof(tokenizer));
        _critic = options.Estimator == AdvantageEstimator.Gae ? critic : null;
        _padId = tokenizer.PadId ?? (tokenizer.EosIds.Count > 0 ? tokenizer.EosIds[0] : 0);
        _policy.EnsureGradients();
        _policyOptimizer = new AdamWOptimizer(policy.Layout.Slab, AdamW(options.PolicyLearningRate));
        if (_critic is not null)
        {
            _critic.Backbone.EnsureGradients();
            _criticOptimizer = new AdamWOptimizer(_critic.Backbone.Layout.Slab, AdamW(options.CriticLearningRate));
            _headOptimizer = new AdamWOptimizer(_critic.Head.Layout, AdamW(options.CriticLearningRate));
        }
        _kl = options.AdaptiveKl ? new AdaptiveKlController(options.KlCoef, options.KlTarget, options.KlHorizon) : new FixedKlController(options.KlCoef);
        _guard = new NanGuard(options.MaxConsecutiveNonFinite);
        _rng = new Rng(options.Seed);
    }

    /// <summary>Trainer steps completed.</summary>
    public long Step { get; private set; }

    /// <summary>The options in use.</summary>
    public PpoOptions Options => _options;

    /// <summary>Optional live progress of a running <see cref="TrainStep"/> (called on the training thread; keep it cheap).</summary>
    public Action<PpoProgress>? Progress { get; set; }

    private void Report(PpoPhase phase, int done, int total) => Progress?.Invoke(new PpoProgress(Step + 1, phase, done, total));

    /// <summary>Current KL coefficient β.</summary>
    public double KlCoefficient => _kl.Beta;

    private AdamWOptions AdamW(double lr) => new()
    {
        LearningRate = (float)lr, WeightDecay = (float)_options.WeightDecay, Beta1 = (float)_options.Beta1, Beta2 = (float)_options.Beta2,
    };

    /// <summary>
    /// One PPO step over <paramref name="prompts"/>: generate → score → log-probs / values → advantages →
    /// updates. Samples whose reward failed are excluded from the update and counted in the metrics.
    /// Throws <see cref="NonFiniteTrainingException"/> after MaxConsecutiveNonFinite non-finite updates in a row
    /// (no skipped update changed any weight or optimizer state).
    /// </summary>
    public PpoStepResult TrainStep(IReadOnlyList<PromptItem> prompts, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        if (prompts.Count == 0) throw new ArgumentException("ppo: TrainStep needs at least one prompt", nameof(prompts));
        var clock = Stopwatch.StartNew();
        var generated = Generate(prompts, ct);
        var generation = clock.Elapsed;

        clock.Restart();
        var records = Score(generated, ct);
        var scoring = clock.Elapsed;

        clock.Restart();
        double lr = LearningRateSchedule.At(Step, _options.PolicyLearningRate, _options.Schedule, _options.WarmupSteps, _options.TotalSteps, _options.MinLearningRateRatio);
        double criticLr = lr / _options.PolicyLearningRate * _options.CriticLearningRate;
        double beta = _kl.Beta;
        var scored = records.Where(r => r.Reward is not null).ToList();
        UpdateStats stats = default;
        double klMean = 0;
        TimeSpan experience = default;
        long updateTokens = 0;
        if (scored.Count > 0)
        {
            var (batch, advantages, klToken, klSequence) = MakeExperience(scored, beta, ct);
            experience = clock.Elapsed;
            klMean = klToken;
            stats = Update(scored, batch, advantages, lr, criticLr, beta, ct);
            if (_options.KlPlacement != KlPlacement.None) _kl.Update(klSequence, scored.Count);
            foreach (var r in scored) updateTokens += r.PromptTokens.Length + r.ResponseTokens.Length;
            updateTokens *= _options.PpoEpochs;
        }
        Step++;
        var training = clock.Elapsed;
        var metrics = Metrics(records, stats, klMean, beta, lr) with
        {
            GenerationTime = generation,
            ScoringTime = scoring,
            TrainingTime = training,
            ExperienceTime = experience,
            UpdateTime = training - experience,
            UpdateTokens = updateTokens,
        };
        return new PpoStepResult(metrics, records);
    }

    /// <summary>Optimizer moments, RNG, step, β and guard counters (the caller saves the weights).</summary>
    public PpoTrainerState CaptureState() => new(Step, _rng.State, _kl.Beta, _guard.Consecutive, _guard.TotalSkipped,
        _policyOptimizer.CaptureState(), _criticOptimizer?.CaptureState(), _headOptimizer?.CaptureState());

    /// <summary>Restores a <see cref="CaptureState"/> result into this trainer (same options and models' shapes).</summary>
    public void RestoreState(PpoTrainerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if ((state.CriticOptimizer is null) != (_criticOptimizer is null))
            throw new ArgumentException($"ppo restore: the state {(state.CriticOptimizer is null ? "has no" : "has a")} critic optimizer but this trainer {(_criticOptimizer is null ? "has no" : "has a")} critic");
        if (_kl is AdaptiveKlController adaptive) adaptive.Restore(state.KlCoefficient);
        else if (state.KlCoefficient != _kl.Beta)
            throw new ArgumentException($"ppo restore: the state's fixed KL coefficient {state.KlCoefficient} differs from the options' {_kl.Beta}");
        _policyOptimizer.RestoreState(state.PolicyOptimizer);
        if (_criticOptimizer is not null)
        {
            _criticOptimizer.RestoreState(state.CriticOptimizer!);
            _headOptimizer!.RestoreState(state.CriticHeadOptimizer ?? throw new ArgumentException("ppo restore: the state lacks the critic head optimizer"));
        }
        _rng.State = [.. state.RngState];
        _guard.Restore(state.NanConsecutive, state.NanTotalSkipped);
        Step = state.Step;
    }

    private PpoStepMetrics Metrics(RolloutRecord[] records, UpdateStats stats, double kl, double beta, double lr)
    {
        var outcomes = records.Select(ResponseOutcome.Of).OfType<ResponseOutcome>().ToList();
        var m = new PpoStepMetrics
        {
            Step = Step, Kl = kl, KlCoefficient = beta, LearningRate = lr, Responses = records.Length,
            FailedSamples = records.Length - outcomes.Count,
            Skipped = outcomes.Count == 0 || stats.Skipped > 0, SkippedUpdates = stats.Skipped,
            PolicyLoss = stats.Mean(stats.PolicyLoss), ValueLoss = stats.Mean(stats.ValueLoss), Entropy = stats.Mean(stats.Entropy),
            ClipFraction = stats.Mean(stats.ClipFraction), ApproxKl = stats.Mean(stats.ApproxKl),
            PolicyGradNorm = stats.Mean(stats.PolicyGradNorm), CriticGradNorm = stats.Mean(stats.CriticGradNorm),
            TruncationRate = records.Count(r => r.Truncated) / (double)records.Length,
            ResponseLengthMean = records.Average(r => (double)r.ResponseTokens.Length),
        };
        if (outcomes.Count == 0) return m with { LearnedSuccessCorrelation = double.NaN };
        var stat = RolloutStatistics.Compute(outcomes).ToDictionary(kv => kv.Key, kv => kv.Value);
        return m with
        {
            SuccessMean = stat[MetricNames.SuccessReward],
            LearnedReturnMean = stat[MetricNames.LearnedReward],
            TotalRewardMean = stat[MetricNames.TotalReward],
            StepsPerResponse = stat[MetricNames.StepsPerResponse],
            RepeatedStepRate = stat[MetricNames.RepeatedStepRate],
            LearnedSuccessCorrelation = stat[MetricNames.LearnedSuccessCorrelation],
        };
    }

    public void Dispose()
    {
        _policyOptimizer.Dispose();
        _criticOptimizer?.Dispose();
        _headOptimizer?.Dispose();
    }
}
