// AnswerExtractor: finds the final answer inside a whole solution, in this order:
//   1. the last \boxed{…} / \fbox{…} (nested braces; also "\boxed 5"); boxes that directly
//      precede it, separated only by commas, "and", "or", \quad or math delimiters, are joined
//      into one list ("\boxed{2} and \boxed{3}" → "2, 3": boxes that list the roots);
//   2. "final answer is …", GSM8K "#### N", "The answer is …", "Answer: …", "Final Answer: …",
//      a line "A: N" — the last such anchor wins;
//   3. the last math block \[…\], $$…$$, \(…\), $…$ (inline ones on one line);
//   4. a short string with at most two words is taken whole ("28 percent", "x = 3");
//   5. the last number, when VerifyOptions.FallbackToLastNumber is set.
// All scans are backwards from the end with ordinal IndexOf: linear time on megabyte inputs.
// Not a parser: the extracted string is parsed by LatexParser.
namespace ReasonRL.Verifier;

/// <summary>An extracted answer and the rule that found it (null Answer: nothing found).</summary>
internal readonly record struct Extraction(string? Answer, string Method);

internal static class AnswerExtractor
{
    private const int MaxJoinedBoxes = 16;

    /// <summary>How far from the end a concluding sentence ("Therefore …") is looked for, in characters.</summary>
    private const int ConcludingWindow = 2_000;

    public static Extraction Extract(string text, AnswerSource source, VerifyOptions options)
    {
        if (source == AnswerSource.Answer) return new Extraction(StripDelimiters(text.Trim()), "answer as given");
        if (source == AnswerSource.Auto && !LooksLikeSolution(text, options))
            return new Extraction(StripDelimiters(text.Trim()), "answer as given");
        int lastBox = LastBox(text, text.Length);
        if (lastBox >= 0 && Boxed(text) is { } boxed)
        {
            // "… \boxed{255} … Final Answer: The final answer is $10,455$": a closing anchor after the last box wins.
            if (Anchored(text, lastBox) is { } late) return new Extraction(late.Answer, late.Method);
            return new Extraction(boxed, "boxed");
        }
        if (Anchored(text, 0) is { } a) return new Extraction(a.Answer, a.Method);
        if (LastMathBlock(text) is { } math) return new Extraction(math, "last math block");
        var trimmed = text.Trim();
        if (trimmed.Length > 0 && trimmed.Length <= options.ShortAnswerLength && WordCount(trimmed) <= 2)
            return new Extraction(trimmed, "short answer taken whole");
        if (options.FallbackToLastNumber && Concluding(text) is { } concluded) return new Extraction(concluded, "concluding sentence");
        if (options.FallbackToLastNumber && LastNumber(text) is { } number) return new Extraction(number, "last number");
        return new Extraction(null, "no answer found");
    }

    private static bool LooksLikeSolution(string text, VerifyOptions options) =>
        text.Length > options.ShortAnswerLength
        || text.Contains("\\boxed", StringComparison.Ordinal) || text.Contains("\\fbox", StringComparison.Ordinal)
        || text.Contains("####", StringComparison.Ordinal)
        || text.Contains("answer", StringComparison.OrdinalIgnoreCase);

    /// <summary>Removes one layer of $…$, $$…$$, \(…\), \[…\] around a whole answer.</summary>
    public static string StripDelimiters(string s)
    {
        for (int pass = 0; pass < 3; pass++)
        {
            var t = s.Trim();
            if (t.Length >= 4 && t.StartsWith("$$", StringComparison.Ordinal) && t.EndsWith("$$", StringComparison.Ordinal)) s = t[2..^2];
            else if (t.Length >= 2 && t[0] == '$' && t[^1] == '$') s = t[1..^1];
            else if (t.Length >= 4 && (t.StartsWith("\\(", StringComparison.Ordinal) && t.EndsWith("\\)", StringComparison.Ordinal)
                || t.StartsWith("\\[", StringComparison.Ordinal) && t.EndsWith("\\]", StringComparison.Ordinal))) s = t[2..^2];
            else return t;
        }
        return s.Trim();
    }

    // ---- 1. boxes ------------------------------------------------------------------------

    private static string? Boxed(string text)
    {
        int pos = LastBox(text, text.Length);
        if (pos < 0) return null;
        var last = ReadBox(text, pos);
        if (last is null) return null;
        var parts = new List<string> { last.Value.Content };
        int start = pos;
        while (parts.Count < MaxJoinedBoxes)
        {
            int prev = LastBox(text, start);
            if (prev < 0) break;
            var box = ReadBox(text, prev);
            if (box is null || box.Value.End > start || !IsSeparatorGap(text.AsSpan(box.Value.End, start - box.Value.End))) break;
            parts.Add(box.Value.Content);
            start = prev;
        }
        parts.Reverse();
        return parts.Count == 1 ? parts[0] : string.Join(", ", parts);
    }

