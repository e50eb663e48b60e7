// TrainingRecords: the three row types the lab writes for training — SFT pairs, PRM step records
// and ORM outcome records — as they appear in JSONL (snake_case field names, DataJsonContext).
// Not builders (RewardRecordBuilder makes them) and not loaders of public datasets.
namespace ReasonRL.Data.Records;

/// <summary>One supervised fine-tuning pair: the model sees <see cref="Prompt"/> and learns
/// <see cref="Response"/>.</summary>
/// <param name="Prompt">e.g. "Tom has 12 apples. … How many apples does he have?\n".</param>
/// <param name="Response">e.g. "12 + 7 = 19\n19 - 5 = 14\nThe answer is \boxed{14}".</param>
public sealed record SftExample(string Prompt, string Response);

/// <summary>One PRM training row: a question, the response's steps (one per non-blank line, the
/// final-answer line last when present) and one binary label per step.</summary>
/// <param name="Question">The problem text.</param>
/// <param name="Steps">Step texts in order.</param>
/// <param name="Labels">Same length as <see cref="Steps"/>: true = positive step.</param>
public sealed record PrmRecord(string Question, IReadOnlyList<string> Steps, IReadOnlyList<bool> Labels);

/// <summary>One ORM training row: a question, a whole response, and whether its final answer verified
/// Correct (a truncated response is not correct).</summary>
public sealed record OrmRecord(string Question, string Response, bool Correct);
