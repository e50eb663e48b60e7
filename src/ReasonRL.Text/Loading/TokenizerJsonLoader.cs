// TokenizerJsonLoader: builds a ByteLevelBpeTokenizer from a Hugging Face `tokenizer.json`
// (plain or gzipped), mapping each section to its stage (a character tokenizer's WordLevel file,
// as CharTokenizer.ToTokenizerJson writes it, is read by TokenizerJsonLoader.CharLevel.cs):
//   added_tokens → AddedToken list        normalizer → INormalizer (NFC/NFD/NFKC/NFKD/Lowercase/Sequence)
//   pre_tokenizer → RegexPreTokenizer (Split(Isolated) / ByteLevel / Sequence)
//   model (BPE: vocab, merges as "a b" strings or [a, b] arrays, ignore_merges, unk_token)
//   decoder → ByteLevel (the only one byte-level BPE needs)
// post_processor is ignored on purpose: Encode never adds BOS/EOS. BOS/EOS/PAD come from a
// `tokenizer_config.json` beside the file when there is one (see SpecialIdsResolver).
// Anything else (SentencePiece-style Metaspace, byte_fallback, lstrip/rstrip added tokens, …) is
// rejected with a message naming the field, never silently approximated.
// Reads with JsonDocument (no reflection; docs/conventions.md §11). Every value is read through a
// typed accessor that names the field on a mismatch, and every id is bounded by the file's own
// entry count before anything is sized by it (docs/conventions.md §15): a hostile file gets a
// TokenizerFormatException, never an allocation out of proportion to its size.
// Reference: HF tokenizers `tokenizer/serialization.rs`, `models/bpe/serialization.rs`.
using ReasonRL.Text.Bpe;
using ReasonRL.Text.Normalization;
using ReasonRL.Text.PreTokenization;
using System.IO.Compression;
using System.Text.Json;

namespace ReasonRL.Text;

/// <summary>tokenizer.json → ByteLevelBpeTokenizer (or CharTokenizer, see <see cref="LoadAny"/>).</summary>
public static partial class TokenizerJsonLoader
{
    /// <summary>Largest tokenizer.json accepted, after decompression (Qwen3's is 11 MB): a gzip
    /// bomb stops here instead of filling memory.</summary>
    public const long MaxJsonBytes = 512L << 20;

    /// <summary>Loads a byte-level BPE tokenizer.json (or .json.gz) file; BOS/EOS/PAD from a sibling tokenizer_config.json.</summary>
    public static ByteLevelBpeTokenizer Load(string path)
    {
        var (bytes, name, config) = Read(path);
        return Parse(bytes, name, config);
    }

    /// <summary>Loads a tokenizer.json (or .json.gz) file of either kind ReasonRL reads: byte-level BPE, or a
    /// character tokenizer's WordLevel file (<see cref="CharTokenizer.ToTokenizerJson"/>).</summary>
    public static ITokenizer LoadAny(string path)
    {
        var (bytes, name, config) = Read(path);
        return ParseAny(bytes, name, config);
    }

    /// <summary>Parses tokenizer.json content of either kind (see <see cref="LoadAny"/>).</summary>
    public static ITokenizer ParseAny(ReadOnlyMemory<byte> utf8Json, string source, TokenizerConfig? config)
    {
        using JsonDocument document = ParseJson(utf8Json, source);
        return IsCharLevel(document.RootElement, source) ? ParseCharLevel(document.RootElement, source) : ParseBpe(document.RootElement, source, config);
    }

    // The file's bytes (gunzipped, size-capped), its name for messages and the tokenizer_config.json beside it.
    private static (ReadOnlyMemory<byte> Bytes, string Name, TokenizerConfig? Config) Read(string path)
    {
        string name = Path.GetFileName(path);
        using Stream file = File.OpenRead(path);
        using Stream json = IsGzip(path) ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var buffer = new MemoryStream();
        try
        {
            byte[] chunk = new byte[1 << 16];
            for (int n; (n = json.Read(chunk)) > 0;)
            {
                if (buffer.Length + n > MaxJsonBytes)
                    throw new TokenizerFormatException(name, $"content is larger than {MaxJsonBytes >> 20} MiB (after decompression); expected a tokenizer.json");
                buffer.Write(chunk, 0, n);
            }
        }
        catch (InvalidDataException e)
        {
            throw new TokenizerFormatException(name, $"gzip stream is corrupt ({e.Message})");
        }
        return (buffer.GetBuffer().AsMemory(0, (int)buffer.Length), name, TokenizerConfig.FindBeside(path));
    }

