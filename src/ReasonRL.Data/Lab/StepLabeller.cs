// StepLabeller: the lab's automatic step labeller. It reads a (possibly model-generated, possibly
// garbage) response line by line and labels each non-blank line Correct, Unnecessary or Incorrect;
// the final-answer line is judged by ReasonRL.Verifier.MathVerifier against the gold answer. Not a
// PRM (it is the ground truth a PRM is trained on) and not a reward shaper.
//
// Definitions (issue text: "a step is correct when its arithmetic is right and it uses only given
// numbers or earlier results; the final answer judged by the verifier"):
//   • Known quantities K start as the integers written in the question ([0-9]+, up to 18 digits).
//   • A reasoning line is `a op b = c` (op ∈ + - * /) or `a = c`, non-negative integers, spaces free;
//     anything else is Incorrect(Unparsable). `/` must divide exactly.
//   • Checked in this order, first match wins:
//       1. claimed result wrong (or a = c with a ≠ c)           → Incorrect(WrongArithmetic)
//       2. an operand not in K                                    → Incorrect(UnknownOperand)
//       3. `a = a`                                                → Unnecessary(Restatement)
//       4. same equation as an earlier line (+ and * unordered)  → Unnecessary(Repeat)
//       5. c already in K (e.g. the check `19 - 7 = 12`, 12 known) → Unnecessary(KnownResult)
//       6. otherwise a candidate: c joins K.
//   • Progress is decided backwards: the needed set starts with the final quantity — the boxed
//     integer when a candidate computed it, else the last candidate's result (so a boxed number the
//     response never computed does not turn the whole computation into dead ends). Walking candidates from last to first, a
//     candidate whose result is needed is Correct(Progress) and its operands become needed; the rest
//     are Unnecessary(DeadEnd): a new quantity the answer never uses.
//   • Results of Incorrect lines never join K, so a later line that uses them is Incorrect too.
//   • With the problem's operations (the ArithmeticProblem overload) and a final answer that is not right (wrong,
//     unverifiable or missing): walking the Correct(Progress) lines in order, each must apply one of the question's
//     stated operations not yet used — `op b` with b the operand the question states (either operand for + and *).
//     A line that does not, e.g. `24 - 2 = 22` when nothing is taken away or a stated `- 1` applied a second time, is
//     Incorrect(UnstatedOperation), and so is a later Progress line that builds on its result. Such a line has
//     right arithmetic on known numbers, yet it is the error that makes the answer wrong. A right final answer
//     leaves every line as above, so reordered but valid solutions (`7 - 5 = 2`, `12 + 2 = 14`) keep Progress.
//   • The final-answer line is the first line containing `\boxed`: Correct/Incorrect by the
//     verifier's verdict (Unverifiable counts as Incorrect). No such line: the response is truncated.
//     Lines after it are labelled as reasoning steps like any other.
//   • Repeated: a line whose equation (or, unparsed, whose trimmed text) equals an earlier line's.
// Robustness: never throws on any text (the verifier never throws; numbers are length-capped and
// evaluated with checked arithmetic). Null arguments are programming errors and do throw.
using ReasonRL.Verifier;
using System.Globalization;

namespace ReasonRL.Data.Lab;

/// <summary>Options of <see cref="StepLabeller"/>.</summary>
public sealed record StepLabellerOptions
{
    /// <summary>The defaults listed on each property.</summary>
    public static StepLabellerOptions Default { get; } = new();

    /// <summary>Options for the final-answer verdict. Default: VerifyOptions.Default with a 250 ms time
    /// budget: lab answers are small integers that verify in microseconds, so the verifier's 10 ms
    /// default only trips on a busy machine (GC pause, JIT, shared cores; seen in this project's tests)
    /// and would then mislabel a right answer Unverifiable, which is noise in the PRM's training labels.
    /// 250 ms still bounds the cost of a pathological final line.</summary>
    public VerifyOptions Verify { get; init; } = VerifyOptions.Default with { TimeBudget = TimeSpan.FromMilliseconds(250) };
}

