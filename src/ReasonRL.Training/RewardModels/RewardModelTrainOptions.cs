// RewardModelTrainOptions: the reward-model trainer's settings with their defaults and validation.
// Not the trainer (RewardModelTrainer).
namespace ReasonRL.Training.RewardModels;

/// <summary>Trainer settings; defaults listed per property.</summary>
public sealed record RewardModelTrainOptions
{
    /// <summary>Passes over the training set. Default 3.</summary>
    public int Epochs { get; init; } = 3;

    /// <summary>Sequences per optimizer step. Default 16.</summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>AdamW learning rate (constant). Default 1e-4.</summary>
    public double LearningRate { get; init; } = 1e-4;

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
        if (!(WeightDecay >= 0)) throw new ArgumentException($"reward-model training: weight decay must be ≥ 0, got {WeightDecay}");
        if (MaxConsecutiveNonFinite < 1) throw new ArgumentException($"reward-model training: max consecutive non-finite steps must be ≥ 1, got {MaxConsecutiveNonFinite}");
    }
}
