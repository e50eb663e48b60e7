// Unicode normalization (NFC/NFD/NFKC/NFKD) against known UAX #15 examples, its algebraic
// identities over every BMP code point, and the alignment that token offsets rely on.
using ReasonRL.Tests;
using ReasonRL.Text.Normalization;

namespace ReasonRL.Text.Tests;

public class NormalizerTests
{
    private static readonly UnicodeNormalizer Nfc = new(UnicodeForm.Nfc);
    private static readonly UnicodeNormalizer Nfd = new(UnicodeForm.Nfd);
    private static readonly UnicodeNormalizer Nfkc = new(UnicodeForm.Nfkc);
    private static readonly UnicodeNormalizer Nfkd = new(UnicodeForm.Nfkd);

    // Expected values are the Unicode standard's (checked with Python's unicodedata when written).
    [Theory]
    [InlineData("e\u0301", "\u00E9", "e\u0301", "\u00E9")]
    [InlineData("\u1E0B\u0323", "\u1E0D\u0307", "d\u0323\u0307", "\u1E0D\u0307")] // canonical reordering
    [InlineData("\uAC01", "\uAC01", "\u1100\u1161\u11A8", "\uAC01")]             // Hangul LVT
    [InlineData("\u1100\u1161\u11A8", "\uAC01", "\u1100\u1161\u11A8", "\uAC01")] // Hangul composition
    [InlineData("\uFB01", "\uFB01", "\uFB01", "fi")]                             // compatibility only
    [InlineData("\u00BD", "\u00BD", "\u00BD", "1\u20442")]
    [InlineData("A\u030A\u0301", "\u01FA", "A\u030A\u0301", "\u01FA")]
    [InlineData("\u212B", "\u00C5", "A\u030A", "\u00C5")]                        // singleton decomposition
    [InlineData("\u0F73", "\u0F71\u0F72", "\u0F71\u0F72", "\u0F71\u0F72")]       // composition exclusion
    [InlineData("plain ascii", "plain ascii", "plain ascii", "plain ascii")]
    public void KnownExamples(string input, string nfc, string nfd, string nfkc)
    {
        Assert.Equal(nfc, Nfc.NormalizeString(input));
        Assert.Equal(nfd, Nfd.NormalizeString(input));
        Assert.Equal(nfkc, Nfkc.NormalizeString(input));
    }

    [Fact]
    public void IdentitiesHoldForEveryBmpCodePointAfterABase()
    {
        // For each code point c, x = "a" + c + "\u0301": NFC(NFD(x)) == NFC(x), NFD(NFC(x)) == NFD(x),
        // NFC and NFKC are idempotent, NFKC(NFKD(x)) == NFKC(x).
        var failures = new List<string>();
        for (int cp = 0x20; cp < 0x10000; cp++)
        {
            if (cp is >= 0xD800 and <= 0xDFFF) continue;
            string x = "a" + (char)cp + "\u0301";
            string c = Nfc.NormalizeString(x);
            string d = Nfd.NormalizeString(x);
            string kc = Nfkc.NormalizeString(x);
            bool ok = Nfc.NormalizeString(d) == c && Nfd.NormalizeString(c) == d && Nfc.NormalizeString(c) == c &&
                      Nfkc.NormalizeString(kc) == kc && Nfkc.NormalizeString(Nfkd.NormalizeString(x)) == kc;
            if (!ok) failures.Add($"U+{cp:X4}");
        }
        Assert.True(failures.Count == 0, $"{failures.Count} code points break an identity: {string.Join(" ", failures.Take(20))}");
    }

    [Fact]
    public void AlignmentMapsRewrittenSegmentsToTheirWholeInputSegment()
    {
        // "xe\u0301y" → "xéy": 'é' comes from input [1, 3).
        NormalizedText n = Nfc.Normalize("xe\u0301y");
        Assert.Equal("x\u00E9y", n.Text);
        Assert.Equal(new TokenOffset(0, 1), n.ToInput(0, 1));
        Assert.Equal(new TokenOffset(1, 3), n.ToInput(1, 2));
        Assert.Equal(new TokenOffset(3, 4), n.ToInput(2, 3));
        Assert.Equal(new TokenOffset(0, 4), n.ToInput(0, 3));
        // Unchanged text is returned as is (identity alignment, no copy).
        const string stable = "already NFC: café 😀";
        NormalizedText same = Nfc.Normalize(stable);
        Assert.True(same.IsIdentity);
        Assert.Same(stable, same.Text);
    }

    [Fact]
    public void TablesAreLoadedWithTheirUnicodeVersion() => Assert.Matches(@"^\d+\.\d+\.\d+$", Nfc.UnicodeVersion);

    [SharedDataFact]
    [Trait(SharedData.Trait, SharedData.TraitValue)]
    public void QwenNormalizesWithNfcAndReportsInputOffsets()
    {
        ByteLevelBpeTokenizer qwen = SharedTokenizers.Qwen;
        TokenEncoding decomposed = qwen.Encode("cafe\u0301 ok");
        TokenEncoding composed = qwen.Encode("caf\u00E9 ok");
        Assert.Equal(composed.Ids, decomposed.Ids);
        Assert.Equal("caf\u00E9 ok", qwen.Decode(decomposed.Ids)); // decode yields the NFC text
        // Offsets are in input coordinates: " ok" starts after the 5 input chars "cafe\u0301"
        // (after 4 in the composed input), and the token holding 'é' ends after the U+0301.
        Assert.Equal(new TokenOffset(5, 8), decomposed.Offsets[^1]);
        Assert.Equal(new TokenOffset(4, 7), composed.Offsets[^1]);
        Assert.Equal(5, decomposed.Offsets[^2].End);
        // GPT-2 has no normalizer: the decomposed form round-trips unchanged.
        Assert.Equal("cafe\u0301 ok", SharedTokenizers.Gpt2.Decode(SharedTokenizers.Gpt2.Encode("cafe\u0301 ok").Ids));
    }
}
