// RewardModelProgress: what the reward-model trainer reports after each optimizer step (for progress
// bars and logs). Not the final report (RewardModelReport).
namespace ReasonRL.Training.RewardModels;

/// <summary>One optimizer step's progress.</summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Step">1-based step over the whole run.</param>
/// <param name="TotalSteps">Steps the run will take.</param>
/// <param name="Loss">Mean BCE of this step's batch.</param>
/// <param name="GradNorm">Global gradient norm before clipping.</param>
/// <param name="Skipped">The update was skipped (non-finite loss or gradient).</param>
public sealed record RewardModelProgress(int Epoch, long Step, long TotalSteps, double Loss, double GradNorm, bool Skipped)
{
    /// <summary>The learning rate of this step (RewardModelTrainOptions' schedule).</summary>
    public double LearningRate { get; init; } = double.NaN;
}
