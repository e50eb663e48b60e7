// OutcomeLabelledRecord: one ORM training row as OutcomeLabelledLoader returns it: a question, a whole
// response, whether it is correct, and the best-of-N group (default: the question).
// Not the lab's OrmRecord writer type (Records/), which has no group.
namespace ReasonRL.Data.Datasets;

/// <param name="Question">The problem text.</param>
/// <param name="Response">The full response.</param>
/// <param name="Correct">Whether its final answer is correct.</param>
/// <param name="Group">Best-of-N group (the question unless the file names one).</param>
public sealed record OutcomeLabelledRecord(string Question, string Response, bool Correct, string? Group = null);
