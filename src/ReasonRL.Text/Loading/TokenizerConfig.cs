// TokenizerConfig: the special-token names a Hugging Face `tokenizer_config.json` gives
// (bos_token, eos_token, pad_token, unk_token; each a string or an {"content": …} object), its
// `chat_template` text(s) (a string, or a list of {"name", "template"}), and the rule that turns the
// token names — or, without a config, the added tokens — into ids (SpecialIdsResolver).
// The chat template is only read here; Chat/ChatTemplate renders it.
using System.Text.Json;

namespace ReasonRL.Text;

/// <summary>Special-token names from tokenizer_config.json.</summary>
/// <param name="BosToken">e.g. null for Qwen, "&lt;|begin_of_text|&gt;" for Llama 3.</param>
/// <param name="EosToken">e.g. "&lt;|im_end|&gt;" (Qwen3), "&lt;|endoftext|&gt;" (GPT-2).</param>
/// <param name="PadToken">e.g. "&lt;|endoftext|&gt;" (Qwen).</param>
public sealed record TokenizerConfig(string? BosToken, string? EosToken, string? PadToken)
{
    /// <summary>The name a single (string) chat_template gets, and the one used when none is asked for.</summary>
    public const string DefaultChatTemplateName = "default";

    /// <summary>e.g. null for Qwen, "&lt;unk&gt;" for SentencePiece models.</summary>
    public string? UnkToken { get; init; }

    /// <summary>chat_template by name: a string template is "default"; a list keeps its names. Empty when absent.</summary>
    public IReadOnlyDictionary<string, string> ChatTemplates { get; init; } = new Dictionary<string, string>();

    /// <summary>Reads a tokenizer_config.json. A malformed chat_template does not stop the tokenizer
    /// from loading: <see cref="ChatTemplates"/> is then empty, and ChatTemplate.FromFolder reports it.</summary>
    /// <exception cref="TokenizerFormatException">the file is not a JSON object, or a token name is neither a string nor {"content": string}.</exception>
    public static TokenizerConfig Read(string path)
    {
        JsonDocument doc;
        byte[] bytes = File.ReadAllBytes(path);
        if (!System.Text.Unicode.Utf8.IsValid(bytes)) throw new TokenizerFormatException(path, "content is not valid UTF-8");
        try
        {
            doc = JsonDocument.Parse(bytes);
        }
        catch (JsonException e)
        {
            throw new TokenizerFormatException(path, $"not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine}): {e.Message}");
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw new TokenizerFormatException(path, $"(root) is {doc.RootElement.ValueKind}; expected a JSON object");
            return Read(doc.RootElement, path);
        }
    }

    private static TokenizerConfig Read(JsonElement root, string path)
    {
        IReadOnlyDictionary<string, string> templates;
        try
        {
            templates = ReadChatTemplates(root, path);
        }
        catch (TokenizerFormatException)
        {
            templates = new Dictionary<string, string>();
        }
        return new TokenizerConfig(Name(root, "bos_token", path), Name(root, "eos_token", path), Name(root, "pad_token", path))
        {
            UnkToken = Name(root, "unk_token", path),
            ChatTemplates = templates,
        };
    }