    private static int LastBox(string text, int before)
    {
        if (before <= 0) return -1;
        int a = text.LastIndexOf("\\boxed", before - 1, StringComparison.Ordinal);
        int b = text.LastIndexOf("\\fbox", before - 1, StringComparison.Ordinal);
        return Math.Max(a, b);
    }

    private static (string Content, int End)? ReadBox(string text, int pos)
    {
        int i = pos + (string.CompareOrdinal(text, pos, "\\boxed", 0, 6) == 0 ? 6 : 5);
        while (i < text.Length && text[i] == ' ') i++;
        if (i < text.Length && text[i] == '{')
        {
            int close = LatexLexer.MatchBrace(text, i, text.Length);
            if (close < 0) return null;
            return (text.Substring(i + 1, close - i - 1), close + 1);
        }
        // \boxed 5: the next run of non-space characters.
        int j = i;
        while (j < text.Length && !char.IsWhiteSpace(text[j]) && text[j] != '$') j++;
        return j > i ? (text[i..j].TrimEnd('.'), j) : null;
    }

    private static bool IsSeparatorGap(ReadOnlySpan<char> gap)
    {
        // "\boxed{1} papers and \boxed{2}": words that end in "and"/"or"/"," still list answers.
        var trimmed = gap.ToString().Replace("\\text", "", StringComparison.Ordinal).Replace("\\quad", "", StringComparison.Ordinal)
            .Trim().Trim('$', '{', '}', '\\', '(', ')', ' ');
        if (trimmed.EndsWith(" and", StringComparison.Ordinal) || trimmed.EndsWith(" or", StringComparison.Ordinal)) return true;
        var s = gap.ToString()
            .Replace("\\text", "", StringComparison.Ordinal).Replace("\\quad", "", StringComparison.Ordinal)
            .Replace("\\qquad", "", StringComparison.Ordinal).Replace("and", "", StringComparison.Ordinal)
            .Replace("or", "", StringComparison.Ordinal);
        foreach (char c in s)
            if (!(char.IsWhiteSpace(c) || c is '$' or ',' or ';' or '\\' or '(' or ')' or '[' or ']' or '{' or '}' or '&' or '.'))
                return false;
        return true;
    }

    // ---- 2. anchors ----------------------------------------------------------------------

    /// <summary>The last anchored answer at or after <paramref name="from"/>: "… answer is X",
    /// "… answer: X" (covers "The answer is", "Final Answer:", "final answer is"), "#### X", or a
    /// line "A: X". Candidates are found with ordinal (vectorised) searches for "nswer", so a
    /// megabyte of text costs microseconds; case is checked only at the candidates.</summary>
    private static (string Answer, string Method, int Position)? Anchored(string text, int from)
    {
        int best = -1, bestStart = -1;
        string method = "";
        // "answer is" / "answer:" (any case of the leading letter), the last one.
        for (int k = text.Length - 1; k >= from;)
        {
            int n = text.LastIndexOf("nswer", k, k - from + 1, StringComparison.Ordinal);
            if (n < 1 || n - 1 < from) break;
            k = n - 1;
            if (text[n - 1] is not ('a' or 'A')) continue;
            int after = n + 5;
            int i = after;
            while (i < text.Length && text[i] == ' ') i++;
            if (i < text.Length && text[i] == ':') { best = n - 1; bestStart = i + 1; method = "anchor 'answer:'"; break; }
            if (Verb(text, i) is int verbLength and > 0)
            {
                int j = i + verbLength;
                while (j < text.Length && text[j] == ' ') j++;
                if (j < text.Length && text[j] == ':') j++;
                best = n - 1;
                bestStart = j;
                method = "anchor 'answer is'";
                break;
            }
        }
        int hashes = text.Length - from < 4 ? -1 : text.LastIndexOf("####", text.Length - 1, text.Length - from, StringComparison.Ordinal);
        if (hashes > best) { best = hashes; bestStart = hashes + 4; method = "anchor '####'"; }
        // GSM8K model style: a line "A: 19".
        int lineA = text.StartsWith("A:", StringComparison.Ordinal) && from == 0 ? 0
            : text.Length - from < 3 ? -1 : text.LastIndexOf("\nA:", text.Length - 1, text.Length - from, StringComparison.Ordinal);
        if (lineA >= 0)
        {
            int at = lineA == 0 && text.StartsWith("A:", StringComparison.Ordinal) ? 0 : lineA + 1;
            if (at > best) { best = at; bestStart = at + 2; method = "anchor 'A:'"; }
        }
        if (best < 0) return null;
        var rest = TakeSentence(text, bestStart);
        if (rest.Length == 0) return null;
        return (rest, method, best);
    }

