// AddedToken: one entry of tokenizer.json `added_tokens` (or a GGUF control/user-defined token).
// Not supported (rejected at load): lstrip / rstrip / single_word = true, which none of the
// Qwen2/2.5/3, GPT-2 or Llama 3 files use.
namespace ReasonRL.Text;

/// <summary>A token matched as a whole before normalization and pre-tokenization.</summary>
/// <param name="Id">Its id.</param>
/// <param name="Content">The literal text, e.g. "&lt;|im_start|&gt;".</param>
/// <param name="Special">True for control tokens (governed by <see cref="SpecialTokenPolicy"/>).</param>
public sealed record AddedToken(int Id, string Content, bool Special);
