// AddedToken: one entry of tokenizer.json `added_tokens` (or a GGUF control/user-defined token).
// Not supported (rejected at load): lstrip / rstrip / single_word = true, which none of the
// Qwen2/2.5/3, GPT-2 or Llama 3 files use. WriteJson writes the entry back in Hugging Face's form.
using System.Text.Json;

namespace ReasonRL.Text;

/// <summary>A token matched as a whole before normalization and pre-tokenization.</summary>
/// <param name="Id">Its id.</param>
/// <param name="Content">The literal text, e.g. "&lt;|im_start|&gt;".</param>
/// <param name="Special">True for control tokens (governed by <see cref="SpecialTokenPolicy"/>).</param>
public sealed record AddedToken(int Id, string Content, bool Special)
{
    /// <summary>Writes this token as one JSON object: an `added_tokens` entry of tokenizer.json with
    /// <paramref name="withId"/>, an `added_tokens_decoder` value of tokenizer_config.json (keyed by id) without.
    /// lstrip, rstrip, single_word and normalized are false, the only values ReasonRL reads.</summary>
    public void WriteJson(Utf8JsonWriter writer, bool withId)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        if (withId) writer.WriteNumber("id", Id);
        writer.WriteString("content", Content);
        writer.WriteBoolean("single_word", false);
        writer.WriteBoolean("lstrip", false);
        writer.WriteBoolean("rstrip", false);
        writer.WriteBoolean("normalized", false);
        writer.WriteBoolean("special", Special);
        writer.WriteEndObject();
    }
}
