// MathVerifier: the public entry point. Verify(solution, gold) extracts both answers
// (AnswerExtractor), parses them (LatexLexer → LatexParser), and compares (EquivalenceChecker),
// under a deterministic per-call work Budget (wall clock only as a hang guard). It never throws
// and never turns an exhausted budget into Incorrect.
//
// Grading conventions (fixed; the hidden hard-case set is graded with exactly these):
//   • a bare comma list is an unordered list of solutions; tuples are ordered, sets are not;
//   • the last \boxed{} is the final answer unless the boxes list the roots (adjacent boxes);
//   • a percent sign may be dropped on either side (25\% ~ 25), and 25\% also equals 0.25 (VerifyOptions.Percent
//     keeps only one reading); a sign written on both sides is read the same way on both (50\% ≠ 0.5\%);
//   • units and \text{} words around a number may be dropped, but a different quantity
//     ("3 hours 20 minutes" against "3") is Incorrect;
//   • an angle in radians equals the same angle in degrees (\frac{\pi}{2} ~ 90^\circ);
//   • a decimal approximation of an exact irrational or repeating value is not equal
//     (1.414 vs \sqrt{2}, 0.3333 vs \frac{1}{3});
//   • \sqrt{x^2} is |x|, not x (variables are sampled with both signs);
//   • "x = 3" against "3" compares the value (see RelationComparer for when); a label such as
//     "\angle PQR = 40^\circ" or "m+n = 9" is its value (VerifyOptions.LabelledAnswers), a sum or
//     product of the unknowns x, y, z ("x+y = 9", "xy = 12") is not;
//   • three letters glued to math ("2xyz", "abc^2") are a product of variables, not a unit word;
//   • a repeating decimal (0.\overline{6}) is its exact rational; sets of reals compare by normal
//     form (SetAlgebra: ℝ, ℝ^+, ∅, merged unions, differences, {x | x ≠ 2}, "x ≤ -2 or x > 3",
//     "x > -1 and x ≤ 4"), and two sets of reals with different exact normal forms are different;
//   • "a=2, b=-5" in sorted name order is the tuple (2, -5); two lists of assignments match name by
//     name ("x=2, y=-5" ≠ "y=2, x=-5"); powers beyond doubles compare as r^n;
//   • number words ("twenty-one") and multiple-choice letters ("\textbf{(C) }15") are read
//     (VerifyOptions.NumberWords, VerifyOptions.MultipleChoice).
// Outcomes: unparseable gold → Unverifiable (unless the raw strings agree); unparseable
// prediction → Incorrect; no answer in the solution → Incorrect; budget, nesting limit,
// overflow → Unverifiable with the reason. Thread-safe: no shared mutable state.
using System.Diagnostics;

namespace ReasonRL.Verifier;

/// <summary>Math answer verification: extraction, parsing, equivalence, under a deterministic work budget.</summary>
public static class MathVerifier
{
    /// <summary>Grades <paramref name="solution"/> (a model's whole answer, or just its final answer)
    /// against <paramref name="gold"/>. Never throws; the verdict depends only on the inputs and options (work fuel, not
    /// wall clock, bounds the work), and the call returns within the TimeBudget hang guard.</summary>
    public static VerifyResult Verify(string solution, string gold, VerifyOptions? options = null)
    {
        // First call in a process: JIT warm-up outside the caller's budget (VerifierWarmup).
        _ = VerifierWarmup.Ready;
        return VerifyCore(solution, gold, options ?? VerifyOptions.Default);
    }

    internal static VerifyResult VerifyCore(string solution, string gold, VerifyOptions options)
    {
        long start = Stopwatch.GetTimestamp();
        string? extractedAnswer = null, extractedGold = null, normalizedAnswer = null, normalizedGold = null;
        Verdict verdict;
        string reason;
        Budget? budget = null;
        try
        {
            budget = new Budget(options.WorkBudget, options.TimeBudget);
            // Extraction scans with vectorised ordinal searches: charged one step per 64 characters.
            budget.Charge(1 + (gold ?? "").Length / 64);
            var goldExtraction = AnswerExtractor.Extract(gold ?? "", options.Gold, options);
            budget.Charge(1 + (solution ?? "").Length / 64);
            var predExtraction = AnswerExtractor.Extract(solution ?? "", options.Prediction, options);
            extractedGold = goldExtraction.Answer;
            extractedAnswer = predExtraction.Answer;
            budget.Check();
            (verdict, reason) = Decide(predExtraction, goldExtraction, options, budget,
                ref normalizedAnswer, ref normalizedGold);
        }
        catch (BudgetExceededException e)
        {
            (verdict, reason) = (Verdict.Unverifiable, e.Message);
        }
        catch (InsufficientExecutionStackException)
        {
            (verdict, reason) = (Verdict.Unverifiable, "nesting too deep for the stack");
        }
        catch (OutOfMemoryException)
        {
            (verdict, reason) = (Verdict.Unverifiable, "out of memory");
        }
#pragma warning disable CA1031 // The contract is "never throws": any bug becomes an explicit Unverifiable.
        catch (Exception e)
#pragma warning restore CA1031
        {
            (verdict, reason) = (Verdict.Unverifiable, $"internal error: {e.GetType().Name}: {e.Message}");
        }
        return new VerifyResult
        {
            Verdict = verdict,
            ExtractedAnswer = extractedAnswer,
            ExtractedGold = extractedGold,
            NormalizedAnswer = normalizedAnswer,
            NormalizedGold = normalizedGold,
            Reason = reason,
            Elapsed = Stopwatch.GetElapsedTime(start),
            WorkSpent = budget?.Spent ?? 0,
        };
    }

