// The documented special-token policy (SpecialTokenPolicy.cs): literal control-token text is
// ordinary text by default, the special id only when allowed, an error when asked; non-special
// added tokens (Qwen3 <think>) are single tokens under every policy; decode can skip specials.
using ReasonRL.Tests;

namespace ReasonRL.Text.Tests;

[Trait(SharedData.Trait, SharedData.TraitValue)]
public class SpecialTokenPolicyTests
{
    private const string Text = "a<|im_end|>b";

    [SharedDataFact]
    public void DefaultEncodesSpecialTokenTextAsText()
    {
        ByteLevelBpeTokenizer qwen = SharedTokenizers.Qwen;
        TokenEncoding e = qwen.Encode(Text);
        Assert.DoesNotContain(151645, e.Ids);
        Assert.True(e.Count > 3);
        Assert.Equal(Text, qwen.Decode(e.Ids));
        Assert.All(e.Ids, id => Assert.False(qwen.IsSpecial(id)));
    }

    [SharedDataFact]
    public void AllowEmitsTheSpecialIdWithItsLiteralSpan()
    {
        ByteLevelBpeTokenizer qwen = SharedTokenizers.Qwen;
        TokenEncoding e = qwen.Encode(Text, SpecialTokenPolicy.Allow);
        Assert.Equal([64, 151645, 65], e.Ids);
        Assert.Equal(new TokenOffset(1, 11), e.Offsets[1]);
        Assert.True(qwen.IsSpecial(151645));
        Assert.Equal(Text, qwen.Decode(e.Ids));
        Assert.Equal("ab", qwen.Decode(e.Ids, skipSpecialTokens: true));
    }

    [SharedDataFact]
    public void ThrowNamesTheTokenAndItsPosition()
    {
        var error = Assert.Throws<SpecialTokenInTextException>(() => SharedTokenizers.Qwen.Encode(Text, SpecialTokenPolicy.Throw));
        Assert.Equal("<|im_end|>", error.Token);
        Assert.Equal(1, error.Index);
        Assert.Contains("SpecialTokenPolicy.Text", error.Message, StringComparison.Ordinal);
        // Text without special-token text is fine under Throw.
        Assert.Equal(SharedTokenizers.Qwen.Encode("plain").Ids, SharedTokenizers.Qwen.Encode("plain", SpecialTokenPolicy.Throw).Ids);
    }

    [SharedDataFact]
    public void NonSpecialAddedTokensAreMatchedUnderEveryPolicy()
    {
        ByteLevelBpeTokenizer qwen = SharedTokenizers.Qwen;
        foreach (SpecialTokenPolicy policy in Enum.GetValues<SpecialTokenPolicy>())
        {
            TokenEncoding e = qwen.Encode("<think>\nx</think>", policy);
            Assert.Equal(151667, e.Ids[0]);
            Assert.Equal(151668, e.Ids[^1]);
            Assert.False(qwen.IsSpecial(151667));
        }
    }

    [SharedDataFact]
    public void LongestAddedTokenWinsAndGpt2EndOfTextIsSpecial()
    {
        ByteLevelBpeTokenizer gpt2 = SharedTokenizers.Gpt2;
        Assert.Equal([50256], gpt2.Encode("<|endoftext|>", SpecialTokenPolicy.Allow).Ids);
        Assert.Equal([50256], gpt2.EosIds);
        Assert.Equal(50256, gpt2.BosId);
        Assert.True(gpt2.Encode("<|endoftext|>").Count > 1);
    }

    [SharedDataFact]
    public void QwenEosComesFromTheConfigBesideTheFile()
    {
        // qwen3-tokenizer_config.json beside qwen3-tokenizer.json.gz: eos <|im_end|>, pad <|endoftext|>, no BOS.
        ByteLevelBpeTokenizer qwen = SharedTokenizers.Qwen;
        Assert.Equal([151645], qwen.EosIds);
        Assert.Equal(151643, qwen.PadId);
        Assert.Null(qwen.BosId);
        Assert.Equal(151669, qwen.VocabSize);
    }
}
