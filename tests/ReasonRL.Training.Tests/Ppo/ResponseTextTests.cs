// ResponseText: decoded text and per-token offsets are exact — they tile the text, never decrease,
// give special tokens (EOS) an empty range at the end, and with byte-level BPE give a token that
// only starts a multi-byte character an empty range and the completing token the character; step
// ends mapped through StepTokenMap land on the token that writes each step's last character.
using ReasonRL.Rewards.Steps;
using ReasonRL.Tests;
using ReasonRL.Text;
using ReasonRL.Training.Ppo;
using Xunit;
using TokenOffset = ReasonRL.Rewards.Steps.TokenOffset;

namespace ReasonRL.Training.Tests.Ppo;

public sealed class ResponseTextTests
{
    private static void AssertExact(ITokenizer tokenizer, int[] ids, string expectedText)
    {
        var (text, offsets) = ResponseText.Decode(tokenizer, ids);
        Assert.Equal(expectedText, text);
        Assert.Equal(ids.Length, offsets.Length);
        Assert.Equal(0, offsets[0].Start);
        Assert.Equal(text.Length, offsets[^1].End);
        for (int k = 0; k < offsets.Length; k++)
        {
            if (k > 0) Assert.Equal(offsets[k - 1].End, offsets[k].Start);   // tiling, non-decreasing
            // every character up to End is already final after token k
            Assert.StartsWith(text[..offsets[k].End], tokenizer.Decode(ids.AsSpan(0, k + 1), skipSpecialTokens: true), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void CharTokenizerOffsetsAreOneCharacterPerTokenAndEosIsEmpty()
    {
        var tok = PpoTestKit.Tokenizer;
        int[] ids = [.. tok.Encode("ab\nba").Ids, tok.EosIds[0]];
        AssertExact(tok, ids, "ab\nba");
        var (_, offsets) = ResponseText.Decode(tok, ids);
        Assert.Equal(new TokenOffset(2, 3), offsets[2]);
        Assert.Equal(new TokenOffset(5, 5), offsets[^1]);
        // steps "ab\n" and "ba": their ends are tokens 2 ('\n') and 4 ('a'), never the EOS
        Assert.Equal([2, 4], StepTokenMap.StepEndTokens([new StepSpan(0, 3), new StepSpan(3, 5)], offsets));
    }

    [SharedDataFact]
    [Trait(SharedData.Trait, SharedData.TraitValue)]
    public void ByteLevelBpeOffsetsAreExactAcrossMultiByteCharacters()
    {
        var qwen = TokenizerLoader.Load(SharedData.PathOf("data/tokenizer/qwen3-tokenizer.json.gz"));
        const string text = "Step 1: x² = 4 ⇒ x = ±2 😀\nStep 2: so the answer is \\boxed{2}.";
        int[] ids = [.. qwen.Encode(text).Ids, qwen.EosIds[0]];
        AssertExact(qwen, ids, text);
        // some token of the emoji is a partial character: it must carry an empty range
        var (_, offsets) = ResponseText.Decode(qwen, ids);
        int emoji = text.IndexOf("😀", StringComparison.Ordinal);
        var covering = Enumerable.Range(0, ids.Length).Where(k => offsets[k].End > emoji && offsets[k].Start <= emoji).ToList();
        Assert.Single(covering);
        Assert.Equal(emoji + 2, offsets[covering[0]].End);
        // an ASCII response (every token whole characters: the one-token-decode fast path) obeys the same rules
        const string ascii = "Step 1: 3 + 4 = 7\nStep 2: so the answer is \\boxed{7}.";
        AssertExact(qwen, [.. qwen.Encode(ascii).Ids, qwen.EosIds[0]], ascii);
        var steps = new StepSplitter(StepSplitOptions.Lines).Split(text);
        var ends = StepTokenMap.StepEndTokens(steps, offsets);
        for (int k = 0; k < steps.Length; k++)
            Assert.InRange(steps[k].End, offsets[ends[k]].Start + 1, offsets[ends[k]].End);   // the token writing the step's last character
    }
}
