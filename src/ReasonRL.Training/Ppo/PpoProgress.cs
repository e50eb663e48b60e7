// PpoProgress: where a running TrainStep is, for a live console view (the CLI's Spectre status):
// the phase and how much of it is done. Reported on the training thread; handlers must be cheap.
// What it is not: metrics (PpoStepMetrics come at the end of the step).
namespace ReasonRL.Training.Ppo;

/// <summary>The phases of one PPO step, in order.</summary>
public enum PpoPhase
{
    /// <summary>Sampling responses (Done/Total = responses finished).</summary>
    Generate,
    /// <summary>Reward pipeline (Done/Total = 0/1, then 1/1).</summary>
    Score,
    /// <summary>Old-policy / reference / critic forwards (Done/Total = responses).</summary>
    Experience,
    /// <summary>Optimizer updates (Done/Total = updates = PpoEpochs × minibatches).</summary>
    Update,
}

/// <summary>A progress report of a running step.</summary>
/// <param name="Step">The 1-based step being computed.</param>
public readonly record struct PpoProgress(long Step, PpoPhase Phase, int Done, int Total);
