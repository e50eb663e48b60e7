// ChatMl: Qwen's chat format (ChatML), rendered to text and encoded safely.
//   <|im_start|>{role}\n{content}<|im_end|>\n   per message, then, for generation,
//   <|im_start|>assistant\n
// This is what Qwen2/Qwen2.5(-Math) chat templates produce for plain system/user/assistant
// turns when the caller supplies the system message (Qwen2.5's template inserts a default
// system prompt when there is none; we never insert one silently). Qwen3's `<think>` handling
// and tool calls are not rendered.
// Encode inserts <|im_start|>/<|im_end|> by id and encodes every text piece with
// SpecialTokenPolicy.Text, so a message containing "<|im_end|>" cannot close its turn early;
// for content without special-token text the ids equal HF `tokenizer(render(messages))`.
// Reference: Qwen2.5 tokenizer_config.json `chat_template`; OpenAI ChatML.
using System.Text;

namespace ReasonRL.Text.Chat;

/// <summary>ChatML rendering and encoding.</summary>
public static class ChatMl
{
    /// <summary>Turn opener.</summary>
    public const string ImStart = "<|im_start|>";

    /// <summary>Turn closer.</summary>
    public const string ImEnd = "<|im_end|>";

    /// <summary>Renders the conversation as text (for display, logs, and HF parity tests).</summary>
    public static string Render(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt)
    {
        var text = new StringBuilder();
        foreach ((bool control, string piece) in Pieces(messages, addGenerationPrompt)) text.Append(piece);
        return text.ToString();
    }

    /// <summary>Encodes the conversation; offsets index into <see cref="Render"/>'s string.</summary>
    /// <exception cref="InvalidOperationException">The tokenizer has no &lt;|im_start|&gt;/&lt;|im_end|&gt; token.</exception>
    public static TokenEncoding Encode(ITokenizer tokenizer, IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        int start = RequireId(tokenizer, ImStart);
        int end = RequireId(tokenizer, ImEnd);
        var ids = new List<int>();
        var offsets = new List<TokenOffset>();
        int position = 0;
        foreach ((bool control, string piece) in Pieces(messages, addGenerationPrompt))
        {
            if (control)
            {
                ids.Add(piece == ImStart ? start : end);
                offsets.Add(new TokenOffset(position, position + piece.Length));
            }
            else
            {
                TokenEncoding e = tokenizer.Encode(piece, SpecialTokenPolicy.Text);
                ids.AddRange(e.Ids);
                foreach (TokenOffset o in e.Offsets) offsets.Add(new TokenOffset(position + o.Start, position + o.End));
            }
            position += piece.Length;
        }
        return new TokenEncoding(ids.ToArray(), offsets.ToArray());
    }

    // The rendered conversation as alternating control tokens and maximal text pieces (text
    // between two control tokens is one piece, exactly as the added-token split would cut it).
    private static IEnumerable<(bool Control, string Piece)> Pieces(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt)
    {
        ArgumentNullException.ThrowIfNull(messages);
        for (int i = 0; i < messages.Count; i++)
        {
            yield return (true, ImStart);
            yield return (false, messages[i].RoleName + "\n" + messages[i].Content);
            yield return (true, ImEnd);
            if (i + 1 < messages.Count || addGenerationPrompt) yield return (false, "\n");
        }
        if (addGenerationPrompt)
        {
            yield return (true, ImStart);
            yield return (false, "assistant\n");
        }
        else if (messages.Count > 0)
        {
            yield return (false, "\n");
        }
    }

    private static int RequireId(ITokenizer tokenizer, string token) =>
        tokenizer.TokenToId(token) ?? throw new InvalidOperationException(
            $"the tokenizer has no \"{token}\" token; ChatML needs a Qwen-style vocabulary");
}
