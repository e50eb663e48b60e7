// ChoiceAnswer: a multiple-choice answer "(C)", "\textbf{(C) }15", "\text{(B)} \frac{1}{2}", "(D) 7":
// a letter A–E in parentheses at the start (optionally inside \textbf{}/\text{}/\mathrm{}/\mathbf{}),
// then the choice's value, if written. Read by MathVerifier when VerifyOptions.MultipleChoice is set;
// compared by EquivalenceChecker (letters must agree; a value, where both or only one side has one,
// decides against a bare value). Not a parser of the value: the rest goes to LatexParser.
using System.Text.RegularExpressions;

namespace ReasonRL.Verifier;

/// <summary>A multiple-choice answer: its letter and, when written, its value.</summary>
internal sealed class ChoiceExpr(char letter, Expr? value) : Expr
{
    public char Letter { get; } = letter;
    public Expr? Value { get; } = value;
}

internal static partial class ChoiceAnswer
{
    // Bounded: anchored, no nested quantifiers; the value part is at most the rest of a short answer.
    [GeneratedRegex(@"^\s*(?:\\(?:textbf|text|mathrm|mathbf|textrm)\s*\{\s*)?\(\s*(?:\text(?:bf)?\s*\{\s*)?([A-E])\s*\}?\s*\)\s*(\}?)\s*(.*?)\s*$",
        RegexOptions.CultureInvariant | RegexOptions.Singleline, matchTimeoutMilliseconds: 50)]
    private static partial Regex Pattern();

    /// <summary>The letter and the remaining value text ("" when none) of a choice answer; false otherwise.</summary>
    public static bool TryRead(string answer, out char letter, out string value)
    {
        letter = default;
        value = "";
        if (answer.Length > 200 || answer.IndexOf('(') is < 0 or > 16) return false;
        var m = Pattern().Match(answer);
        if (!m.Success) return false;
        bool wrapped = answer.TrimStart().StartsWith('\\');
        var rest = m.Groups[3].Value;
        // \textbf{(C) 15}: the wrapper closes after the value instead.
        if (wrapped && m.Groups[2].Length == 0)
        {
            if (!rest.EndsWith('}')) return false;
            rest = rest[..^1].Trim();
        }
        letter = m.Groups[1].Value[0];
        value = rest.Trim().TrimStart('~').Replace("\\ ", " ", StringComparison.Ordinal).Trim();
        return true;
    }
}
