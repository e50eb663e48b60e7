// RewardModelExample: one training or held-out sequence for the reward-model trainer.
// An example is token ids plus the positions to score and a 0/1 label per position (PRM: every step end;
// ORM: the last token), built by RewardModelExamples through RewardModelInputs so training reads the same
// token scoring does. Optional GroupId + ResponseCorrect put examples into best-of-N groups.
// Not the data loaders (ReasonRL.Data.Datasets) and not the trainer.
namespace ReasonRL.Training.RewardModels;

/// <summary>One scored sequence.</summary>
/// <param name="Tokens">[T] token ids.</param>
/// <param name="Positions">[P] read positions in [0, T), in step order.</param>
/// <param name="Labels">[P] 0 or 1 (1 = positive step / correct response).</param>
/// <param name="GroupId">Responses to the same question share a group (best-of-N), or null.</param>
/// <param name="ResponseCorrect">Whether the whole response is correct (best-of-N), or null.</param>
public sealed record RewardModelExample(int[] Tokens, int[] Positions, float[] Labels, string? GroupId = null, bool? ResponseCorrect = null);
