// SftOptions / SftExample / SftStepResult: the records of supervised fine-tuning (typed records
// between layers, docs/conventions.md §18).
// What they are not: the trainer (SftTrainer.cs) or the YAML mapping (Runs/SftRunConfig.cs).
namespace ReasonRL.Training.Sft;

/// <summary>One (prompt, response) pair as token ids. The loss is on <see cref="Response"/> tokens only;
/// include the EOS id at the end of the response so the model learns to stop.</summary>
/// <param name="Prompt">Prompt ids (incl. BOS when the tokenizer has one); never trained on.</param>
/// <param name="Response">Response ids; each is a training target.</param>
public sealed record SftExample(int[] Prompt, int[] Response);

/// <summary>Hyper-parameters of <see cref="SftTrainer"/>.</summary>
public sealed record SftOptions
{
    /// <summary>Passes over the data in <see cref="SftTrainer.Train"/>. Default 1.</summary>
    public int Epochs { get; init; } = 1;
    /// <summary>Examples per optimizer update (split into <see cref="GradientAccumulation"/> micro-batches). Default 16.</summary>
    public int BatchSize { get; init; } = 16;
    /// <summary>Peak AdamW learning rate. Default 1e-3.</summary>
    public double LearningRate { get; init; } = 1e-3;
    /// <summary>Linear warmup to the peak over this many updates (lr·(s+1)/(W+1)). Default 0.</summary>
    public int WarmupSteps { get; init; }
    /// <summary>Cosine decay floor as a fraction of the peak. Default 0.1.</summary>
    public double MinLearningRateRatio { get; init; } = 0.1;
    /// <summary>Updates the cosine spans; 0 = set by <see cref="SftTrainer.Train"/> (epochs · ⌈n / batch⌉), or constant after warmup when only Step is called.</summary>
    public int TotalSteps { get; init; }
    /// <summary>Decoupled AdamW weight decay. Default 0.</summary>
    public double WeightDecay { get; init; }
    /// <summary>AdamW β1. Default 0.9.</summary>
    public double Beta1 { get; init; } = 0.9;
    /// <summary>AdamW β2. Default 0.95.</summary>
    public double Beta2 { get; init; } = 0.95;
    /// <summary>Global gradient-norm clip; ≤ 0 or ∞ = off. Default 1.</summary>
    public double MaxGradNorm { get; init; } = 1;
    /// <summary>Micro-batches per update (the batch is split into this many nearly equal parts). Default 1.</summary>
    public int GradientAccumulation { get; init; } = 1;
    /// <summary>Stop <see cref="SftTrainer.Train"/> after this many non-finite updates in a row (each is skipped). Default 3.</summary>
    public int MaxConsecutiveNonFinite { get; init; } = 3;
    /// <summary>Shuffle seed. Default 1.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Throws naming the first invalid option.</summary>
    public SftOptions Validate()
    {
        static void Check(bool ok, string name, object value, string expected)
        {
            if (!ok) throw new ArgumentException($"SftOptions.{name} is {value}; expected {expected}");
        }
        Check(Epochs >= 1, nameof(Epochs), Epochs, "≥ 1");
        Check(BatchSize >= 1, nameof(BatchSize), BatchSize, "≥ 1");
        Check(LearningRate > 0 && double.IsFinite(LearningRate), nameof(LearningRate), LearningRate, "a finite number > 0");
        Check(WarmupSteps >= 0, nameof(WarmupSteps), WarmupSteps, "≥ 0");
        Check(MinLearningRateRatio is >= 0 and <= 1, nameof(MinLearningRateRatio), MinLearningRateRatio, "a number in [0, 1]");
        Check(TotalSteps >= 0, nameof(TotalSteps), TotalSteps, "≥ 0");
        Check(WeightDecay >= 0, nameof(WeightDecay), WeightDecay, "≥ 0");
        Check(Beta1 is >= 0 and < 1, nameof(Beta1), Beta1, "a number in [0, 1)");
        Check(Beta2 is >= 0 and < 1, nameof(Beta2), Beta2, "a number in [0, 1)");
        Check(GradientAccumulation >= 1 && GradientAccumulation <= BatchSize, nameof(GradientAccumulation), GradientAccumulation, $"in [1, BatchSize = {BatchSize}]");
        Check(MaxConsecutiveNonFinite >= 1, nameof(MaxConsecutiveNonFinite), MaxConsecutiveNonFinite, "≥ 1");
        return this;
    }
}

/// <summary>What one optimizer update did.</summary>
/// <param name="Step">Update index, 1-based (skipped updates count too).</param>
/// <param name="Loss">Mean response-token cross-entropy of the batch (before the update).</param>
/// <param name="GradNorm">Global gradient norm before clipping.</param>
/// <param name="LearningRate">Learning rate used.</param>
/// <param name="Tokens">Response tokens in the batch (the loss's denominator).</param>
/// <param name="Skipped">True when the loss or gradient was NaN/±∞ and the update was not applied.</param>
public sealed record SftStepResult(long Step, double Loss, double GradNorm, double LearningRate, int Tokens, bool Skipped);
