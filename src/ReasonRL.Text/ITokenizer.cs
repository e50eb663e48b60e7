// ITokenizer: the one interface every ReasonRL tokenizer implements (byte-level BPE from
// tokenizer.json or GGUF, the character tokenizer for synthetic tasks).
// It is not a chat template (see Chat/) and never adds BOS/EOS by itself: Encode(text) is
// Hugging Face `tokenizer.encode(text, add_special_tokens=False)`; callers add BOS/EOS ids.
// References: Hugging Face tokenizers `Tokenizer::encode` / `decode`; tiktoken `encode_ordinary`.
namespace ReasonRL.Text;

/// <summary>
/// Text ↔ token ids with character offsets.
/// <para><b>Offsets.</b> <see cref="TokenEncoding.Offsets"/>[k] is the half-open span
/// [Start, End) of UTF-16 indices <i>into the string passed to Encode</i> that token k came from:
/// the smallest span covering every input char that contributed at least one byte to the token.
/// Consequences, stated precisely: (1) a token holding only part of a multi-byte character (for
/// example the first two of the four UTF-8 bytes of 😀) gets the whole character's span, so two
/// neighbouring tokens may share that character and their spans overlap by it; (2) when the
/// normalizer (e.g. NFC) changed the text, each normalized character maps to the whole input
/// segment it was produced from (a starter plus the combining marks after it, see
/// <see cref="Normalization.NormalizedText"/>),
/// so a token's span always starts and ends on input-cluster boundaries; (3) an added/special
/// token recognised in the text spans its literal content; (4) spans never decrease: Start[k] ≤
/// Start[k+1] and End[k] ≤ End[k+1]; for NFC-stable text without split characters they tile the
/// input exactly (End[k] == Start[k+1], first Start 0, last End text.Length).</para>
/// <para><b>Special tokens.</b> See <see cref="SpecialTokenPolicy"/>: by default a literal
/// "&lt;|im_end|&gt;" typed in user text is encoded as ordinary text, never as the control token.</para>
/// </summary>
public interface ITokenizer
{
    /// <summary>Number of ids (regular + added tokens); every id is in [0, VocabSize).</summary>
    int VocabSize { get; }

    /// <summary>Ids that end a generation (e.g. Qwen: &lt;|im_end|&gt;, &lt;|endoftext|&gt;); may be empty.</summary>
    IReadOnlyList<int> EosIds { get; }

    /// <summary>Beginning-of-sequence id, or null when the model has none (Qwen).</summary>
    int? BosId { get; }

    /// <summary>Padding id, or null when none is defined.</summary>
    int? PadId { get; }

    /// <summary>Added tokens (special and not), as listed by the tokenizer file.</summary>
    IReadOnlyList<AddedToken> AddedTokens { get; }

    /// <summary>Encodes <paramref name="text"/> into ids and per-token character offsets.</summary>
    /// <param name="text">Any UTF-16 string (lone surrogates are encoded as U+FFFD's bytes).</param>
    /// <param name="policy">What a literal special token in the text means (default: plain text).</param>
    TokenEncoding Encode(string text, SpecialTokenPolicy policy = SpecialTokenPolicy.Text);

    /// <summary>Inverse of Encode: concatenates the tokens' bytes and decodes them as UTF-8
    /// (invalid sequences become U+FFFD). Decode(Encode(x).Ids) == x for any NFC-stable x without
    /// lone surrogates (for byte-level BPE; for a normalizing tokenizer, == Normalize(x)).</summary>
    /// <param name="ids">Token ids, each in [0, VocabSize).</param>
    /// <param name="skipSpecialTokens">Drop special (control) tokens from the output.</param>
    string Decode(ReadOnlySpan<int> ids, bool skipSpecialTokens = false);

    /// <summary>The vocabulary string of an id (byte-level form for BPE, e.g. "Ġthe"); for display.</summary>
    string IdToToken(int id);

    /// <summary>The id of a vocabulary string (byte-level form for BPE), or null.</summary>
    int? TokenToId(string token);

    /// <summary>True when <paramref name="id"/> is a special (control) token.</summary>
    bool IsSpecial(int id);
}