    /// <summary>Length of the verb after "answer" at <paramref name="i"/> — "is", "should be", "would be", "must be",
    /// "will be" ("the answer should be 9") — as a whole word, or 0.</summary>
    private static int Verb(string text, int i)
    {
        foreach (var verb in (ReadOnlySpan<string>)["is", "should be", "would be", "must be", "will be"])
        {
            int end = i + verb.Length;
            if (end <= text.Length && string.CompareOrdinal(text, i, verb, 0, verb.Length) == 0 && (end == text.Length || !char.IsLetter(text[end])))
                return verb.Length;
        }
        return 0;
    }

    /// <summary>Text from start to the end of its line or sentence (". " not inside a number or math).</summary>
    private static string TakeSentence(string text, int start)
    {
        int end = text.IndexOf('\n', start);
        if (end < 0) end = text.Length;
        var s = text[start..end];
        int hope = s.IndexOf("I hope", StringComparison.Ordinal);
        if (hope >= 0) s = s[..hope];
        int dollars = 0;
        for (int k = 0; k < s.Length; k++)
        {
            if (s[k] == '$') dollars++;
            if (s[k] == '.' && dollars % 2 == 0 && (k + 1 == s.Length || s[k + 1] == ' ')) { s = s[..k]; break; }
        }
        // "the answer is 9, not 4": a correction that follows the answer is not part of it.
        int not = NotClause(s);
        if (not >= 0) s = s[..not];
        s = s.Trim().TrimEnd('.', ',', ';').Trim();
        if (s.StartsWith(':')) s = s[1..].Trim();
        // "The volume of $ABCDEFGH$ is 120": a sentence, not an answer; keep what follows the last " is ".
        if (WordCount(s) > 2)
        {
            int isAt = s.LastIndexOf(" is ", StringComparison.Ordinal);
            if (isAt >= 0) s = s[(isAt + 4)..].Trim();
        }
        return StripDelimiters(StripQuotes(s));
    }

    /// <summary>Start of ", not …" / " not …" / " (not …" / " rather than …" / " instead of …" after an answer, or -1. At the very
    /// start ("not 4, it is 9") the whole anchor is discarded by the caller (an empty answer).</summary>
    private static int NotClause(string s)
    {
        // Only a value is corrected ("9, not 4"); words are not ("… is not possible" stays whole).
        if (s.StartsWith("not ", StringComparison.OrdinalIgnoreCase)) return StartsValue(s.AsSpan(4)) ? 0 : -1;
        int best = -1, after = -1;
        foreach (var marker in (ReadOnlySpan<string>)[", not ", " not ", " (not ", " rather than ", ", rather than ", " instead of ", ", instead of "])
        {
            int k = s.IndexOf(marker, StringComparison.OrdinalIgnoreCase);
            if (k >= 0 && (best < 0 || k < best)) { best = k; after = k + marker.Length; }
        }
        if (best < 0 || s.AsSpan(0, best).IndexOfAny("0123456789$\\") < 0 || !StartsValue(s.AsSpan(after))) return -1;
        return best;
    }

    private static bool StartsValue(ReadOnlySpan<char> rest)
    {
        rest = rest.TrimStart();
        return rest.Length > 0 && (char.IsAsciiDigit(rest[0]) || rest[0] is '$' or '\\' or '-' or '(' or '[' or '{');
    }

    private static string StripQuotes(string s) => s.Length >= 2 && (s[0] == '"' && s[^1] == '"') ? s[1..^1] : s;

    // ---- 3. last math block --------------------------------------------------------------

    private static string? LastMathBlock(string text)
    {
        string? best = null;
        int bestEnd = -1;
        Consider(text, "\\[", "\\]", allowNewline: true, ref best, ref bestEnd);
        Consider(text, "\\(", "\\)", allowNewline: false, ref best, ref bestEnd);
        int close = LastUnescaped(text, '$', text.Length);
        if (close > bestEnd)
        {
            bool dbl = close > 0 && text[close - 1] == '$';
            int innerEnd = dbl ? close - 1 : close;
            int open = LastUnescaped(text, '$', innerEnd);
            if (open >= 0)
            {
                int innerStart = open + 1;
                if (dbl && open > 0 && text[open - 1] == '$') { open--; }
                var content = text[innerStart..innerEnd];
                if (dbl) { best = content.Trim(); bestEnd = close; }
                else if (!content.Contains('\n')) { best = JoinedBlocks(text, open, content.Trim()); bestEnd = close; }
                else { best = null; bestEnd = close; }
            }
        }
        return string.IsNullOrWhiteSpace(best) ? null : best;
    }

