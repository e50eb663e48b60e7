// Decode(Encode(x)) == x over every GSM8K and MATH text in ../shared/data (both tokenizers),
// plus hand-picked strings outside the BMP, CJK, emoji, combining marks and whitespace runs,
// and the offset invariants the reward layer relies on (ITokenizer's offset definition).
using ReasonRL.Tests;
using ReasonRL.Text.Normalization;
using System.Diagnostics;
using Xunit.Abstractions;

namespace ReasonRL.Text.Tests;

public class RoundTripTests(ITestOutputHelper output)
{
    public static TheoryData<string> Hard => new()
    {
        "",
        "a",
        " ",
        "\n\n\n",
        "\t\n \r\n",
        "Let $𝑥 = 2$ and 𝑦 = 𝑥² (math italic letters are outside the BMP)",
        "𝑥𝑦𝑧 𝔸𝔹 𝟘𝟙𝟚",
        "你好，世界！这是一个测试。",
        "日本語のテキストと한국어 텍스트",
        "emoji 😀👍🏽 👨‍👩‍👧‍👦 🇫🇷 done",
        "café naïve résumé Ångström",
        "    leading spaces and trailing   ",
        "\\boxed{\\frac{14}{3}} and $\\sqrt{2}$",
        "1234567890 3.14159 -42 1,000,000",
        "I'm you'RE they'll we'D",
        "<|im_start|> literal special text <|im_end|><|endoftext|>",
        "ℵ₀ ∑_{i=1}^{n} ∫ ∞ ≤ ≥ ≠ ± × ÷",
        "\u200B zero width \u00A0 nbsp \u3000 ideographic space",
    };

    [SharedDataTheory]
    [Trait(SharedData.Trait, SharedData.TraitValue)]
    [MemberData(nameof(Hard))]
    public void HardStringsRoundTripInBothTokenizers(string text)
    {
        foreach (ITokenizer tokenizer in (ITokenizer[])[SharedTokenizers.Qwen, SharedTokenizers.Gpt2])
        {
            TokenEncoding e = tokenizer.Encode(text);
            Assert.Equal(text, tokenizer.Decode(e.Ids));
            OffsetInvariants.Check(text, e, tilesInput: true);
        }
    }

    [SharedDataFact]
    [Trait(SharedData.Trait, SharedData.TraitValue)]
    public void LoneSurrogatesAreEncodedAsReplacementCharacter()
    {
        // Documented on ITokenizer.Encode: a lone surrogate has no UTF-8 form; it is encoded as
        // U+FFFD's bytes (as Encoding.UTF8 and HF's Rust strings would), with its own one-char span.
        ITokenizer qwen = SharedTokenizers.Qwen;
        TokenEncoding e = qwen.Encode("a\uD800b");
        Assert.Equal("a\uFFFDb", qwen.Decode(e.Ids));
        Assert.Equal(qwen.Encode("a\uFFFDb").Ids, e.Ids);
        OffsetInvariants.Check("a\uD800b", e, tilesInput: true);
    }

    [SharedDataFact]
    [Trait(SharedData.Trait, SharedData.TraitValue)]
    public void EveryGsm8kAndMathTextRoundTrips()
    {
        IReadOnlyList<string> texts = SharedTokenizers.AllTexts;
        Assert.True(texts.Count > 2 * (7473 + 1319 + 500 + 12000) - 1, $"only {texts.Count} texts read");
        var nfc = new UnicodeNormalizer(UnicodeForm.Nfc);
        foreach ((string name, ITokenizer tokenizer) in (ReadOnlySpan<(string, ITokenizer)>)[("qwen", SharedTokenizers.Qwen), ("gpt-2", SharedTokenizers.Gpt2)])
        {
            var watch = Stopwatch.StartNew();
            long tokens = 0, chars = 0;
            int notNfc = 0;
            foreach (string text in texts)
            {
                TokenEncoding e = tokenizer.Encode(text);
                tokens += e.Count;
                chars += text.Length;
                string decoded = tokenizer.Decode(e.Ids);
                if (decoded != text)
                {
                    // Only a normalizing tokenizer may differ, and then only by normalization.
                    Assert.True(name == "qwen" && decoded == nfc.NormalizeString(text), $"{name}: round trip failed for {text[..Math.Min(80, text.Length)]}");
                    notNfc++;
                }
                OffsetInvariants.Check(text, e, tilesInput: decoded == text);
            }
            output.WriteLine($"{name}: {texts.Count} texts, {chars} chars, {tokens} tokens, {notNfc} not NFC, {watch.Elapsed.TotalSeconds:F2} s");
        }
    }
}

public class ConcurrencyTests
{
    [SharedDataFact]
    [Trait(SharedData.Trait, SharedData.TraitValue)]
    public void ParallelEncodingSharesTheCacheSafely()
    {
        // Batched generation encodes from several threads; the pre-token cache is shared.
        string[] texts = SharedTokenizers.AllTexts.Take(4000).ToArray();
        var tokenizer = TokenizerLoader.LoadByteLevel(SharedData.PathOf("data/tokenizer/ggml-vocab-gpt-2.gguf"));
        var parallel = new int[texts.Length][];
        Parallel.For(0, texts.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => parallel[i] = tokenizer.Encode(texts[i]).Ids);
        for (int i = 0; i < texts.Length; i++) Assert.Equal(SharedTokenizers.Gpt2.Encode(texts[i]).Ids, parallel[i]);
        Assert.True(tokenizer.CacheCount > 0);
    }
}

/// <summary>The offset guarantees stated on ITokenizer.</summary>
internal static class OffsetInvariants
{
    public static void Check(string text, TokenEncoding e, bool tilesInput)
    {
        // Messages are built only on failure: this runs over five million tokens.
        for (int k = 0; k < e.Count; k++)
        {
            TokenOffset o = e.Offsets[k];
            if (!(o.Start >= 0 && o.End <= text.Length && o.Start < o.End))
            {
                Assert.Fail($"token {k} span {o} outside text of length {text.Length}");
            }
            if (k == 0) continue;
            TokenOffset p = e.Offsets[k - 1];
            if (!(p.Start <= o.Start && p.End <= o.End))
            {
                Assert.Fail($"spans decrease at token {k}: {p} then {o}");
            }
            // Spans are contiguous, or overlap only by a character split between tokens.
            if (o.Start > p.End) Assert.Fail($"gap between token {k - 1} {p} and {k} {o}");
        }
        if (tilesInput && e.Count > 0)
        {
            Assert.Equal(0, e.Offsets[0].Start);
            Assert.Equal(text.Length, e.Offsets[^1].End);
        }
    }
}
