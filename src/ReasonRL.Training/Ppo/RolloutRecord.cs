// RolloutRecord: what one sampled response looked like and how it was rewarded, returned by
// PpoTrainer.TrainStep so callers can log samples (the lab's hacking tables, a rollouts.jsonl).
// What it is not: the numeric training batch (RolloutBatch).
using ReasonRL.Rewards.Composition;

namespace ReasonRL.Training.Ppo;

/// <summary>One response of a PPO step.</summary>
/// <param name="PromptId">The prompt's id.</param>
/// <param name="Prompt">Prompt text.</param>
/// <param name="Response">Decoded response text (without the EOS token).</param>
/// <param name="Gold">Gold answer, or null.</param>
/// <param name="ResponseTokens">[T] sampled ids, including the EOS id when the response stopped.</param>
/// <param name="Truncated">True when MaxNewTokens ended it (no EOS).</param>
/// <param name="Reward">Token rewards and diagnostics; null when scoring failed.</param>
/// <param name="Error">Why scoring failed (the sample was excluded from the update), else null.</param>
public sealed record RolloutRecord(string PromptId, string Prompt, string Response, string? Gold, int[] ResponseTokens,
    bool Truncated, ComposedReward? Reward, string? Error);