    private static void Consider(string text, string open, string close, bool allowNewline, ref string? best, ref int bestEnd)
    {
        int c = text.LastIndexOf(close, StringComparison.Ordinal);
        if (c <= bestEnd || c < 0) return;
        int o = text.LastIndexOf(open, c, StringComparison.Ordinal);
        if (o < 0) return;
        var content = text[(o + open.Length)..c];
        if (!allowNewline && content.Contains('\n')) { bestEnd = c; best = null; return; }
        best = content.Trim();
        bestEnd = c;
    }

    /// <summary>"The solutions are $x = -3$ and $x = 1$": inline blocks joined by "and", "or" or a comma just before
    /// the last one (at most 8, each on one line) are one answer, the list "x = -3, x = 1"; otherwise the last block.</summary>
    private static string JoinedBlocks(string text, int open, string last)
    {
        var parts = new List<string> { last };
        for (int start = open; parts.Count < 8;)
        {
            int k = -1;
            foreach (var connective in (ReadOnlySpan<string>)[", and ", ", or ", " and ", " or ", ", "])
            {
                if (start - connective.Length >= 1 && string.CompareOrdinal(text, start - connective.Length, connective, 0, connective.Length) == 0)
                {
                    k = start - connective.Length;
                    break;
                }
            }
            if (k < 1 || text[k - 1] != '$' || (k >= 2 && text[k - 2] is '$' or '\\')) break;
            int close = k - 1;
            int previous = LastUnescaped(text, '$', close);
            if (previous < 0 || (previous > 0 && text[previous - 1] == '$')) break;
            var content = text.AsSpan(previous + 1, close - previous - 1).Trim();
            if (content.IsEmpty || content.Contains('\n')) break;
            parts.Insert(0, content.ToString());
            start = previous;
        }
        return parts.Count == 1 ? last : string.Join(", ", parts);
    }

    private static int LastUnescaped(string text, char ch, int before)
    {
        for (int k = before - 1; k >= 0; k--)
            if (text[k] == ch && (k == 0 || text[k - 1] != '\\')) return k;
        return -1;
    }

    // ---- 4./5. whole short string, last number -------------------------------------------

    private static int WordCount(string s)
    {
        int words = 0;
        for (int k = 0; k < s.Length; k++)
        {
            if (!char.IsLetter(s[k]) || (k > 0 && (char.IsLetter(s[k - 1]) || s[k - 1] == '\\'))) continue;
            int j = k;
            while (j < s.Length && char.IsLetter(s[j])) j++;
            if (j - k >= 2) words++;
        }
        return words;
    }

    /// <summary>Prose without anchors: the number that the last "therefore" / "thus" / "hence" / "in
    /// conclusion" sentence states ("Therefore she has 18 cookies, 2 more than the 16 she had" → 18):
    /// after that sentence's last '=' if it has one, else its first number. Null when there is no such
    /// sentence or it holds no number (the last number is used then).</summary>
    private static string? Concluding(string text)
    {
        int best = -1, bestEnd = -1;
        // Only the closing part of a solution can conclude it: the scan is bounded whatever the input's length.
        int from = Math.Max(0, text.Length - ConcludingWindow);
        foreach (var word in (ReadOnlySpan<string>)["therefore", "thus", "hence", "in conclusion"])
        {
            int k = text.Length == 0 ? -1 : text.LastIndexOf(word, text.Length - 1, text.Length - from, StringComparison.OrdinalIgnoreCase);
            if (k < 0 || (k > 0 && char.IsLetter(text[k - 1])) || (k + word.Length < text.Length && char.IsLetter(text[k + word.Length]))) continue;
            if (k > best) { best = k; bestEnd = k + word.Length; }
        }
        if (best < 0) return null;
        int end = bestEnd;
        while (end < text.Length && text[end] != '\n' && !(text[end] == '.' && (end + 1 == text.Length || char.IsWhiteSpace(text[end + 1])))) end++;
        var sentence = text[bestEnd..end];
        int eq = sentence.LastIndexOf('=');
        if (eq >= 0) sentence = sentence[(eq + 1)..];
        // The first number of what is left: the last number of its prefix that ends at the first digit run.
        int first = -1;
        for (int k = 0; k < sentence.Length; k++) if (char.IsAsciiDigit(sentence[k])) { first = k; break; }
        if (first < 0) return null;
        int stop = first;
        while (stop < sentence.Length && (char.IsAsciiDigit(sentence[stop])
            || (sentence[stop] is ',' or '.' or '/' && stop + 1 < sentence.Length && char.IsAsciiDigit(sentence[stop + 1])))) stop++;
        // "2.5e-3 kg": an exponent glued to the number belongs to it.
        if (ExponentEnd(sentence, stop) is int exponentEnd) stop = exponentEnd;
        return LastNumber(sentence[..stop]);
    }