    private static (Verdict, string) Decide(Extraction pred, Extraction gold, VerifyOptions options, Budget budget,
        ref string? normalizedAnswer, ref string? normalizedGold)
    {
        if (gold.Answer is null || gold.Answer.Length == 0) return (Verdict.Unverifiable, "no answer found in the gold string");
        if (pred.Answer is null || pred.Answer.Length == 0) return (Verdict.Incorrect, "no answer found in the solution");
        if (gold.Answer.Length > options.MaxAnswerLength) return (Verdict.Unverifiable, $"gold answer longer than {options.MaxAnswerLength} characters");
        if (pred.Answer.Length > options.MaxAnswerLength) return (Verdict.Unverifiable, $"extracted answer longer than {options.MaxAnswerLength} characters");

        budget.Stage = "parsing";
        var goldExpr = TryParse(gold.Answer, options, budget, out var goldError);
        var predExpr = TryParse(pred.Answer, options, budget, out var predError);
        if (predExpr is null && predError is { Limit: false } && options.FallbackToLastNumber
            && AnswerExtractor.LastNumber(pred.Answer) is { } number && number != pred.Answer)
            predExpr = TryParse(number, options, budget, out _);
        if (goldExpr is not null) normalizedGold = ExprPrinter.Print(goldExpr);
        if (predExpr is not null) normalizedAnswer = ExprPrinter.Print(predExpr);

        if (goldExpr is null)
        {
            if (RawKey(gold.Answer) == RawKey(pred.Answer)) return (Verdict.Correct, "same text (gold not parseable)");
            return (Verdict.Unverifiable, $"gold answer not parseable: {goldError!.Value.Message}");
        }
        if (predExpr is null)
        {
            if (RawKey(gold.Answer) == RawKey(pred.Answer)) return (Verdict.Correct, "same text");
            return predError!.Value.Limit
                ? (Verdict.Unverifiable, $"answer hit a limit: {predError.Value.Message}")
                : (Verdict.Incorrect, $"answer not parseable: {predError.Value.Message}");
        }
        // Identical canonical prints are equal (huge numbers print abbreviated, so they are compared exactly instead).
        if (normalizedGold == normalizedAnswer && !normalizedGold!.Contains("big#", StringComparison.Ordinal))
            return (Verdict.Correct, $"same normal form ({pred.Method})");
        budget.Stage = "comparison";
        var result = new EquivalenceChecker(options, budget).Compare(predExpr, goldExpr);
        return result.Outcome switch
        {
            Outcome.Equal => (Verdict.Correct, $"{result.Reason} ({pred.Method})"),
            Outcome.NotEqual => (Verdict.Incorrect, $"{result.Reason} ({pred.Method})"),
            _ => (Verdict.Unverifiable, result.Reason),
        };
    }

    private readonly record struct ParseError(string Message, bool Limit);

    private static Expr? TryParse(string answer, VerifyOptions options, Budget budget, out ParseError? error)
    {
        error = null;
        // "\textbf{(C) }15", "(C)": a choice letter, with its value when one is written (VerifyOptions.MultipleChoice).
        if (options.MultipleChoice && ChoiceAnswer.TryRead(answer, out char letter, out string rest))
        {
            budget.Charge(1 + answer.Length / 16);
            if (rest.Length == 0) return new ChoiceExpr(letter, null);
            if (ParseOrNull(rest, options, budget, out _) is { } value) return new ChoiceExpr(letter, value);
        }
        // "seven", "twenty-one", "one half": English number words (VerifyOptions.NumberWords).
        if (options.NumberWords)
        {
            budget.Charge(1 + answer.Length / 16);
            if (NumberWords.TryParse(answer) is { } words) return new NumberExpr(words, false);
        }
        return ParseOrNull(answer, options, budget, out error);
    }

    private static Expr? ParseOrNull(string answer, VerifyOptions options, Budget budget, out ParseError? error)
    {
        error = null;
        try
        {
            return LatexParser.Parse(answer, budget, options.MaxNestingDepth);
        }
        catch (ParseException e)
        {
            error = new ParseError(e.Message, e.IsLimit);
        }
        catch (LexException e)
        {
            error = new ParseError(e.Message, false);
        }
        catch (FormatException e)
        {
            error = new ParseError(e.Message, false);
        }
        catch (OverflowException e)
        {
            error = new ParseError(e.Message, true);
        }
        return null;
    }

    /// <summary>Raw comparison key: no whitespace, no $ and no \left/\right.</summary>
    private static string RawKey(string s) => string.Concat(s.Replace("\\left", "", StringComparison.Ordinal)
        .Replace("\\right", "", StringComparison.Ordinal).Where(c => !char.IsWhiteSpace(c) && c != '$'));
}
