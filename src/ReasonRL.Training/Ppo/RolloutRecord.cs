// RolloutRecord: the one record of a sampled response, carried from generation through scoring,
// advantages and the update, and returned by PpoTrainer.TrainStep so callers can log samples and
// compute their own metrics. Generation fills the ids, sampling log-probs, text and per-token offsets;
// scoring adds the reward (or the error that excludes the response from the update); the experience
// maker turns the scored records into the numeric RolloutBatch and the update reads the token ids
// from the same records.
// What it is not: the numeric training batch (RolloutBatch).
using ReasonRL.Rewards.Composition;
using ReasonRL.Rewards.Steps;

namespace ReasonRL.Training.Ppo;

/// <summary>One response of a PPO step.</summary>
/// <param name="PromptId">The prompt's id.</param>
/// <param name="Prompt">Prompt text.</param>
/// <param name="Gold">Gold answer, or null.</param>
/// <param name="Group">Index of the prompt in the step (the group of the group-relative estimators).</param>
/// <param name="PromptTokens">Prompt ids the response was sampled after (BOS included when the tokenizer has one).</param>
/// <param name="ResponseTokens">[T] sampled ids, including the EOS id when the response stopped.</param>
/// <param name="SamplingLogProbs">[T] log-probabilities of the sampled ids under the sampling distribution.</param>
/// <param name="Truncated">True when MaxNewTokens ended it (no EOS).</param>
/// <param name="Response">Decoded response text (without the EOS token).</param>
/// <param name="Offsets">[T] each token's character range in <paramref name="Response"/>.</param>
/// <param name="Reward">Token rewards and diagnostics; null before scoring or when scoring failed.</param>
/// <param name="Error">Why scoring failed (the sample was excluded from the update), else null.</param>
public sealed record RolloutRecord(string PromptId, string Prompt, string? Gold, int Group, int[] PromptTokens, int[] ResponseTokens,
    float[] SamplingLogProbs, bool Truncated, string Response, TokenOffset[] Offsets, ComposedReward? Reward = null, string? Error = null);
