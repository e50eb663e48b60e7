// PpoTrainerState: everything besides the policy and critic weights that an exact resume needs —
// trainer step, the RNG stream, β of the KL controller, NaN-guard counters and the AdamW states
// (step + moments) of the policy, the critic backbone and the critic head.
// What it is not: a file format; CheckpointStore persists these (CheckpointState + tensor parts).
using ReasonRL.Models;

namespace ReasonRL.Training.Ppo;

/// <summary>Trainer state for CaptureState / RestoreState.</summary>
/// <param name="Step">Trainer steps completed.</param>
/// <param name="RngState">Xoshiro256** state (4 words).</param>
/// <param name="KlCoefficient">Current β.</param>
/// <param name="NanConsecutive">Consecutive non-finite updates so far.</param>
/// <param name="NanTotalSkipped">All skipped updates so far.</param>
/// <param name="PolicyOptimizer">Policy AdamW state.</param>
/// <param name="CriticOptimizer">Critic backbone AdamW state (null without a critic).</param>
/// <param name="CriticHeadOptimizer">Critic head AdamW state (null without a critic).</param>
public sealed record PpoTrainerState(long Step, ulong[] RngState, double KlCoefficient, int NanConsecutive, int NanTotalSkipped,
    AdamWOptimizerState PolicyOptimizer, AdamWOptimizerState? CriticOptimizer, AdamWOptimizerState? CriticHeadOptimizer);