    /// <summary>Parses tokenizer.json content.</summary>
    /// <param name="utf8Json">The file's bytes.</param>
    /// <param name="source">Name for messages.</param>
    /// <param name="config">Special-token names from tokenizer_config.json, if any.</param>
    public static ByteLevelBpeTokenizer Parse(ReadOnlyMemory<byte> utf8Json, string source, TokenizerConfig? config)
    {
        using JsonDocument document = ParseJson(utf8Json, source);
        return ParseBpe(document.RootElement, source, config);
    }

    private static ByteLevelBpeTokenizer ParseBpe(JsonElement root, string source, TokenizerConfig? config)
    {
        if (root.ValueKind != JsonValueKind.Object)
            throw new TokenizerFormatException(source, $"(root) is {root.ValueKind}; expected a JSON object");
        List<AddedToken> added = ReadAddedTokens(root, source);
        JsonElement model = Object(Required(root, "model", source), "model", source);
        string modelType = model.TryGetProperty("type", out JsonElement t) ? OptionalString(t, "model.type", source) ?? "" : "BPE";
        if (modelType != "BPE")
        {
            throw new TokenizerFormatException(source, $"model.type is \"{modelType}\"; only \"BPE\" (byte-level) is supported");
        }
        RejectIfSet(model, "continuing_subword_prefix", source);
        RejectIfSet(model, "end_of_word_suffix", source);
        if (model.TryGetProperty("byte_fallback", out JsonElement bf) && bf.ValueKind == JsonValueKind.True)
        {
            throw new TokenizerFormatException(source, "model.byte_fallback is true (SentencePiece-style BPE); only byte-level BPE is supported");
        }
        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (JsonProperty entry in Object(Required(model, "vocab", source), "model.vocab", source).EnumerateObject())
        {
            vocab[entry.Name] = Int(entry.Value, $"model.vocab[\"{entry.Name}\"]", source);
        }
        var merges = new List<(string, string)>();
        int rank = 0;
        foreach (JsonElement merge in Array(Required(model, "merges", source), "model.merges", source).EnumerateArray())
        {
            merges.Add(ReadMerge(merge, rank++, source));
        }
        bool ignoreMerges = model.TryGetProperty("ignore_merges", out JsonElement im) && im.ValueKind == JsonValueKind.True;
        int? unknownId = null;
        if (model.TryGetProperty("unk_token", out JsonElement unk) && unk.ValueKind == JsonValueKind.String)
        {
            unknownId = vocab.TryGetValue(unk.GetString()!, out int u) ? u : null;
        }
        CheckDecoder(root, source);

        var vocabulary = new BpeVocabulary(vocab, added, source);
        BpeMergeTable mergeTable = BpeMergeTable.Build(merges, vocab, source);
        INormalizer? normalizer = root.TryGetProperty("normalizer", out JsonElement n) ? ReadNormalizer(n, source) : null;
        var patterns = new List<string>();
        if (root.TryGetProperty("pre_tokenizer", out JsonElement p)) ReadPreTokenizer(p, patterns, source);
        RegexPreTokenizer preTokenizer;
        try
        {
            preTokenizer = new RegexPreTokenizer(patterns);
        }
        catch (ArgumentException e)
        {
            throw new TokenizerFormatException(source, $"pre_tokenizer Split.pattern.Regex is not a usable regex ({e.Message})");
        }
        (int? bos, IReadOnlyList<int> eos, int? pad) = SpecialIdsResolver.Resolve(config, vocabulary.TokenToIdMap, added);
        var options = new ByteLevelBpeOptions(source, ignoreMerges, unknownId, bos, eos, pad);
        return new ByteLevelBpeTokenizer(vocabulary, mergeTable, normalizer, preTokenizer, options);
    }

