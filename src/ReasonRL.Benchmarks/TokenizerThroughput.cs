// TokenizerThroughput: the measurement behind `reasonrl bench tokenizer` — encode throughput
// of one tokenizer on a list of texts, single thread, in UTF-8 MB/s and tokens/s. Reports a
// cold pass (empty pre-token cache: every distinct word merged once) and the best of several
// warm passes (cache filled, the steady state of a training run), plus a decode pass.
// The very first pass is reported separately ("first"): on .NET it also pays for tiered JIT
// compilation (measured here: about 3x the cold-cache time); "cold" is a second pass after
// emptying the cache, so it measures cache misses with optimised code.
// Also reads the corpus (string fields of a JSONL file, gzipped or not).
// It is not a statistics package: best-of-N wall time, as llm.c / minbpe benchmarks report.
using ReasonRL.Text;
using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json;

namespace ReasonRL.Benchmarks;

/// <summary>Figures of one throughput measurement.</summary>
/// <param name="Texts">Number of texts.</param>
/// <param name="Utf8Bytes">Total UTF-8 bytes of the texts.</param>
/// <param name="Tokens">Total tokens produced.</param>
/// <param name="First">Encode time of the first pass in the process (empty cache, JIT not warmed).</param>
/// <param name="Cold">Encode time of a pass with an empty cache and warmed JIT.</param>
/// <param name="Warm">Best encode time among the warm passes.</param>
/// <param name="Decode">Decode time of all encodings (one pass).</param>
/// <param name="WarmRuns">Number of warm passes.</param>
public sealed record ThroughputResult(int Texts, long Utf8Bytes, long Tokens, TimeSpan First, TimeSpan Cold, TimeSpan Warm,
    TimeSpan Decode, int WarmRuns)
{
    /// <summary>Cold encode MB/s (10^6 UTF-8 bytes per second).</summary>
    public double ColdMegabytesPerSecond => Utf8Bytes / 1e6 / Cold.TotalSeconds;

    /// <summary>Warm encode MB/s.</summary>
    public double WarmMegabytesPerSecond => Utf8Bytes / 1e6 / Warm.TotalSeconds;

    /// <summary>Warm encode tokens/s.</summary>
    public double WarmTokensPerSecond => Tokens / Warm.TotalSeconds;

    /// <summary>Decode MB/s of output text.</summary>
    public double DecodeMegabytesPerSecond => Utf8Bytes / 1e6 / Decode.TotalSeconds;
}

/// <summary>Single-thread encode/decode throughput.</summary>
public static class TokenizerThroughput
{

    /// <summary>Measures <paramref name="tokenizer"/> on <paramref name="texts"/>.</summary>
    /// <param name="tokenizer">Tokenizer under test.</param>
    /// <param name="texts">Corpus.</param>
    /// <param name="warmRuns">Warm passes (≥ 1); the fastest is reported.</param>
    public static ThroughputResult Measure(ITokenizer tokenizer, IReadOnlyList<string> texts, int warmRuns)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(warmRuns, 1);
        long bytes = texts.Sum(t => (long)System.Text.Encoding.UTF8.GetByteCount(t));
        var encodings = new TokenEncoding[texts.Count];
        (tokenizer as ByteLevelBpeTokenizer)?.ClearCache();
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < texts.Count; i++) encodings[i] = tokenizer.Encode(texts[i]);
        TimeSpan first = watch.Elapsed;
        (tokenizer as ByteLevelBpeTokenizer)?.ClearCache();
        watch.Restart();
        for (int i = 0; i < texts.Count; i++) encodings[i] = tokenizer.Encode(texts[i]);
        TimeSpan cold = watch.Elapsed;
        long tokens = encodings.Sum(e => (long)e.Count);
        TimeSpan warm = TimeSpan.MaxValue;
        for (int run = 0; run < warmRuns; run++)
        {
            watch.Restart();
            for (int i = 0; i < texts.Count; i++) encodings[i] = tokenizer.Encode(texts[i]);
            warm = watch.Elapsed < warm ? watch.Elapsed : warm;
        }
        watch.Restart();
        long decodedChars = 0;
        foreach (TokenEncoding e in encodings) decodedChars += tokenizer.Decode(e.Ids).Length;
        TimeSpan decode = watch.Elapsed;
        if (decodedChars != texts.Sum(t => (long)t.Length))
        {
            throw new InvalidOperationException("decoded text length differs from the input; the round trip is broken");
        }
        return new ThroughputResult(texts.Count, bytes, tokens, first, cold, warm, decode, warmRuns);
    }

    /// <summary>Reads string <paramref name="fields"/> of every line of a JSONL file (.gz allowed).</summary>
    public static List<string> ReadJsonlTexts(string path, IReadOnlyList<string> fields)
    {
        using Stream file = File.OpenRead(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)
            ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var reader = new StreamReader(stream);
        var texts = new List<string>();
        int lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0) continue;
            using JsonDocument doc = JsonDocument.Parse(line);
            foreach (string field in fields)
            {
                if (doc.RootElement.TryGetProperty(field, out JsonElement v) && v.ValueKind == JsonValueKind.String)
                {
                    texts.Add(v.GetString()!);
                }
                else
                {
                    throw new InvalidDataException($"{path} line {lineNumber}: field \"{field}\" is missing or not a string");
                }
            }
        }
        return texts;
    }
}
