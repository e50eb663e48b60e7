// Pattern translation (possessive → atomic) and code-point matching of the regex pre-tokenizer.
using ReasonRL.Text.PreTokenization;
using System.Text.RegularExpressions;

namespace ReasonRL.Text.Tests;

public class PreTokenizerTests
{
    [Theory]
    [InlineData(@"a?+b", @"(?>a?)b")]
    [InlineData(@"\p{L}++", @"(?>\p{L}+)")]
    [InlineData(@"[^\s\p{L}]*+x", @"(?>[^\s\p{L}]*)x")]
    [InlineData(@"(ab)++c", @"(?>(ab)+)c")]
    [InlineData(@"\p{N}{1,3}+", @"(?>\p{N}{1,3})")]
    [InlineData(@"(?i:'s|'t)|x+?", @"(?i:'s|'t)|x+?")]
    [InlineData(@"[a+]+", @"[a+]+")]
    [InlineData(@"\++", @"\++")]
    public void PossessiveQuantifiersBecomeAtomicGroups(string hf, string dotnet) =>
        Assert.Equal(dotnet, PatternTranslator.Translate(hf));

    [Theory]
    [InlineData(KnownPatterns.Gpt2)]
    [InlineData(KnownPatterns.Qwen2)]
    [InlineData(KnownPatterns.Llama3)]
    public void KnownPatternsAreTheirOwnTranslation(string pattern) => Assert.Equal(pattern, PatternTranslator.Translate(pattern));

    [Fact]
    public void TiktokenStylePossessivePatternBehavesAtomically()
    {
        // `a?+` never gives its 'a' back, so "a?+ab" cannot match "ab"; the greedy form can.
        Assert.Equal(["a", "b"], Pieces(new RegexPreTokenizer([@"a?+ab|."]), "ab"));
        Assert.Equal(["ab"], Pieces(new RegexPreTokenizer([@"a?ab|."]), "ab"));
    }

    [Fact]
    public void LettersOutsideTheBmpCountAsLetters()
    {
        // 𝑥 (U+1D465) is a lowercase letter; .NET's \p{L} on UTF-16 would see two surrogates.
        const string text = "a𝑥b 𝑥²";
        Assert.DoesNotMatch(new Regex(@"^\p{L}+$"), "𝑥");
        var gpt2 = new RegexPreTokenizer([KnownPatterns.Gpt2]);
        Assert.Equal(["a𝑥b", " 𝑥", "²"], Pieces(gpt2, text));
        var qwen = new RegexPreTokenizer([KnownPatterns.Qwen2]);
        Assert.Equal(["𝟘", "𝟙", " 𝔸𝔹"], Pieces(qwen, "𝟘𝟙 𝔸𝔹")); // math digits are \p{N}, one by one
    }

    [Fact]
    public void RepresentativesHaveTheirCategory()
    {
        foreach (System.Globalization.UnicodeCategory c in Enum.GetValues<System.Globalization.UnicodeCategory>())
        {
            char r = CodePointText.Representative(c);
            Assert.False(char.IsWhiteSpace(r));
            Assert.True(r > 0x7F);
            if (c is not (System.Globalization.UnicodeCategory.SpaceSeparator or System.Globalization.UnicodeCategory.LineSeparator
                or System.Globalization.UnicodeCategory.ParagraphSeparator or System.Globalization.UnicodeCategory.Control
                or System.Globalization.UnicodeCategory.Surrogate))
            {
                Assert.Equal(c, char.GetUnicodeCategory(r));
            }
        }
    }

    [Fact]
    public void IsolatedSplitKeepsTheTextBetweenMatches()
    {
        var splitter = new RegexPreTokenizer([@"\d+"]);
        Assert.Equal(["ab", "12", "cd", "3"], Pieces(splitter, "ab12cd3"));
        var twoStages = new RegexPreTokenizer([@"\s+", @"\d"]);
        Assert.Equal(["a", "1", "2", " ", "b"], Pieces(twoStages, "a12 b"));
    }

    private static string[] Pieces(RegexPreTokenizer splitter, string text)
    {
        var pieces = new List<PreToken>();
        splitter.Split(text, pieces);
        return pieces.Select(p => text.Substring(p.Start, p.Length)).ToArray();
    }
}
