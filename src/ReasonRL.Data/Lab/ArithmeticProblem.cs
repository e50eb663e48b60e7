// ArithmeticProblem: one generated lab problem with its gold solution (one step per line, then the
// answer line) and its SFT solution (the gold lines plus the configured share of unnecessary lines).
// Not a dataset row from disk (Gsm8kExample / MathExample are) and not a labelled sample.
namespace ReasonRL.Data.Lab;

/// <summary>A lab problem, e.g. "Tom has 12 apples. He buys 7 more, then gives away 5. How many
/// apples does he have?" with gold 14.</summary>
public sealed record ArithmeticProblem
{
    /// <summary>Stable identifier: split, seed and index, e.g. "train-1234-17".</summary>
    public required string Id { get; init; }

    /// <summary>The word problem.</summary>
    public required string Question { get; init; }

    /// <summary>The answer, a non-negative integer.</summary>
    public required int Gold { get; init; }

    /// <summary>Starting amount, e.g. 12.</summary>
    public required long Start { get; init; }

    /// <summary>The operations in order; the first's left operand is <see cref="Start"/>, each later
    /// one's left operand is the previous result, the last result is <see cref="Gold"/>.</summary>
    public required IReadOnlyList<ArithmeticStep> Operations { get; init; }

    /// <summary>One line per operation, then <c>The answer is \boxed{Gold}</c>; lines joined by "\n",
    /// no trailing newline.</summary>
    public required string GoldSolution { get; init; }

    /// <summary>The gold solution with unnecessary lines inserted (per LabTaskOptions); equal to
    /// <see cref="GoldSolution"/> when none were drawn.</summary>
    public required string SftSolution { get; init; }

    /// <summary>Number of unnecessary lines in <see cref="SftSolution"/>.</summary>
    public required int UnnecessaryLineCount { get; init; }

    /// <summary>The arithmetic without wording, e.g. "12+7-5": the key of the train/test split, so
    /// two wordings of the same arithmetic always land in the same half.</summary>
    public required string CanonicalForm { get; init; }

    /// <summary>The half this problem belongs to (<see cref="LabTask.SplitOf"/> of the canonical form).</summary>
    public required LabSplit Split { get; init; }

    /// <summary>Number of operations (the difficulty).</summary>
    public int OperationCount => Operations.Count;
}
