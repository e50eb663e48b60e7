// PromptIds: the prompt convention [BOS?] + encoding, for a tokenizer with a BOS id and one without.
namespace ReasonRL.Text.Tests;

public sealed class PromptIdsTests
{
    [Fact]
    public void Prepends_bos_when_the_tokenizer_has_one()
    {
        var tok = new CharTokenizer("0123456789+= \n");
        Assert.Equal(1, tok.BosId);
        int[] encoded = tok.Encode("1+2=").Ids;
        Assert.Equal([1, .. encoded], PromptIds.Of(tok, "1+2="));
        Assert.Equal([1, .. encoded], PromptIds.Of(tok, encoded));
        Assert.Equal([1], PromptIds.Of(tok, ""));
    }

    [Fact]
    public void Is_the_plain_encoding_without_bos()
    {
        var tok = new CharTokenizer("ab", ["<pad>", "<eos>"]);
        Assert.Null(tok.BosId);
        Assert.Equal(tok.Encode("abba").Ids, PromptIds.Of(tok, "abba"));
        Assert.Empty(PromptIds.Of(tok, ""));
    }
}
