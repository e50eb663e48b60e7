// TokenOffset: the character range [Start, End) of the response text that one token decodes to,
// as a tokenizer with offsets reports it (HF tokenizers' `offsets`, our Text tokenizers on branch `text`).
// Not a tokenizer: the reward layer takes offsets as plain data so it depends on no tokenizer.
namespace ReasonRL.Rewards.Steps;

/// <summary>Character range of one response token. Byte-level BPE may give several tokens the same
/// range (pieces of one multi-byte character) and special tokens an empty range (Start == End).</summary>
public readonly record struct TokenOffset(int Start, int End)
{
    public override string ToString() => $"({Start}, {End})";
}
