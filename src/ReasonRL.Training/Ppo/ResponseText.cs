// ResponseText: sampled response ids → the response text the reward layer reads, plus each token's
// exact character range in that text. Offsets come from cumulative decoding: c_k = the length of the
// longest common prefix of Decode(ids[..k+1]) and the full text, made non-decreasing; token k spans
// [c_{k−1}, c_k). A byte-level BPE token that only starts a multi-byte character (its prefix decodes
// to U+FFFD) gets an empty range and the token completing the character gets the character, which
// is what StepTokenMap expects; special tokens (EOS) decode to nothing and get an empty range at the end.
// Fast path, O(T): when the tokens decoded one by one concatenate to the full text (every token holds
// whole characters: always for CharTokenizer, usually for BPE) token k spans its own piece; otherwise
// the cumulative rule above, O(T²) characters (T ≤ a few hundred).
// What it is not: a tokenizer.
using ReasonRL.Text;
using TokenOffset = ReasonRL.Rewards.Steps.TokenOffset;

namespace ReasonRL.Training.Ppo;

/// <summary>Response decoding with exact per-token offsets.</summary>
public static class ResponseText
{
    /// <summary>Decodes <paramref name="ids"/> (special tokens skipped) and returns the text and [T] offsets.</summary>
    public static (string Text, TokenOffset[] Offsets) Decode(ITokenizer tokenizer, ReadOnlySpan<int> ids)
    {
        string text = tokenizer.Decode(ids, skipSpecialTokens: true);
        var offsets = new TokenOffset[ids.Length];
        if (TryPiecewise(tokenizer, ids, text, offsets)) return (text, offsets);
        int previous = 0;
        for (int k = 0; k < ids.Length; k++)
        {
            int complete = k == ids.Length - 1 ? text.Length : CommonPrefix(tokenizer.Decode(ids[..(k + 1)], skipSpecialTokens: true), text);
            complete = Math.Max(complete, previous);
            offsets[k] = new TokenOffset(previous, complete);
            previous = complete;
        }
        return (text, offsets);
    }

    /// <summary>Offsets from one-token decodes when they tile <paramref name="text"/> exactly; false otherwise.</summary>
    private static bool TryPiecewise(ITokenizer tokenizer, ReadOnlySpan<int> ids, string text, TokenOffset[] offsets)
    {
        int at = 0;
        for (int k = 0; k < ids.Length; k++)
        {
            string piece = tokenizer.Decode(ids.Slice(k, 1), skipSpecialTokens: true);
            if (at + piece.Length > text.Length || !text.AsSpan(at, piece.Length).SequenceEqual(piece)) return false;
            offsets[k] = new TokenOffset(at, at + piece.Length);
            at += piece.Length;
        }
        return at == text.Length;
    }

    private static int CommonPrefix(string a, string b) => a.AsSpan().CommonPrefixLength(b.AsSpan());
}
