// Hostile tokenizer inputs (issue 17): each case is a small file that used to crash the loader or
// make it allocate out of proportion to its size, and must now be refused with a
// TokenizerFormatException naming the file and the field. Also the pre-token cache's byte bound.
using ReasonRL.Text.Bpe;
using System.Text;

namespace ReasonRL.Text.Tests;

public sealed class HostileTokenizerInputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("reasonrl-hostile-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static TokenizerFormatException Refused(string json)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<TokenizerFormatException>(() =>
            TokenizerJsonLoader.Parse(Encoding.UTF8.GetBytes(json), "hostile-tokenizer.json", config: null));
        // A refusal costs a few kilobytes, never an array sized by a hostile id (2e9 ids = 16 GB).
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20, "allocated more than 1 MiB to refuse a tiny file");
        Assert.StartsWith("hostile-tokenizer.json: ", e.Message, StringComparison.Ordinal);
        return e;
    }

    private static string Model(string vocab, string added = "[]") =>
        $$$"""{"added_tokens": {{{added}}}, "model": {"type": "BPE", "vocab": {{{vocab}}}, "merges": []}}""";

    [Fact]
    public void AHugeVocabularyIdIsRefusedWithoutAllocatingForIt()
    {
        // 60-odd bytes: one entry whose id would size every table at two billion entries.
        string json = Model("""{"a": 2000000000}""");
        Assert.True(json.Length < 100);
        var e = Refused(json);
        Assert.Contains("vocabulary entry \"a\" has id 2000000000", e.Message, StringComparison.Ordinal);
        Assert.Contains("expected 0 ≤ id < 1", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1_999_999_999)]
    public void AddedTokenIdsOutsideTheEntryCountAreRefused(int id)
    {
        var e = Refused(Model("""{"a": 0}""", $$"""[{"id": {{id}}, "content": "<x>", "special": true}]"""));
        Assert.Contains($"added_tokens[0].id is {id}", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"a": "zero"}""", "model.vocab[\"a\"] must be a 32-bit integer, got String")]
    [InlineData("""{"a": 1.5}""", "model.vocab[\"a\"] must be a 32-bit integer, got Number")]
    [InlineData("""{"a": 99999999999}""", "model.vocab[\"a\"] must be a 32-bit integer, got Number")]
    [InlineData("""[]""", "model.vocab must be a JSON object, got Array")]
    public void MistypedVocabularyValuesNameTheField(string vocab, string expected)
    {
        Assert.Contains(expected, Refused(Model(vocab)).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""[{"id": "1", "content": "<x>"}]""", "added_tokens[0].id must be a 32-bit integer, got String")]
    [InlineData("""[{"id": 0, "content": 7}]""", "added_tokens[0].content must be a string, got Number")]
    [InlineData("""[3]""", "added_tokens[0] must be a JSON object, got Number")]
    public void MistypedAddedTokensNameTheField(string added, string expected)
    {
        Assert.Contains(expected, Refused(Model("""{"a": 0}""", added)).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"model": {"type": "BPE", "vocab": {"a": 0}, "merges": [[1, 2]]}}""", "model.merges[0][0] must be a string, got Number")]
    [InlineData("""{"model": {"type": "BPE", "vocab": {"a": 0}, "merges": {}}}""", "model.merges must be a JSON array, got Object")]
    [InlineData("""{"model": {"type": 3}}""", "model.type must be a string, got Number")]
    [InlineData("""{"model": 3}""", "model must be a JSON object, got Number")]
    [InlineData("""[1, 2]""", "(root) is Array; expected a JSON object")]
    [InlineData("""{"model": {"type": "BPE", "vocab": {"a": 0}, "merges": []}, "normalizer": {"type": 1}}""", "normalizer.type must be a string")]
    [InlineData("""{"model": {"type": "BPE", "vocab": {"a": 0}, "merges": []}, "pre_tokenizer": {"type": "Split", "behavior": "Isolated", "pattern": {"Regex": "(("}}}""",
        "pre_tokenizer Split.pattern.Regex is not a usable regex")]
    [InlineData("""{"model": {"type": "BPE", "vocab": {"a": 0}, "merges": []""", "not valid JSON")]
    public void MistypedSectionsAndBrokenJsonNameTheField(string json, string expected)
    {
        Assert.Contains(expected, Refused(json).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ACorruptGzipIsRefused()
    {
        string corrupt = Path.Combine(_dir, "tokenizer.json.gz");
        File.WriteAllBytes(corrupt, [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3, 0xFF, 0xFF, 0xFF, 0xFF]);
        var e = Assert.Throws<TokenizerFormatException>(() => TokenizerLoader.Load(corrupt));
        Assert.Contains("tokenizer.json.gz: gzip stream is corrupt", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TokenizerConfigWithAMistypedTokenNameIsRefused()
    {
        string path = Path.Combine(_dir, "tokenizer_config.json");
        File.WriteAllText(path, """{"eos_token": {"content": 5}}""");
        Assert.Contains("eos_token.content must be a string, got Number",
            Assert.Throws<TokenizerFormatException>(() => TokenizerConfig.Read(path)).Message, StringComparison.Ordinal);
        File.WriteAllText(path, """{"eos_token": """);
        Assert.Contains("not valid JSON", Assert.Throws<TokenizerFormatException>(() => TokenizerConfig.Read(path)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DeeplyNestedGgufArraysAreRefusedInsteadOfOverflowingTheStack()
    {
        // 100,000 levels of array<array<…>> with one element each: 12 bytes a level, 1.2 MB in all.
        // Unbounded recursion overflows the stack here, which kills the process (no catch can help).
        const int Levels = 100_000;
        var w = new GgufWriter(bigEndian: false);
        w.Header(version: 3, tensors: 0, kvs: 1);
        w.Kv("nested", 9, () =>
        {
            for (int i = 0; i < Levels; i++)
            {
                w.U32(9);
                w.U64(1);
            }
            w.U32(0);
            w.U64(0);
        });
        var e = Assert.Throws<TokenizerFormatException>(() => GgufReader.Read(new MemoryStream(w.ToArray()), "nested.gguf"));
        Assert.Contains("nested.gguf", e.Message, StringComparison.Ordinal);
        Assert.Contains($"nests arrays more than {GgufReader.MaxArrayDepth} deep", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GgufValuesOfTheWrongTypeNameTheKey()
    {
        var w = new GgufWriter(bigEndian: false);
        w.Header(version: 3, tensors: 0, kvs: 2);
        w.Kv("tokenizer.ggml.model", 8, () => w.Str("gpt2"));
        w.Kv("tokenizer.ggml.tokens", 4, () => w.U32(7));   // a uint32, not array<string>
        GgufFile file = GgufReader.Read(new MemoryStream(w.ToArray()), "typed.gguf");
        var e = Assert.Throws<TokenizerFormatException>(() => GgufTokenizerLoader.FromGguf(file, "typed.gguf"));
        Assert.Contains("typed.gguf: metadata key \"tokenizer.ggml.tokens\"", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheWordCacheIsBoundedInBytes()
    {
        // 95 printable-byte tokens, no merges: a word of n letters costs about 14·n cache bytes.
        var vocab = new StringBuilder("{");
        for (int b = 0x21; b <= 0x7E; b++)
        {
            string c = ((char)b).ToString();
            vocab.Append($"\"{(c is "\"" or "\\" ? "\\" + c : c)}\": {b - 0x21}, ");
        }
        vocab.Append("\"Ġ\": 94}");
        var tokenizer = TokenizerJsonLoader.Parse(Encoding.UTF8.GetBytes(
            $$$"""{"model": {"type": "BPE", "vocab": {{{vocab}}}, "merges": []}, "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": false}}"""),
            "cache.json", config: null);
        // 60 distinct 100,000-letter words: about 84 MB if every one were kept.
        const int Words = 60, Letters = 100_000;
        for (int i = 0; i < Words; i++)
        {
            var word = new string((char)('a' + (i % 26)), Letters) + (char)('A' + (i / 26));
            Assert.Equal(Letters + 1, tokenizer.Encode(word).Ids.Length);
        }
        Assert.InRange(tokenizer.CacheBytes, 1, ByteLevelBpeTokenizer.MaxCacheBytes);
        Assert.True(tokenizer.CacheCount < Words, $"all {Words} long words were cached ({tokenizer.CacheBytes} bytes)");
        // Clearing gives the budget back: a short word is cached again.
        tokenizer.ClearCache();
        Assert.Equal(0, tokenizer.CacheBytes);
        tokenizer.Encode("hello");
        Assert.Equal(1, tokenizer.CacheCount);
    }
}
