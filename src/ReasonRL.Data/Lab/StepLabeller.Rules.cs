// StepLabeller.Rules: the line grammar and the labelling rules of StepLabeller (the definitions are
// in StepLabeller.cs's header). Not a general arithmetic parser: only `a op b = c` and `a = c` over
// ASCII digits (Unicode digits are deliberately not numbers here, so `١٢ + 7 = 19` is Unparsable).
using ReasonRL.Verifier;
using System.Globalization;
using System.Text.RegularExpressions;

namespace ReasonRL.Data.Lab;

public static partial class StepLabeller
{
    // 18 digits keep every number inside long; longer digit runs make the line Unparsable.
    [GeneratedRegex(@"^\s*(?<a>[0-9]{1,18})\s*(?<op>[-+*/])\s*(?<b>[0-9]{1,18})\s*=\s*(?<c>[0-9]{1,18})\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex EquationRegex();

    [GeneratedRegex(@"^\s*(?<a>[0-9]{1,18})\s*=\s*(?<c>[0-9]{1,18})\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex RestatementRegex();

    [GeneratedRegex(@"\\boxed\s*\{\s*(?<n>[0-9]{1,18})\s*\}", RegexOptions.CultureInvariant)]
    private static partial Regex BoxedIntegerRegex();

    [GeneratedRegex(@"(?<![0-9])[0-9]{1,18}(?![0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex NumberRegex();

    /// <summary>The equation on a line, or null when the line is not `a op b = c` / `a = c`.
    /// A restatement `a = c` comes back as <c>a + 0 = c</c> with <paramref name="restatement"/> true.</summary>
    internal static ArithmeticStep? TryParse(string line, out bool restatement)
    {
        restatement = false;
        var m = EquationRegex().Match(line);
        if (m.Success)
        {
            var op = m.Groups["op"].ValueSpan[0] switch
            {
                '+' => ArithmeticOperator.Add,
                '-' => ArithmeticOperator.Subtract,
                '*' => ArithmeticOperator.Multiply,
                _ => ArithmeticOperator.Divide,
            };
            return new ArithmeticStep(ParseLong(m, "a"), op, ParseLong(m, "b"), ParseLong(m, "c"));
        }
        m = RestatementRegex().Match(line);
        if (!m.Success) return null;
        restatement = true;
        return new ArithmeticStep(ParseLong(m, "a"), ArithmeticOperator.Add, 0, ParseLong(m, "c"));
    }

    private static long ParseLong(Match m, string group) =>
        long.Parse(m.Groups[group].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture);

    private static (long, ArithmeticOperator?, long, long) Key(ArithmeticStep step, bool restatement)
    {
        if (restatement) return (step.Left, null, 0, step.Result);
        bool commutative = step.Operator is ArithmeticOperator.Add or ArithmeticOperator.Multiply;
        long a = step.Left, b = step.Right;
        if (commutative && b < a) (a, b) = (b, a);
        return (a, step.Operator, b, step.Result);
    }

    private static (StepLabel, StepReason) Classify(ArithmeticStep? step, bool restatement, bool repeated, HashSet<long> known)
    {
        if (step is null) return (StepLabel.Incorrect, StepReason.Unparsable);
        bool arithmeticRight = step.IsArithmeticCorrect; // a = c is held as a + 0 = c
        if (!arithmeticRight) return (StepLabel.Incorrect, StepReason.WrongArithmetic);
        if (!known.Contains(step.Left) || (!restatement && !known.Contains(step.Right)))
        {
            return (StepLabel.Incorrect, StepReason.UnknownOperand);
        }
        if (restatement) return (StepLabel.Unnecessary, StepReason.Restatement);
        if (repeated) return (StepLabel.Unnecessary, StepReason.Repeat);
        if (known.Contains(step.Result)) return (StepLabel.Unnecessary, StepReason.KnownResult);
        return (StepLabel.Correct, StepReason.Progress);
    }

    private static void DecideProgress(List<LabelledStep> lines, List<int> candidates, long? boxed)
    {
        if (candidates.Count == 0) return;
        var needed = new HashSet<long>();
        if (boxed is long b && candidates.Exists(c => lines[c].Parsed!.Result == b)) needed.Add(b);
        else needed.Add(lines[candidates[^1]].Parsed!.Result);
        for (int i = candidates.Count - 1; i >= 0; i--)
        {
            var line = lines[candidates[i]];
            var step = line.Parsed!;
            if (needed.Contains(step.Result))
            {
                needed.Add(step.Left);
                needed.Add(step.Right);
            }
            else
            {
                lines[candidates[i]] = line with { Label = StepLabel.Unnecessary, Reason = StepReason.DeadEnd };
            }
        }
    }

    /// <summary>The UnstatedOperation rule (file header of StepLabeller.cs): Progress lines in order must each use one of
    /// the question's operations not yet used; a line that does not, and a later Progress line using its result, become
    /// Incorrect(UnstatedOperation).</summary>
    private static void MarkUnstatedOperations(List<LabelledStep> lines, List<int> candidates, IReadOnlyList<ArithmeticStep> operations, HashSet<long> given)
    {
        var unused = operations.Select(o => (o.Operator, o.Right)).ToList();
        var tainted = new HashSet<long>();
        foreach (var index in candidates)
        {
            var line = lines[index];
            if (line.Reason != StepReason.Progress) continue;
            var step = line.Parsed!;
            bool onTainted = (tainted.Contains(step.Left) && !given.Contains(step.Left)) || (tainted.Contains(step.Right) && !given.Contains(step.Right));
            int match = onTainted ? -1 : unused.IndexOf((step.Operator, step.Right));
            if (match < 0 && !onTainted && step.Operator is ArithmeticOperator.Add or ArithmeticOperator.Multiply)
            {
                match = unused.IndexOf((step.Operator, step.Left));
            }
            if (match >= 0)
            {
                unused.RemoveAt(match);
                continue;
            }
            tainted.Add(step.Result);
            lines[index] = line with { Label = StepLabel.Incorrect, Reason = StepReason.UnstatedOperation };
        }
    }

    private static HashSet<long> GivenNumbers(string question)
    {
        var numbers = new HashSet<long>();
        foreach (var m in NumberRegex().EnumerateMatches(question))
        {
            numbers.Add(long.Parse(question.AsSpan(m.Index, m.Length), NumberStyles.None, CultureInfo.InvariantCulture));
        }
        return numbers;
    }

    private static long? ParseBoxedInteger(string line)
    {
        var m = BoxedIntegerRegex().Match(line);
        return m.Success ? ParseLong(m, "n") : null;
    }

    private static LabelledSolution Summarise(string response, List<LabelledStep> lines, Verdict? verdict)
    {
        int steps = 0, correct = 0, unnecessary = 0, incorrect = 0, repeated = 0;
        foreach (var line in lines)
        {
            if (line.IsFinalAnswer) continue;
            steps++;
            if (line.IsRepeated) repeated++;
            switch (line.Label)
            {
                case StepLabel.Correct: correct++; break;
                case StepLabel.Unnecessary: unnecessary++; break;
                default: incorrect++; break;
            }
        }
        return new LabelledSolution
        {
            Response = response,
            Lines = lines,
            StepCount = steps,
            CorrectCount = correct,
            UnnecessaryCount = unnecessary,
            IncorrectCount = incorrect,
            RepeatedStepCount = repeated,
            FinalVerdict = verdict,
            IsTruncated = verdict is null,
        };
    }
}
