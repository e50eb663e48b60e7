// RewardModelTrainOptions: the reward-model trainer's settings with their defaults and validation.
// Not the trainer (RewardModelTrainer).
using ReasonRL.Training.Ppo;

namespace ReasonRL.Training.RewardModels;

/// <summary>Trainer settings; defaults listed per property.</summary>
public sealed record RewardModelTrainOptions
{
    /// <summary>Passes over the training set. Default 3.</summary>
    public int Epochs { get; init; } = 3;

    /// <summary>Sequences per optimizer step. Default 16.</summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>AdamW (peak) learning rate. Default 1e-4.</summary>
    public double LearningRate { get; init; } = 1e-4;

    /// <summary>How the learning rate moves over the optimizer steps of all epochs (LearningRateSchedule):
    /// constant, or cosine from <see cref="LearningRate"/> down to MinLearningRateRatio × it at the last step.
    /// Default Constant.</summary>
    public LearningRateScheduleKind Schedule { get; init; } = LearningRateScheduleKind.Constant;

    /// <summary>Optimizer steps of linear warm-up before the schedule (either kind). Default 0.</summary>
    public int WarmupSteps { get; init; }

    /// <summary>The cosine schedule's floor as a share of <see cref="LearningRate"/>, in [0, 1]. Default 0.1.</summary>
    public double MinLearningRateRatio { get; init; } = 0.1;

    /// <summary>AdamW decoupled weight decay. Default 0.</summary>
    public double WeightDecay { get; init; }

    /// <summary>Global gradient-norm clip over backbone and head (≤ 0 or ∞: off). Default 1.</summary>
    public double MaxGradNorm { get; init; } = 1;

    /// <summary>Seed of the per-epoch shuffles. Default 1.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>The step aggregation of the headline best-of-N accuracy (PRM). Default Min.</summary>
    public StepAggregation BestOfN { get; init; } = StepAggregation.Min;

    /// <summary>Stop after this many non-finite steps in a row. Default 3.</summary>
    public int MaxConsecutiveNonFinite { get; init; } = 3;

    /// <summary>Throws ArgumentException naming the first bad setting.</summary>
    public void Validate()
    {
        if (Epochs < 1) throw new ArgumentException($"reward-model training: epochs must be ≥ 1, got {Epochs}");
        if (BatchSize < 1) throw new ArgumentException($"reward-model training: batch size must be ≥ 1, got {BatchSize}");
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate)) throw new ArgumentException($"reward-model training: learning rate must be a finite number > 0, got {LearningRate}");
        if (WarmupSteps < 0) throw new ArgumentException($"reward-model training: warm-up steps must be ≥ 0, got {WarmupSteps}");
        if (!(MinLearningRateRatio is >= 0 and <= 1)) throw new ArgumentException($"reward-model training: the cosine floor (min lr ratio) must be in [0, 1], got {MinLearningRateRatio}");
        if (!(WeightDecay >= 0)) throw new ArgumentException($"reward-model training: weight decay must be ≥ 0, got {WeightDecay}");
        if (MaxConsecutiveNonFinite < 1) throw new ArgumentException($"reward-model training: max consecutive non-finite steps must be ≥ 1, got {MaxConsecutiveNonFinite}");
    }
}
