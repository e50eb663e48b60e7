// StepLabelledRow: the native step-labelled JSONL row exactly as StepLabelledLoader.Write writes it
// ({"question", "steps", "labels", "group", "correct"}, snake_case). Not read by type: the loader validates fields.
namespace ReasonRL.Data.Datasets;

/// <summary>The native JSONL row as written (snake_case).</summary>
public sealed record StepLabelledRow(string Question, IReadOnlyList<string> Steps, IReadOnlyList<bool> Labels, string? Group, bool? Correct);