    /// <summary>The "chat_template" member of a JSON object: absent or null → empty; a string → {"default": it};
    /// a list of {"name", "template"} → by name.</summary>
    /// <exception cref="TokenizerFormatException">Any other shape.</exception>
    public static IReadOnlyDictionary<string, string> ReadChatTemplates(JsonElement root, string path)
    {
        var templates = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!root.TryGetProperty("chat_template", out JsonElement value) || value.ValueKind == JsonValueKind.Null) return templates;
        if (value.ValueKind == JsonValueKind.String)
        {
            templates[DefaultChatTemplateName] = value.GetString()!;
            return templates;
        }
        if (value.ValueKind != JsonValueKind.Array)
            throw new TokenizerFormatException(path, $"chat_template must be a string or a list of {{\"name\", \"template\"}}, not {value.ValueKind}");
        foreach (JsonElement item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object
                || !item.TryGetProperty("name", out JsonElement n) || n.ValueKind != JsonValueKind.String
                || !item.TryGetProperty("template", out JsonElement t) || t.ValueKind != JsonValueKind.String)
                throw new TokenizerFormatException(path, $"each chat_template list entry needs string \"name\" and \"template\"");
            templates[n.GetString()!] = t.GetString()!;
        }
        return templates;
    }

    /// <summary>A tokenizer_config.json for <paramref name="tokenizer"/>, as Hugging Face's PreTrainedTokenizerFast reads
    /// it beside a tokenizer.json: bos/eos/pad/unk token names (the first EOS id names eos_token) and
    /// added_tokens_decoder. It has no chat template (the tokenizer has none). Indented UTF-8 JSON.</summary>
    public static string ToJson(ITokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("tokenizer_class", "PreTrainedTokenizerFast");
            WriteName(w, "bos_token", tokenizer, tokenizer.BosId);
            WriteName(w, "eos_token", tokenizer, tokenizer.EosIds.Count > 0 ? tokenizer.EosIds[0] : null);
            WriteName(w, "pad_token", tokenizer, tokenizer.PadId);
            WriteName(w, "unk_token", tokenizer, tokenizer.TokenToId("<unk>") is { } unk && tokenizer.IsSpecial(unk) ? unk : null);
            w.WriteBoolean("clean_up_tokenization_spaces", false);
            w.WriteStartObject("added_tokens_decoder");
            foreach (AddedToken added in tokenizer.AddedTokens)
            {
                w.WritePropertyName(added.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
                added.WriteJson(w, withId: false);
            }
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void WriteName(Utf8JsonWriter w, string field, ITokenizer tokenizer, int? id)
    {
        if (id is { } i) w.WriteString(field, tokenizer.IdToToken(i));
        else w.WriteNull(field);
    }

    /// <summary>The config that belongs to a tokenizer file: `tokenizer_config.json` in the same
    /// folder, or `&lt;prefix&gt;tokenizer_config.json` for a file named `&lt;prefix&gt;tokenizer.json[.gz]`
    /// (e.g. qwen3-tokenizer.json.gz → qwen3-tokenizer_config.json); null when there is none.</summary>
    public static TokenizerConfig? FindBeside(string tokenizerPath) => PathBeside(tokenizerPath) is { } found ? Read(found) : null;

    /// <summary>The path <see cref="FindBeside"/> reads, or null when there is none.</summary>
    public static string? PathBeside(string tokenizerPath)
    {
        string directory = Path.GetDirectoryName(Path.GetFullPath(tokenizerPath)) ?? ".";
        string name = Path.GetFileName(tokenizerPath);
        int at = name.IndexOf("tokenizer.json", StringComparison.Ordinal);
        string[] candidates = at > 0
            ? [Path.Combine(directory, name[..at] + "tokenizer_config.json"), Path.Combine(directory, "tokenizer_config.json")]
            : [Path.Combine(directory, "tokenizer_config.json")];
        return candidates.FirstOrDefault(File.Exists);
    }

    private static string? Name(JsonElement root, string field, string path)
    {
        if (!root.TryGetProperty(field, out JsonElement v)) return null;
        return v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Object when v.TryGetProperty("content", out JsonElement c) => c.ValueKind is JsonValueKind.String or JsonValueKind.Null
                ? c.GetString()
                : throw new TokenizerFormatException(path, $"{field}.content must be a string, got {c.ValueKind}"),
            _ => null,
        };
    }
}

/// <summary>Turns special-token names into ids.</summary>
public static class SpecialIdsResolver
{
    /// <summary>End-of-generation tokens recognised when no config names one:
    /// GPT-2/Qwen base "&lt;|endoftext|&gt;", ChatML "&lt;|im_end|&gt;", Llama 3 "&lt;|eot_id|&gt;" and "&lt;|end_of_text|&gt;".</summary>
    public static readonly string[] DefaultEosTokens = ["<|endoftext|>", "<|im_end|>", "<|eot_id|>", "<|end_of_text|>"];

    /// <summary>Resolves BOS, EOS ids and PAD. With a config, EOS is its eos_token; without one,
    /// EOS is every <see cref="DefaultEosTokens"/> entry that is a special added token (documented
    /// heuristic: Qwen's generation_config lists both &lt;|im_end|&gt; and &lt;|endoftext|&gt;).</summary>
    public static (int? Bos, IReadOnlyList<int> Eos, int? Pad) Resolve(
        TokenizerConfig? config, IReadOnlyDictionary<string, int> tokenToId, IReadOnlyList<AddedToken> added)
    {
        int? Id(string? name) => name is not null && tokenToId.TryGetValue(name, out int id) ? id : null;
        if (config is not null)
        {
            int? eos = Id(config.EosToken);
            return (Id(config.BosToken), eos is null ? [] : [eos.Value], Id(config.PadToken));
        }
        int[] eosIds = added.Where(t => t.Special && DefaultEosTokens.Contains(t.Content)).Select(t => t.Id).ToArray();
        return (null, eosIds, null);
    }
}
