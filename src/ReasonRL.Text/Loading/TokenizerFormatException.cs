// TokenizerFormatException: a tokenizer file (tokenizer.json, GGUF) is malformed or uses a
// feature this library does not implement. The message names the file, the field and the
// expected value (docs/conventions.md §15).
namespace ReasonRL.Text;

/// <summary>A tokenizer file could not be used; the message says which file, where and why.</summary>
public sealed class TokenizerFormatException(string source, string detail)
    : FormatException($"{source}: {detail}")
{
    /// <summary>The file (or description of the source) that failed.</summary>
    public string FileName { get; } = source;
}
