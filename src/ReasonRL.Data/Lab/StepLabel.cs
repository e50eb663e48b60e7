// StepLabel and StepReason: what the lab's automatic labeller says about one solution line, and why.
// Not a reward: the PRM is trained on these labels (see PrmLabelOptions for how they become
// positive/negative) and ReasonRL.Rewards shapes the PRM's scores.
namespace ReasonRL.Data.Lab;

/// <summary>The three labels of a solution line (StepLabeller's header defines them exactly).</summary>
public enum StepLabel
{
    /// <summary>Right arithmetic, known operands, and it makes progress toward the final answer
    /// (for the final-answer line: the verifier says Correct).</summary>
    Correct,

    /// <summary>Right arithmetic and known operands, but no new needed quantity: a restatement, a
    /// repeat, a check that recomputes a known quantity, or a dead end.</summary>
    Unnecessary,

    /// <summary>Wrong arithmetic, an unknown operand, an unparsable line (for the final-answer line:
    /// the verifier says Incorrect or Unverifiable).</summary>
    Incorrect,
}

/// <summary>The rule that decided a line's <see cref="StepLabel"/>.</summary>
public enum StepReason
{
    /// <summary>Correct: a new quantity that the final answer depends on.</summary>
    Progress,

    /// <summary>Unnecessary: <c>19 = 19</c>, a known number restated.</summary>
    Restatement,

    /// <summary>Unnecessary: the same equation as an earlier line (operands of + and * in any order).</summary>
    Repeat,

    /// <summary>Unnecessary: right arithmetic whose result is already known (a given number or an
    /// earlier result), e.g. the inverse check <c>19 - 7 = 12</c> when 12 was given.</summary>
    KnownResult,

    /// <summary>Unnecessary: a new quantity that nothing later uses and that is not the final answer.</summary>
    DeadEnd,

    /// <summary>Incorrect: the claimed result is not the exact value (or a division leaves a remainder).</summary>
    WrongArithmetic,

    /// <summary>Incorrect: an operand is neither in the question nor an earlier valid result.</summary>
    UnknownOperand,

    /// <summary>Incorrect: not a line of the form <c>a op b = c</c> or <c>a = a</c>.</summary>
    Unparsable,

    /// <summary>Incorrect: in a solution whose final answer is not right, a needed line whose operation the question
    /// does not state (e.g. <c>24 - 2 = 22</c> when nothing is taken away, or a stated <c>- 1</c> applied twice), or one
    /// that builds on such a line's result. Only when the problem's operations are known (the ArithmeticProblem overload).</summary>
    UnstatedOperation,

    /// <summary>Final-answer line, verifier verdict Correct.</summary>
    FinalCorrect,

    /// <summary>Final-answer line, verifier verdict Incorrect.</summary>
    FinalIncorrect,

    /// <summary>Final-answer line, verifier verdict Unverifiable.</summary>
    FinalUnverifiable,
}

/// <summary>One labelled non-blank line of a response.</summary>
/// <param name="LineIndex">0-based index of the line in the response (blank lines counted).</param>
/// <param name="Start">Offset of the line's first character in the response.</param>
/// <param name="Length">Length of the line, without its "\n" (and without a trailing "\r").</param>
/// <param name="Text">The line's text (Length characters).</param>
/// <param name="Label">Correct, Unnecessary or Incorrect.</param>
/// <param name="Reason">The rule that decided the label.</param>
/// <param name="IsFinalAnswer">True for the final-answer line (the first line holding <c>\boxed</c>).</param>
/// <param name="IsRepeated">True when the line repeats an earlier line (same equation, or the same
/// trimmed text for unparsable lines).</param>
/// <param name="Parsed">The parsed equation (a restatement <c>a = c</c> as <c>a + 0 = c</c>), or null
/// when the line was not one.</param>
public sealed record LabelledStep(
    int LineIndex,
    int Start,
    int Length,
    string Text,
    StepLabel Label,
    StepReason Reason,
    bool IsFinalAnswer,
    bool IsRepeated,
    ArithmeticStep? Parsed);
