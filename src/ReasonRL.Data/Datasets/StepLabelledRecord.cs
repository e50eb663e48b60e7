// StepLabelledRecord: one PRM training row as the step-labelled loaders return it, whatever the file
// format was (native JSONL, PRM800K ratings, Math-Shepherd tags): a question, the step texts, one binary
// label per step, and optionally a best-of-N group and whether the whole response is correct.
// Not the lab's PrmRecord writer type (Records/): this one carries the group fields best-of-N needs.
namespace ReasonRL.Data.Datasets;

/// <param name="Question">The problem text (the prompt is built from it by the trainer).</param>
/// <param name="Steps">[K] step texts in order.</param>
/// <param name="Labels">[K] true = positive step.</param>
/// <param name="Group">Responses to the same question share a group (best-of-N); the loader defaults it to the question.</param>
/// <param name="Correct">Whether the response's final answer is correct, or null when the file does not say.</param>
public sealed record StepLabelledRecord(string Question, IReadOnlyList<string> Steps, IReadOnlyList<bool> Labels, string? Group = null, bool? Correct = null);