    private static JsonDocument ParseJson(ReadOnlyMemory<byte> utf8Json, string source)
    {
        // JsonDocument validates structure but transcodes strings lazily: invalid UTF-8 inside a
        // string would surface later as an InvalidOperationException from GetString.
        if (!System.Text.Unicode.Utf8.IsValid(utf8Json.Span))
            throw new TokenizerFormatException(source, "content is not valid UTF-8; expected a UTF-8 tokenizer.json");
        try
        {
            return JsonDocument.Parse(utf8Json, new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException e)
        {
            throw new TokenizerFormatException(source, $"not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine}): {e.Message}");
        }
    }

    private static bool IsGzip(string path)
    {
        using FileStream f = File.OpenRead(path);
        return f.ReadByte() == 0x1F && f.ReadByte() == 0x8B;
    }

    private static List<AddedToken> ReadAddedTokens(JsonElement root, string source)
    {
        var added = new List<AddedToken>();
        if (!root.TryGetProperty("added_tokens", out JsonElement list) || list.ValueKind != JsonValueKind.Array) return added;
        int index = 0;
        foreach (JsonElement item in list.EnumerateArray())
        {
            Object(item, $"added_tokens[{index}]", source);
            foreach (string flag in (string[])["lstrip", "rstrip", "single_word"])
            {
                if (item.TryGetProperty(flag, out JsonElement v) && v.ValueKind == JsonValueKind.True)
                {
                    throw new TokenizerFormatException(source,
                        $"added_tokens[{index}].{flag} is true; only false is supported (no target tokenizer uses it)");
                }
            }
            added.Add(new AddedToken(
                Int(Required(item, "id", source), $"added_tokens[{index}].id", source),
                String(Required(item, "content", source), $"added_tokens[{index}].content", source),
                item.TryGetProperty("special", out JsonElement s) && s.ValueKind == JsonValueKind.True));
            index++;
        }
        return added;
    }

    private static (string, string) ReadMerge(JsonElement merge, int rank, string source)
    {
        if (merge.ValueKind == JsonValueKind.Array && merge.GetArrayLength() == 2)
        {
            return (String(merge[0], $"model.merges[{rank}][0]", source), String(merge[1], $"model.merges[{rank}][1]", source));
        }
        if (merge.ValueKind == JsonValueKind.String)
        {
            return MergeText.Split(merge.GetString()!, rank, source);
        }
        throw new TokenizerFormatException(source,
            $"model.merges[{rank}] is {merge.ValueKind}; expected a \"left right\" string or a [left, right] array");
    }

    private static INormalizer? ReadNormalizer(JsonElement n, string source)
    {
        if (n.ValueKind == JsonValueKind.Null) return null;
        string type = String(Required(n, "type", source), "normalizer.type", source);
        return type switch
        {
            "NFC" => new UnicodeNormalizer(UnicodeForm.Nfc),
            "NFD" => new UnicodeNormalizer(UnicodeForm.Nfd),
            "NFKC" => new UnicodeNormalizer(UnicodeForm.Nfkc),
            "NFKD" => new UnicodeNormalizer(UnicodeForm.Nfkd),
            "Lowercase" => new LowercaseNormalizer(),
            "Sequence" => new SequenceNormalizer(Array(Required(n, "normalizers", source), "normalizer.normalizers", source).EnumerateArray()
                .Select(x => ReadNormalizer(x, source)).OfType<INormalizer>().ToArray()),
            _ => throw new TokenizerFormatException(source,
                $"normalizer.type \"{type}\" is not supported; expected NFC, NFD, NFKC, NFKD, Lowercase or Sequence"),
        };
    }

    private static void ReadPreTokenizer(JsonElement p, List<string> patterns, string source)
    {
        if (p.ValueKind == JsonValueKind.Null) return;
        string type = String(Required(p, "type", source), "pre_tokenizer.type", source);
        switch (type)
        {
            case "Sequence":
                foreach (JsonElement inner in Array(Required(p, "pretokenizers", source), "pre_tokenizer.pretokenizers", source).EnumerateArray())
                    ReadPreTokenizer(inner, patterns, source);
                break;
            case "Split":
                string behavior = p.TryGetProperty("behavior", out JsonElement b) ? OptionalString(b, "pre_tokenizer Split.behavior", source) ?? "" : "";
                if (behavior != "Isolated")
                {
                    throw new TokenizerFormatException(source, $"pre_tokenizer Split.behavior is \"{behavior}\"; only \"Isolated\" is supported");
                }
                if (p.TryGetProperty("invert", out JsonElement inv) && inv.ValueKind == JsonValueKind.True)
                {
                    throw new TokenizerFormatException(source, "pre_tokenizer Split.invert is true; only false is supported");
                }
                JsonElement pattern = Object(Required(p, "pattern", source), "pre_tokenizer Split.pattern", source);
                if (pattern.TryGetProperty("Regex", out JsonElement regex)) patterns.Add(String(regex, "pre_tokenizer Split.pattern.Regex", source));
                else if (pattern.TryGetProperty("String", out JsonElement literal))
                    patterns.Add(System.Text.RegularExpressions.Regex.Escape(String(literal, "pre_tokenizer Split.pattern.String", source)));
                else throw new TokenizerFormatException(source, "pre_tokenizer Split.pattern has neither \"Regex\" nor \"String\"");
                break;
            case "ByteLevel":
                if (p.TryGetProperty("add_prefix_space", out JsonElement aps) && aps.ValueKind == JsonValueKind.True)
                {
                    throw new TokenizerFormatException(source, "pre_tokenizer ByteLevel.add_prefix_space is true; only false is supported");
                }
                // use_regex defaults to true in HF: ByteLevel then splits with the GPT-2 pattern.
                if (!p.TryGetProperty("use_regex", out JsonElement ur) || ur.ValueKind != JsonValueKind.False) patterns.Add(KnownPatterns.Gpt2);
                break;
            default:
                throw new TokenizerFormatException(source,
                    $"pre_tokenizer.type \"{type}\" is not supported; expected Split, ByteLevel or Sequence");
        }
    }

    private static void CheckDecoder(JsonElement root, string source)
    {
        if (!root.TryGetProperty("decoder", out JsonElement d) || d.ValueKind == JsonValueKind.Null) return;
        string type = String(Required(d, "type", source), "decoder.type", source);
        if (type != "ByteLevel")
        {
            throw new TokenizerFormatException(source, $"decoder.type is \"{type}\"; only \"ByteLevel\" is supported");
        }
    }

    private static void RejectIfSet(JsonElement model, string name, string source)
    {
        if (model.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.String && v.GetString()!.Length > 0)
        {
            throw new TokenizerFormatException(source, $"model.{name} is \"{v.GetString()}\"; byte-level BPE expects null");
        }
    }

    private static JsonElement Required(JsonElement element, string name, string source)
    {
        if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out JsonElement value)) return value;
        throw new TokenizerFormatException(source, $"missing required field \"{name}\"");
    }

    // Typed accessors: a value of the wrong JSON kind is an error naming the field, never the
    // InvalidOperationException / FormatException that JsonElement's getters throw.
    private static JsonElement Object(JsonElement e, string field, string source) =>
        e.ValueKind == JsonValueKind.Object ? e : throw Wrong(field, "a JSON object", e, source);

    private static JsonElement Array(JsonElement e, string field, string source) =>
        e.ValueKind == JsonValueKind.Array ? e : throw Wrong(field, "a JSON array", e, source);

    private static string String(JsonElement e, string field, string source) =>
        e.ValueKind == JsonValueKind.String ? e.GetString()! : throw Wrong(field, "a string", e, source);

    private static string? OptionalString(JsonElement e, string field, string source) =>
        e.ValueKind == JsonValueKind.Null ? null : String(e, field, source);

    private static int Int(JsonElement e, string field, string source) =>
        e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out int v) ? v : throw Wrong(field, "a 32-bit integer", e, source);

    private static TokenizerFormatException Wrong(string field, string expected, JsonElement e, string source) =>
        new(source, $"{field} must be {expected}, got {e.ValueKind}");
}

/// <summary>Parsing of merges written as one "left right" string.</summary>
public static class MergeText
{
    /// <summary>Splits "left right" on its single space (HF rejects any other count).</summary>
    public static (string Left, string Right) Split(string merge, int rank, string source)
    {
        int space = merge.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0 || space == merge.Length - 1 || merge.IndexOf(' ', space + 1) >= 0)
        {
            throw new TokenizerFormatException(source,
                $"merge #{rank} (0-based) is \"{merge}\"; expected exactly two parts separated by one space");
        }
        return (merge[..space], merge[(space + 1)..]);
    }
}
