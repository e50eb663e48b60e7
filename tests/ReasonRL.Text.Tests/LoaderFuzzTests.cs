// Loader fuzz for the tokenizer files (issue 17): 1,000 seeded mutants each of a small but complete
// tokenizer.json (added tokens, normalizer and pre-tokenizer sequences, a Split regex, merges) and of
// a GGUF vocabulary. Every case must load or be refused with a TokenizerFormatException naming the
// file; nothing else may escape, no case may allocate more than a bound, and a tokenizer that loads
// must encode and decode a short text. The report line is printed for the closing note.
using ReasonRL.Tests;
using ReasonRL.Text.Bpe;
using System.Text;
using Xunit.Abstractions;

namespace ReasonRL.Text.Tests;

public class LoaderFuzzTests(ITestOutputHelper output)
{
    private const int Cases = 1000;

    // One case never needs more than this: the seeds are a few kilobytes, and a hostile size in a
    // mutant must be refused before anything is sized by it.
    private const long MaxCaseAllocatedBytes = 64L << 20;

    private static void UseLoaded(ByteLevelBpeTokenizer tokenizer)
    {
        int[] ids = tokenizer.Encode("hello world 123 \u00E9 <|end|>").Ids;
        tokenizer.Decode(ids);
    }

    private void Check(LoaderFuzzReport report) => report.AssertClean(MaxCaseAllocatedBytes, TimeSpan.FromSeconds(120), output.WriteLine);

    internal static byte[] SeedTokenizerJson()
    {
        var vocab = new StringBuilder();
        for (int b = 0; b < 256; b++)
        {
            string c = ByteLevelMap.ByteToChar((byte)b).ToString();
            vocab.Append($"\"{(c is "\"" or "\\" ? "\\" + c : c)}\": {b}, ");
        }
        vocab.Append("\"he\": 256, \"ll\": 257, \"hell\": 258, \"hello\": 259, \"Ġw\": 260, \"Ġwo\": 261");
        return Encoding.UTF8.GetBytes($$$"""
            {"version": "1.0",
             "added_tokens": [{"id": 262, "content": "<|end|>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
                              {"id": 263, "content": "<pad>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true}],
             "normalizer": {"type": "Sequence", "normalizers": [{"type": "NFC"}]},
             "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
                {"type": "Split", "pattern": {"Regex": "\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+|\\s+|[A-Za-z]+"}, "behavior": "Isolated", "invert": false},
                {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": false, "use_regex": false}]},
             "post_processor": null,
             "decoder": {"type": "ByteLevel", "add_prefix_space": true, "trim_offsets": true, "use_regex": true},
             "model": {"type": "BPE", "dropout": null, "unk_token": null, "continuing_subword_prefix": null, "end_of_word_suffix": null,
                       "fuse_unk": false, "byte_fallback": false, "ignore_merges": false,
                       "vocab": { {{{vocab}}} },
                       "merges": ["h e", "l l", "he ll", "hell o", ["Ġ", "w"], ["Ġw", "o"]]}}
            """);
    }

    internal static byte[] SeedGguf()
    {
        var w = new GgufWriter(false);
        string[] tokens = Enumerable.Range(0, 256).Select(b => ByteLevelMap.ByteToChar((byte)b).ToString())
            .Append("he").Append("ll").Append("hell").Append("<|end|>").ToArray();
        w.Header(version: 3, tensors: 0, kvs: 8);
        w.Kv("general.alignment", 4, () => w.U32(32));
        w.Kv("tokenizer.ggml.model", 8, () => w.Str("gpt2"));
        w.Kv("tokenizer.ggml.pre", 8, () => w.Str("qwen2"));
        w.Kv("tokenizer.ggml.tokens", 9, () => { w.U32(8); w.U64((ulong)tokens.Length); foreach (string t in tokens) w.Str(t); });
        w.Kv("tokenizer.ggml.token_type", 9, () => { w.U32(5); w.U64((ulong)tokens.Length); foreach (string t in tokens) w.U32(t == "<|end|>" ? 3u : 1u); });
        w.Kv("tokenizer.ggml.merges", 9, () => { w.U32(8); w.U64(3); w.Str("h e"); w.Str("l l"); w.Str("he ll"); });
        w.Kv("tokenizer.ggml.eos_token_id", 4, () => w.U32(259));
        w.Kv("nested", 9, () => { w.U32(9); w.U64(1); w.U32(5); w.U64(2); w.U32(1); w.U32(2); });
        return w.ToArray();
    }

    [Fact]
    public void The_seeds_are_valid()
    {
        UseLoaded(TokenizerJsonLoader.Parse(SeedTokenizerJson(), "seed-tokenizer.json", config: null));
        UseLoaded(GgufTokenizerLoader.FromGguf(GgufReader.Read(new MemoryStream(SeedGguf()), "seed.gguf"), "seed.gguf"));
    }

    [Fact]
    [Trait("Fuzz", "Loader")]
    public void Mutated_and_truncated_tokenizer_json_is_loaded_or_refused_with_a_typed_error()
    {
        Check(LoaderFuzz.Run("tokenizer.json", SeedTokenizerJson(), Cases, seed: 17, text: true, focusBytes: 0, "fuzz-tokenizer.json",
            bytes => UseLoaded(TokenizerJsonLoader.Parse(bytes, "fuzz-tokenizer.json", config: null)),
            e => e is TokenizerFormatException));
    }

    [Fact]
    [Trait("Fuzz", "Loader")]
    public void Mutated_and_truncated_gguf_is_loaded_or_refused_with_a_typed_error()
    {
        Check(LoaderFuzz.Run("GGUF", SeedGguf(), Cases, seed: 17, text: false, focusBytes: 0, "fuzz.gguf",
            bytes => UseLoaded(GgufTokenizerLoader.FromGguf(GgufReader.Read(new MemoryStream(bytes), "fuzz.gguf"), "fuzz.gguf")),
            e => e is TokenizerFormatException));
    }
}
