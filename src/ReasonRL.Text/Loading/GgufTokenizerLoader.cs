// GgufTokenizerLoader: builds the same ByteLevelBpeTokenizer from a GGUF file's vocabulary
// (`tokenizer.ggml.model` = "gpt2", i.e. byte-level BPE):
//   tokens (array<string>, byte-level form, index = id), token_type (1 normal, 3 control →
//   special added token, 4 user-defined → non-special added token), merges ("left right"),
//   pre (pre-tokenizer name → regex, KnownPatterns.ForGgufPre), bos/eos/padding_token_id.
// Normalizer: llama.cpp applies none; for `pre` = "qwen2" we add NFC because the Hugging Face
// Qwen2 tokenizer (the reference the shared vectors come from) normalizes with NFC; and for
// "llama-bpe" we set ignore_merges, as Meta's Llama 3 tokenizer.json does (GGUF has no such key).
// It is not a SentencePiece ("llama" model) loader: that model type is rejected.
// Reference: llama.cpp `llama-vocab.cpp` (load, token types); ../shared/data/README.md.
using ReasonRL.Text.Bpe;
using ReasonRL.Text.Normalization;
using ReasonRL.Text.PreTokenization;

namespace ReasonRL.Text;

/// <summary>GGUF vocabulary → ByteLevelBpeTokenizer.</summary>
public static class GgufTokenizerLoader
{
    /// <summary>Loads the tokenizer stored in a GGUF file.</summary>
    public static ByteLevelBpeTokenizer Load(string path) => FromGguf(GgufReader.Read(path), Path.GetFileName(path));

    /// <summary>Builds the tokenizer from a parsed GGUF header.</summary>
    public static ByteLevelBpeTokenizer FromGguf(GgufFile gguf, string source)
    {
        string model = Typed(gguf, "tokenizer.ggml.model", source, v => v.AsString());
        if (model != "gpt2")
        {
            throw new TokenizerFormatException(source,
                $"tokenizer.ggml.model is \"{model}\"; only \"gpt2\" (byte-level BPE) is supported");
        }
        string[] tokens = Typed(gguf, "tokenizer.ggml.tokens", source, v => v.AsStringArray());
        int[] types = gguf.Get("tokenizer.ggml.token_type") is null
            ? Enumerable.Repeat(1, tokens.Length).ToArray()
            : Typed(gguf, "tokenizer.ggml.token_type", source, v => v.AsInt32Array());
        if (types.Length != tokens.Length)
        {
            throw new TokenizerFormatException(source,
                $"tokenizer.ggml.token_type has {types.Length} entries but tokenizer.ggml.tokens has {tokens.Length}; they must match");
        }
        string[] mergeTexts = Typed(gguf, "tokenizer.ggml.merges", source, v => v.AsStringArray());
        string pre = gguf.Get("tokenizer.ggml.pre") is null ? "default" : Typed(gguf, "tokenizer.ggml.pre", source, v => v.AsString());
        string pattern = KnownPatterns.ForGgufPre(pre) ?? throw new TokenizerFormatException(source,
            $"tokenizer.ggml.pre is \"{pre}\"; supported: \"gpt-2\", \"default\", \"qwen2\", \"llama-bpe\"");

        var vocab = new Dictionary<string, int>(tokens.Length, StringComparer.Ordinal);
        var added = new List<AddedToken>();
        for (int id = 0; id < tokens.Length; id++)
        {
            switch (types[id])
            {
                case 3: added.Add(new AddedToken(id, tokens[id], Special: true)); break;
                case 4: added.Add(new AddedToken(id, tokens[id], Special: false)); break;
                default: vocab.TryAdd(tokens[id], id); break;
            }
        }
        var merges = new (string, string)[mergeTexts.Length];
        for (int rank = 0; rank < merges.Length; rank++) merges[rank] = MergeText.Split(mergeTexts[rank], rank, source);

        var vocabulary = new BpeVocabulary(vocab, added, source);
        BpeMergeTable mergeTable = BpeMergeTable.Build(merges, vocab, source);
        INormalizer? normalizer = pre == "qwen2" ? new UnicodeNormalizer(UnicodeForm.Nfc) : null;
        int? Id(string key)
        {
            if (gguf.Get(key) is null) return null;
            long id = Typed(gguf, key, source, v => v.AsInt64());
            return id >= 0 && id < vocabulary.Size ? (int)id
                : throw new TokenizerFormatException(source, $"{key} is {id}; expected a token id in [0, {vocabulary.Size})");
        }
        int? eos = Id("tokenizer.ggml.eos_token_id");
        var options = new ByteLevelBpeOptions(source,
            IgnoreMerges: pre == "llama-bpe",
            BosId: Id("tokenizer.ggml.bos_token_id"),
            EosIds: eos is null ? [] : [eos.Value],
            PadId: Id("tokenizer.ggml.padding_token_id"));
        return new ByteLevelBpeTokenizer(vocabulary, mergeTable, normalizer, new RegexPreTokenizer([pattern]), options);
    }

    // The value of a required key read as T; a missing key or a value of another type names the key.
    private static T Typed<T>(GgufFile gguf, string key, string source, Func<GgufValue, T> read)
    {
        GgufValue value = gguf.Get(key) ?? throw new TokenizerFormatException(source, $"missing metadata key \"{key}\"");
        try
        {
            return read(value);
        }
        catch (Exception e) when (e is InvalidOperationException or OverflowException)
        {
            throw new TokenizerFormatException(source, $"metadata key \"{key}\": {e.Message}");
        }
    }
}
