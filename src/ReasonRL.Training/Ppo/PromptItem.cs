// PromptItem: one training / evaluation prompt for the PPO trainer — an id for logs, the prompt text
// (tokenised by the contract convention: [BOS if any] + Encode(prompt)) and the gold answer the
// success judge compares against (null = unverifiable).
// What it is not: a dataset loader (the CLI reads JSONL into these).
namespace ReasonRL.Training.Ppo;

/// <summary>A prompt with its gold answer.</summary>
/// <param name="Id">Stable id for logs and rollout records.</param>
/// <param name="Prompt">Prompt text, e.g. LabTask.Prompt(question).</param>
/// <param name="Gold">Reference answer, or null when none exists.</param>
public sealed record PromptItem(string Id, string Prompt, string? Gold);
