// ResponseText: sampled response ids → the response text the reward layer reads, plus each token's
// exact character range in that text. Offsets come from cumulative decoding: c_k = the length of the
// longest common prefix of Decode(ids[..k+1]) and the full text, made non-decreasing; token k spans
// [c_{k−1}, c_k). A byte-level BPE token that only starts a multi-byte character (its prefix decodes
// to U+FFFD) gets an empty range and the token completing the character gets the character, which
// is what StepTokenMap expects; special tokens (EOS) decode to nothing and get an empty range at the end.
// Cost O(T²) characters per response (T ≤ a few hundred), no per-token allocations beyond the decode.
// What it is not: a tokenizer.
using TokenOffset = ReasonRL.Rewards.Steps.TokenOffset;
using ReasonRL.Text;

namespace ReasonRL.Training.Ppo;

/// <summary>Response decoding with exact per-token offsets.</summary>
public static class ResponseText
{
    /// <summary>Decodes <paramref name="ids"/> (special tokens skipped) and returns the text and [T] offsets.</summary>
    public static (string Text, TokenOffset[] Offsets) Decode(ITokenizer tokenizer, ReadOnlySpan<int> ids)
    {
        string text = tokenizer.Decode(ids, skipSpecialTokens: true);
        var offsets = new TokenOffset[ids.Length];
        int previous = 0;
        for (int k = 0; k < ids.Length; k++)
        {
            int complete = k == ids.Length - 1 ? text.Length : CommonPrefix(tokenizer.Decode(ids[..(k + 1)], skipSpecialTokens: true), text);
            complete = System.Math.Max(complete, previous);
            offsets[k] = new TokenOffset(previous, complete);
            previous = complete;
        }
        return (text, offsets);
    }

    private static int CommonPrefix(string a, string b) => a.AsSpan().CommonPrefixLength(b.AsSpan());
}