/// <summary>Labels the lines of lab responses (see the file header for the exact rules).</summary>
public static partial class StepLabeller
{
    private const string BoxedMarker = "\\boxed";

    /// <summary>Labels <paramref name="response"/> for <paramref name="problem"/>, with the check of the question's
    /// operations (StepReason.UnstatedOperation).</summary>
    public static LabelledSolution Label(ArithmeticProblem problem, string response, StepLabellerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(problem);
        return Label(problem.Question, problem.Gold, response, options, problem.Operations);
    }

    /// <summary>Labels <paramref name="response"/> against the numbers in <paramref name="question"/>
    /// and the gold answer (without the problem's operations, so without the UnstatedOperation check). Never
    /// throws for any non-null text.</summary>
    public static LabelledSolution Label(string question, long gold, string response, StepLabellerOptions? options = null) =>
        Label(question, gold, response, options, operations: null);

    private static LabelledSolution Label(string question, long gold, string response, StepLabellerOptions? options, IReadOnlyList<ArithmeticStep>? operations)
    {
        ArgumentNullException.ThrowIfNull(question);
        ArgumentNullException.ThrowIfNull(response);
        options ??= StepLabellerOptions.Default;

        var known = GivenNumbers(question);
        var seenEquations = new HashSet<(long, ArithmeticOperator?, long, long)>();
        var seenTexts = new HashSet<string>(StringComparer.Ordinal);
        var lines = new List<LabelledStep>();
        var candidates = new List<int>(); // indices into `lines` awaiting the backward pass
        Verdict? verdict = null;
        long? boxed = null;

        int lineIndex = 0;
        for (int lineStart = 0; lineStart <= response.Length; lineIndex++)
        {
            int newline = response.IndexOf('\n', lineStart);
            int end = newline < 0 ? response.Length : newline;
            int length = end - lineStart;
            if (length > 0 && response[end - 1] == '\r') length--;
            string text = response.Substring(lineStart, length);
            int thisStart = lineStart;
            lineStart = end + 1;
            if (string.IsNullOrWhiteSpace(text)) continue;

            if (verdict is null && text.Contains(BoxedMarker, StringComparison.Ordinal))
            {
                var result = MathVerifier.Verify(text, gold.ToString(CultureInfo.InvariantCulture), options.Verify);
                verdict = result.Verdict;
                boxed = ParseBoxedInteger(text);
                var (label, reason) = verdict switch
                {
                    Verdict.Correct => (StepLabel.Correct, StepReason.FinalCorrect),
                    Verdict.Incorrect => (StepLabel.Incorrect, StepReason.FinalIncorrect),
                    _ => (StepLabel.Incorrect, StepReason.FinalUnverifiable),
                };
                lines.Add(new LabelledStep(lineIndex, thisStart, length, text, label, reason, IsFinalAnswer: true, IsRepeated: false, Parsed: null));
                continue;
            }

            var step = TryParse(text, out bool restatement);
            bool repeated = step is null ? !seenTexts.Add(text.Trim()) : !seenEquations.Add(Key(step, restatement));
            var (stepLabel, stepReason) = Classify(step, restatement, repeated, known);
            if (stepReason == StepReason.Progress)
            {
                // Provisional: DecideProgress turns unneeded candidates into DeadEnd.
                known.Add(step!.Result);
                candidates.Add(lines.Count);
            }
            lines.Add(new LabelledStep(lineIndex, thisStart, length, text, stepLabel, stepReason, IsFinalAnswer: false, repeated, step));
        }

        DecideProgress(lines, candidates, boxed);
        if (operations is not null && verdict != Verdict.Correct) MarkUnstatedOperations(lines, candidates, operations, GivenNumbers(question));
        return Summarise(response, lines, verdict);
    }
}