    /// <summary>End of "e-3" / "E+12" / "e5" starting at <paramref name="k"/> right after a digit and not followed by
    /// a letter (2.5e-3, not 2 eggs); null otherwise.</summary>
    private static int? ExponentEnd(string s, int k)
    {
        if (k < 1 || k + 1 >= s.Length || s[k] is not ('e' or 'E') || !char.IsAsciiDigit(s[k - 1])) return null;
        int j = k + 1;
        if (s[j] is '-' or '+') j++;
        int digits = j;
        while (j < s.Length && char.IsAsciiDigit(s[j]) && j - digits < 4) j++;
        if (j == digits || (j < s.Length && (char.IsAsciiLetterOrDigit(s[j])))) return null;
        return j;
    }

    /// <summary>The last number in text: digits with ',' groups and a decimal point, optional '-'.</summary>
    public static string? LastNumber(string text)
    {
        int end = text.Length - 1;
        while (end >= 0 && !char.IsAsciiDigit(text[end])) end--;
        if (end < 0) return null;
        int start = end;
        while (start > 0 && (char.IsAsciiDigit(text[start - 1]) || ((text[start - 1] is ',' or '.') && start - 2 >= 0 && char.IsAsciiDigit(text[start - 2]))))
            start--;
        // A fraction a/b ends here: take the numerator too.
        if (start >= 2 && text[start - 1] == '/' && char.IsAsciiDigit(text[start - 2]))
        {
            start -= 2;
            while (start > 0 && char.IsAsciiDigit(text[start - 1])) start--;
        }
        if (start > 0 && text[start - 1] == '-') start--;
        // "… is 2.5e-3": the last digits are an exponent; the number starts at its mantissa.
        int mark = start - 1;
        if (mark >= 1 && text[mark] == '+') mark--;
        if (mark >= 1 && ExponentEnd(text, mark) == end + 1)
        {
            int m = mark;
            while (m > 0 && (char.IsAsciiDigit(text[m - 1]) || (text[m - 1] == '.' && m >= 2 && char.IsAsciiDigit(text[m - 2])))) m--;
            if (m > 0 && text[m - 1] == '-') m--;
            return text[m..(end + 1)];
        }
        return ScientificMantissa(text, start, end) ?? text[start..(end + 1)];
    }

    /// <summary>When the last number [start, end] is the exponent of "m × 10^e" (m \times 10^{e},
    /// m \cdot 10^{-e}, m x 10^e, m*10^e), that whole number as LaTeX; null otherwise.</summary>
    private static string? ScientificMantissa(string text, int start, int end)
    {
        int k = start - 1;
        while (k >= 0 && text[k] is '{' or ' ') k--;
        if (k < 0 || text[k] != '^') return null;
        k--;
        while (k >= 0 && text[k] == ' ') k--;
        if (k < 1 || text[k] != '0' || text[k - 1] != '1') return null;
        k -= 2;
        if (k >= 0 && char.IsAsciiDigit(text[k])) return null; // 210^5 is not 2·10^5
        while (k >= 0 && text[k] == ' ') k--;
        int opEnd = k;
        bool op = false;
        foreach (var mark in (ReadOnlySpan<string>)["\\times", "\\cdot", "×", "·", "*", "x"])
        {
            int from = opEnd - mark.Length + 1;
            if (from >= 0 && string.CompareOrdinal(text, from, mark, 0, mark.Length) == 0) { k = from - 1; op = true; break; }
        }
        if (!op) return null;
        while (k >= 0 && text[k] == ' ') k--;
        if (k < 0 || !char.IsAsciiDigit(text[k])) return null;
        int mEnd = k;
        while (k >= 0 && (char.IsAsciiDigit(text[k]) || (text[k] == '.' && k > 0 && char.IsAsciiDigit(text[k - 1])))) k--;
        if (k >= 0 && (char.IsAsciiLetter(text[k]) || text[k] == '.')) return null;
        int mStart = k + 1;
        if (k >= 0 && text[k] == '-') mStart = k;
        return string.Concat(text.AsSpan(mStart, mEnd - mStart + 1), "\\times 10^{", text.AsSpan(start, end - start + 1), "}");
    }
}
