// PatternTranslator: turns a Hugging Face / tiktoken pre-tokenizer regex (Oniguruma / Rust
// `fancy-regex` syntax) into an equivalent .NET pattern.
// The one construct .NET lacks is the possessive quantifier (`X?+`, `X*+`, `X++`, `X{n,m}+`):
// it becomes an atomic group around the quantified atom, `(?>X?)`, which has the same meaning
// (match greedily, never give back). Everything else these patterns use — `\p{L}`, `\p{N}`,
// `\s`, `(?i:…)`, look-ahead, classes — has the same syntax and meaning in .NET, with one
// difference handled elsewhere: .NET classifies UTF-16 code units, so letters outside the BMP
// are fixed by CodePointText, not by rewriting the pattern.
// It is not a general regex converter: unsupported syntax passes through unchanged.
using System.Text;

namespace ReasonRL.Text.PreTokenization;

/// <summary>Oniguruma/fancy-regex → .NET pattern translation.</summary>
public static class PatternTranslator
{
    /// <summary>Translates <paramref name="pattern"/> (possessive quantifiers → atomic groups).</summary>
    public static string Translate(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        // Work on a list of "atoms" (escape, class, group, single char) each optionally followed
        // by a quantifier; a quantifier followed by '+' wraps atom+quantifier in (?>…).
        var output = new StringBuilder(pattern.Length + 16);
        TranslateSequence(pattern, 0, pattern.Length, output);
        return output.ToString();
    }

    private static void TranslateSequence(string p, int from, int to, StringBuilder output)
    {
        int i = from;
        while (i < to)
        {
            int atomStart = output.Length;
            i = CopyAtom(p, i, to, output);
            int quantStart = i;
            i = SkipQuantifier(p, i, to);
            if (i == quantStart)
            {
                continue;
            }
            output.Append(p, quantStart, i - quantStart);
            if (i < to && p[i] == '+')
            {
                // Possessive: X<q>+ → (?>X<q>)
                output.Insert(atomStart, "(?>");
                output.Append(')');
                i++;
            }
            else if (i < to && p[i] == '?')
            {
                output.Append('?'); // lazy quantifier: same syntax in .NET
                i++;
            }
        }
    }

    // Copies one atom starting at i, translating inside groups; returns the index after it.
    private static int CopyAtom(string p, int i, int to, StringBuilder output)
    {
        char c = p[i];
        if (c == '\\')
        {
            int end = Math.Min(i + 2, to);
            // \p{…} / \P{…} / \x{…} / \u….: copy the braces or hex digits too.
            if (end < to && (p[i + 1] is 'p' or 'P' or 'x') && p[end] == '{')
            {
                end = p.IndexOf('}', end) + 1;
                if (end == 0) end = to;
            }
            output.Append(p, i, end - i);
            return end;
        }
        if (c == '[')
        {
            int end = ClassEnd(p, i, to);
            output.Append(p, i, end - i);
            return end;
        }
        if (c == '(')
        {
            int close = GroupEnd(p, i, to);
            // Copy the group's opening syntax ("(", "(?:", "(?i:", "(?=", "(?!", "(?<name>" …).
            int body = i + 1;
            if (body < to && p[body] == '?')
            {
                int colon = body + 1;
                while (colon < close && p[colon] != ':' && p[colon] != ')' &&
                       p[colon] != '=' && p[colon] != '!' && p[colon] != '>') colon++;
                body = Math.Min(colon + 1, close);
            }
            output.Append(p, i, body - i);
            TranslateSequence(p, body, close, output);
            output.Append(')');
            return close + 1;
        }
        output.Append(c);
        return i + 1;
    }

    private static int SkipQuantifier(string p, int i, int to)
    {
        if (i >= to) return i;
        if (p[i] is '?' or '*' or '+') return i + 1;
        if (p[i] == '{')
        {
            int j = i + 1;
            while (j < to && (char.IsAsciiDigit(p[j]) || p[j] == ',')) j++;
            if (j < to && p[j] == '}' && j > i + 1) return j + 1;
        }
        return i;
    }

    // Index just past the ']' closing the class that opens at i (handles escapes, nested
    // classes and a leading ']' or '^]').
    private static int ClassEnd(string p, int i, int to)
    {
        int j = i + 1;
        if (j < to && p[j] == '^') j++;
        if (j < to && p[j] == ']') j++;
        int depth = 1;
        while (j < to)
        {
            if (p[j] == '\\') j += 2;
            else if (p[j] == '[') { depth++; j++; }
            else if (p[j] == ']') { depth--; j++; if (depth == 0) return j; }
            else j++;
        }
        throw new ArgumentException($"unterminated character class starting at index {i} in pattern \"{p}\"");
    }

    // Index of the ')' closing the group that opens at i.
    private static int GroupEnd(string p, int i, int to)
    {
        int depth = 0;
        int j = i;
        while (j < to)
        {
            char c = p[j];
            if (c == '\\') { j += 2; continue; }
            if (c == '[') { j = ClassEnd(p, j, to); continue; }
            if (c == '(') depth++;
            else if (c == ')' && --depth == 0) return j;
            j++;
        }
        throw new ArgumentException($"unbalanced '(' at index {i} in pattern \"{p}\"");
    }
}
