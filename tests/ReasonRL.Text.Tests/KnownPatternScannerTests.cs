// The hand-written scanners must split exactly like the regexes they replace: every shared
// GSM8K/MATH text and the golden-vector texts, plus random strings over a pool of the
// characters where the patterns' branches differ (contractions in both cases, CR/LF/tab/NEL/
// NBSP runs, digits of several scripts, letters and digits outside the BMP, emoji, marks,
// lone surrogates).
using ReasonRL.Tests;
using ReasonRL.Text.PreTokenization;

namespace ReasonRL.Text.Tests;

public class KnownPatternScannerTests
{
    public static TheoryData<string> Patterns => new() { KnownPatterns.Gpt2, KnownPatterns.Qwen2, KnownPatterns.Llama3 };

    private static readonly string[] Pool =
    [
        "'", "s", "S", "t", "re", "RE", "ve", "m", "ll", "LL", "d", "D", "\u017F", "x", "é", "ß",
        " ", " ", " ", "  ", "\t", "\n", "\r", "\r\n", "\u0085", "\u00A0", "\u3000", "\u2028", "\u000B", "\u001C",
        "0", "1", "23", "\u0663", "\u00BD", "\u2167", ".", ",", "$", "\\", "{", "}", "+", "=", "-", "?",
        "𝑥", "𝟘", "😀", "👍🏽", "\u0301", "中", "文", "\uD800", "\uDC00", "ℵ", "_",
    ];

    [Theory]
    [MemberData(nameof(Patterns))]
    public void ScannerMatchesRegexOnRandomStrings(string pattern)
    {
        var scanner = new RegexPreTokenizer([pattern]);
        var regex = new RegexPreTokenizer([pattern], useScanner: false);
        Assert.True(scanner.UsesScanner);
        Assert.False(regex.UsesScanner);
        var random = new Random(7);
        for (int trial = 0; trial < 20_000; trial++)
        {
            int parts = random.Next(0, 12);
            string text = string.Concat(Enumerable.Range(0, parts).Select(_ => Pool[random.Next(Pool.Length)]));
            AssertSameSplit(scanner, regex, text);
        }
    }

    [SharedDataTheory]
    [Trait(SharedData.Trait, SharedData.TraitValue)]
    [MemberData(nameof(Patterns))]
    public void ScannerMatchesRegexOnEverySharedText(string pattern)
    {
        var scanner = new RegexPreTokenizer([pattern]);
        var regex = new RegexPreTokenizer([pattern], useScanner: false);
        foreach (string text in SharedTokenizers.AllTexts.Concat(SharedTokenizers.Vectors().Select(v => v.Text)))
        {
            AssertSameSplit(scanner, regex, text);
        }
    }

    private static void AssertSameSplit(RegexPreTokenizer scanner, RegexPreTokenizer regex, string text)
    {
        var fast = new List<PreToken>();
        var reference = new List<PreToken>();
        scanner.Split(text, fast);
        regex.Split(text, reference);
        if (!fast.SequenceEqual(reference))
        {
            string Show(List<PreToken> p) => string.Join(" | ", p.Select(t => Escape(text.Substring(t.Start, t.Length))));
            Assert.Fail($"split differs for \"{Escape(text)}\"\n  scanner: {Show(fast)}\n  regex:   {Show(reference)}");
        }
    }

    private static string Escape(string s) =>
        string.Concat(s.Select(c => c < 0x20 || c is '\u0085' or '\u00A0' || char.IsSurrogate(c) ? $"\\u{(int)c:X4}" : c.ToString()));
}
