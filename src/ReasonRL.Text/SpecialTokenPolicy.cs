// SpecialTokenPolicy: what a literal special-token string inside text means when encoding.
// This is the project's documented decision (docs/conventions.md §16). It is not the chat template: chat
// rendering inserts control tokens by id (Chat/ChatTemplate.cs), so message content is always
// encoded with the safe default and cannot forge a turn boundary.
// Reference: tiktoken `encode(allowed_special=..., disallowed_special=...)`; HF
// `split_special_tokens`.
namespace ReasonRL.Text;

/// <summary>
/// How <see cref="ITokenizer.Encode"/> treats the content of special (control) added tokens such as
/// "&lt;|im_end|&gt;" or "&lt;|endoftext|&gt;" when it appears literally in the text.
/// Non-special added tokens (Qwen3's "&lt;think&gt;", "&lt;tool_call&gt;": ordinary vocabulary words the
/// file marks <c>special: false</c>) are matched as single tokens under every policy, exactly as
/// Hugging Face does even with <c>split_special_tokens=True</c>.
/// </summary>
public enum SpecialTokenPolicy
{
    /// <summary>Default. Special-token text is ordinary text: "&lt;|im_end|&gt;" becomes the BPE
    /// tokens of its characters (HF <c>split_special_tokens=True</c>, tiktoken <c>encode_ordinary</c>).
    /// Safe for untrusted user/model text.</summary>
    Text = 0,

    /// <summary>Special-token text becomes the special id (HF default, tiktoken
    /// <c>allowed_special="all"</c>). Use only for trusted, pre-rendered prompts.</summary>
    Allow = 1,

    /// <summary>Special-token text raises <see cref="SpecialTokenInTextException"/>
    /// (tiktoken's default <c>disallowed_special="all"</c>).</summary>
    Throw = 2,
}

/// <summary>Raised under <see cref="SpecialTokenPolicy.Throw"/> when the text holds special-token text.</summary>
public sealed class SpecialTokenInTextException(string token, int index)
    : InvalidOperationException(
        $"text contains the special token \"{token}\" at char {index}; encode it with " +
        $"SpecialTokenPolicy.Text to treat it as text, or SpecialTokenPolicy.Allow to emit the special id")
{
    /// <summary>The special token's content.</summary>
    public string Token { get; } = token;

    /// <summary>UTF-16 index of the occurrence.</summary>
    public int Index { get; } = index;
}
