// KnownPatterns: the pre-tokenizer regexes of the tokenizers this project targets, in their
// original (Hugging Face / llama.cpp) spelling and compiled at build time with [GeneratedRegex]
// (docs/conventions.md §11). A pattern read from a file that equals one of these uses the generated regex;
// any other pattern is translated (PatternTranslator) and compiled at run time with a timeout.
// The .NET spellings below are exactly PatternTranslator.Translate(original) — a test checks it.
// None of these three has a possessive quantifier, so they translate to themselves.
// References: GPT-2 encoder.py `pat`; Qwen2 tokenizer.json; Meta Llama 3 tokenizer.json
// (llama.cpp `llama-vocab.cpp` pre-tokenizer table: "gpt-2", "qwen2", "llama-bpe").
using System.Text.RegularExpressions;

namespace ReasonRL.Text.PreTokenization;

/// <summary>Named pre-tokenizer patterns with build-time compiled regexes.</summary>
public static partial class KnownPatterns
{
    /// <summary>GPT-2 (and HF ByteLevel with use_regex = true).</summary>
    public const string Gpt2 =
        @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    /// <summary>Qwen2 / Qwen2.5 / Qwen3 (single digits).</summary>
    public const string Qwen2 =
        @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    /// <summary>Llama 3 (digits in groups of up to three).</summary>
    public const string Llama3 =
        @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    /// <summary>Time limit for run-time compiled (unknown) patterns.</summary>
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(2);

    [GeneratedRegex(Gpt2, RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 2000)]
    private static partial Regex Gpt2Regex();

    [GeneratedRegex(Qwen2, RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 2000)]
    private static partial Regex Qwen2Regex();

    [GeneratedRegex(Llama3, RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 2000)]
    private static partial Regex Llama3Regex();

    /// <summary>The regex for a pattern in HF/Oniguruma syntax: a generated one when known.</summary>
    public static Regex Compile(string pattern) => pattern switch
    {
        Gpt2 => Gpt2Regex(),
        Qwen2 => Qwen2Regex(),
        Llama3 => Llama3Regex(),
        _ => new Regex(PatternTranslator.Translate(pattern),
            RegexOptions.CultureInvariant | RegexOptions.Compiled, MatchTimeout),
    };

    /// <summary>The pattern llama.cpp uses for a GGUF `tokenizer.ggml.pre` name, or null when unknown.</summary>
    public static string? ForGgufPre(string pre) => pre switch
    {
        "gpt-2" or "default" => Gpt2,
        "qwen2" => Qwen2,
        "llama-bpe" or "llama3" => Llama3,
        _ => null,
    };
}
