// Loads the shared tokenizers once per test run (loading Qwen's 151k-entry vocabulary takes
// about a second) and reads the shared text corpora used by the round-trip tests.
using ReasonRL.Tests;
using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ReasonRL.Text.Tests;

/// <summary>One line of tokenizer/vectors.jsonl.</summary>
public sealed record TokenizerVector(
    [property: JsonPropertyName("tokenizer")] string Tokenizer,
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("ids")] int[] Ids,
    [property: JsonPropertyName("source")] string Source);

/// <summary>GSM8K line.</summary>
public sealed record Gsm8kRow(
    [property: JsonPropertyName("question")] string Question,
    [property: JsonPropertyName("answer")] string Answer);

/// <summary>MATH line (the fields the tests read).</summary>
public sealed record MathRow(
    [property: JsonPropertyName("problem")] string Problem,
    [property: JsonPropertyName("solution")] string Solution,
    [property: JsonPropertyName("answer")] string Answer);

[JsonSerializable(typeof(TokenizerVector))]
[JsonSerializable(typeof(Gsm8kRow))]
[JsonSerializable(typeof(MathRow))]
internal sealed partial class TestJsonContext : JsonSerializerContext;

internal static class SharedTokenizers
{
    private static readonly Lazy<ByteLevelBpeTokenizer> LazyQwen =
        new(() => TokenizerLoader.LoadByteLevel(SharedData.PathOf("data/tokenizer/qwen3-tokenizer.json.gz")));

    private static readonly Lazy<ByteLevelBpeTokenizer> LazyGpt2 =
        new(() => TokenizerLoader.LoadByteLevel(SharedData.PathOf("data/tokenizer/ggml-vocab-gpt-2.gguf")));

    private static readonly Lazy<IReadOnlyList<string>> LazyTexts = new(ReadAllTexts);

    /// <summary>Qwen3 tokenizer.json (the Qwen2 byte-level BPE + Qwen3 added tokens).</summary>
    public static ByteLevelBpeTokenizer Qwen => LazyQwen.Value;

    /// <summary>GPT-2 from the vocab-only GGUF.</summary>
    public static ByteLevelBpeTokenizer Gpt2 => LazyGpt2.Value;

    /// <summary>Every GSM8K (train+test question and answer) and MATH (test + train problem and solution) text.</summary>
    public static IReadOnlyList<string> AllTexts => LazyTexts.Value;

    public static IEnumerable<TokenizerVector> Vectors()
    {
        foreach (string line in File.ReadLines(SharedData.PathOf("data/tokenizer/vectors.jsonl")))
        {
            if (line.Length > 0) yield return JsonSerializer.Deserialize(line, TestJsonContext.Default.TokenizerVector)!;
        }
    }

    public static IEnumerable<string> Lines(string relative)
    {
        string path = SharedData.PathOf(relative);
        using Stream file = File.OpenRead(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0) yield return line;
        }
    }

    private static List<string> ReadAllTexts()
    {
        var texts = new List<string>();
        foreach (string file in (string[])["data/gsm8k/train.jsonl", "data/gsm8k/test.jsonl"])
        {
            foreach (string line in Lines(file))
            {
                Gsm8kRow row = JsonSerializer.Deserialize(line, TestJsonContext.Default.Gsm8kRow)!;
                texts.Add(row.Question);
                texts.Add(row.Answer);
            }
        }
        foreach (string file in (string[])["data/math/test.jsonl", "data/math/train.jsonl.gz"])
        {
            foreach (string line in Lines(file))
            {
                MathRow row = JsonSerializer.Deserialize(line, TestJsonContext.Default.MathRow)!;
                texts.Add(row.Problem);
                texts.Add(row.Solution);
            }
        }
        return texts;
    }
}
