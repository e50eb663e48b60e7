// NumberWords: an answer written in English number words, read as its exact value: "seven" = 7,
// "twenty-one" = 21, "one hundred and five" = 105, "negative three" = -3, "one half" = 1/2,
// "two thirds" = 2/3, "three and a half" = 7/2. The whole answer must be number words (after
// \text{}-style wrappers and a final period are removed); anything else is not a number word answer
// (ordinals alone, "a", "second", words with units are left to the parser). Used by MathVerifier when
// VerifyOptions.NumberWords is set. Not a general English parser.
using System.Numerics;

namespace ReasonRL.Verifier;

internal static class NumberWords
{
    private const int MaxWords = 12;

    /// <summary>The value of <paramref name="answer"/> when it is entirely number words, else null.</summary>
    public static BigRational? TryParse(string answer)
    {
        var text = Unwrap(answer);
        if (text.Length == 0 || text.Length > 120) return null;
        foreach (char c in text)
            if (!(char.IsAsciiLetter(c) || c is ' ' or '-')) return null;
        var words = text.ToLowerInvariant().Replace('-', ' ').Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0 || words.Length > MaxWords) return null;
        int sign = 1, at = 0;
        if (words[0] is "negative" or "minus") { sign = -1; at = 1; }
        var rest = words.AsSpan(at);
        if (rest.Length == 0) return null;
        // "three and a half", "one and one third": a whole number and a fraction.
        int and = rest.IndexOf("and");
        if (and > 0 && and + 2 <= rest.Length && Fraction(rest[(and + 1)..]) is { } tail && Whole(rest[..and]) is { } whole)
            return Signed(sign, new BigRational(whole, 1) + tail);
        if (Fraction(rest) is { } f) return Signed(sign, f);
        return Whole(rest) is { } n ? Signed(sign, new BigRational(n, 1)) : null;
    }

    private static BigRational Signed(int sign, BigRational v) => sign < 0 ? -v : v;

    private static string Unwrap(string answer)
    {
        var s = answer.Trim();
        foreach (var wrapper in (ReadOnlySpan<string>)["\\text{", "\\textbf{", "\\mathrm{", "\\textit{", "\\mbox{"])
        {
            if (s.StartsWith(wrapper, StringComparison.Ordinal) && s.EndsWith('}')) { s = s[wrapper.Length..^1].Trim(); break; }
        }
        return s.TrimEnd('.', '!').Trim();
    }

    /// <summary>"one half", "a half", "two thirds", "three quarters", "five eighths": numerator words, then a denominator word.</summary>
    private static BigRational? Fraction(ReadOnlySpan<string> words)
    {
        if (words.Length < 2) return null;
        if (Denominator(words[^1]) is not { } den) return null;
        var numWords = words[..^1];
        BigInteger num;
        if (numWords is ["a"] or ["an"]) num = 1;
        else if (Whole(numWords) is { } n) num = n;
        else return null;
        // "one thirds" / "two third" are not English; the plural must agree with the numerator (half/halves aside).
        bool plural = words[^1].EndsWith('s');
        if (num.IsOne == plural) return null;
        return new BigRational(num, den);
    }

    private static int? Denominator(string w) => w switch
    {
        "half" or "halves" => 2,
        "third" or "thirds" => 3,
        "quarter" or "quarters" or "fourth" or "fourths" => 4,
        "fifth" or "fifths" => 5,
        "sixth" or "sixths" => 6,
        "seventh" or "sevenths" => 7,
        "eighth" or "eighths" => 8,
        "ninth" or "ninths" => 9,
        "tenth" or "tenths" => 10,
        "twelfth" or "twelfths" => 12,
        "hundredth" or "hundredths" => 100,
        _ => null,
    };

    /// <summary>A whole number in words: "seven", "twenty one", "one hundred and five", "two thousand twenty".</summary>
    private static BigInteger? Whole(ReadOnlySpan<string> words)
    {
        if (words.Length == 0) return null;
        BigInteger total = 0, group = 0;
        long lastScale = long.MaxValue;
        bool any = false, lastWasAnd = false;
        foreach (var w in words)
        {
            if (w == "and")
            {
                // "and" only inside a number, after a hundred/thousand ("one hundred and five").
                if (!any || lastWasAnd) return null;
                lastWasAnd = true;
                continue;
            }
            lastWasAnd = false;
            if (Small(w) is { } small)
            {
                // "twenty one" adds; "one two", "ten one" and "twenty thirty" are not numbers.
                var tens = group % 100;
                if (tens != 0 && !(tens >= 20 && tens % 10 == 0 && small < 10)) return null;
                group += small;
            }
            else if (w == "hundred")
            {
                if (group == 0 || group >= 100) return null;
                group *= 100;
            }
            else if (Scale(w) is { } scale)
            {
                if (group == 0 || scale >= lastScale) return null;
                lastScale = scale;
                total += group * scale;
                group = 0;
            }
            else return null;
            any = true;
        }
        return any && !lastWasAnd ? total + group : null;
    }

    private static int? Small(string w) => w switch
    {
        "zero" => 0,
        "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        "eleven" => 11,
        "twelve" => 12,
        "thirteen" => 13,
        "fourteen" => 14,
        "fifteen" => 15,
        "sixteen" => 16,
        "seventeen" => 17,
        "eighteen" => 18,
        "nineteen" => 19,
        "twenty" => 20,
        "thirty" => 30,
        "forty" => 40,
        "fifty" => 50,
        "sixty" => 60,
        "seventy" => 70,
        "eighty" => 80,
        "ninety" => 90,
        _ => null,
    };

    private static long? Scale(string w) => w switch
    {
        "thousand" => 1_000,
        "million" => 1_000_000,
        "billion" => 1_000_000_000,
        _ => null,
    };
}
