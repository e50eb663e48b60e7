// GGUF v3 header reading: the shared GPT-2 vocab file's documented keys, every value type in
// both byte orders (files written by a small test writer), tensor infos and alignment, and
// the strict errors (bad magic, unsupported version, truncation, absurd lengths).
using ReasonRL.Tests;

namespace ReasonRL.Text.Tests;

public class GgufReaderTests
{
    [SharedDataFact]
    [Trait(SharedData.Trait, SharedData.TraitValue)]
    public void SharedGpt2VocabHasTheDocumentedKeys()
    {
        GgufFile f = GgufReader.Read(SharedData.PathOf("data/tokenizer/ggml-vocab-gpt-2.gguf"));
        Assert.Equal(3u, f.Version);
        Assert.False(f.BigEndian);
        Assert.Equal(16, f.Metadata.Count);
        Assert.Empty(f.Tensors);
        Assert.Equal("gpt2", f.Get("general.architecture")!.AsString());
        Assert.Equal("gpt-2", f.Get("tokenizer.ggml.pre")!.AsString());
        Assert.Equal(50257, f.Get("tokenizer.ggml.tokens")!.Length);
        Assert.Equal(50000, f.Get("tokenizer.ggml.merges")!.Length);
        Assert.Equal("Ġ t", f.Get("tokenizer.ggml.merges")!.AsStringArray()[0]);
        int[] types = f.Get("tokenizer.ggml.token_type")!.AsInt32Array();
        Assert.Equal(50256, types.Count(t => t == 1));
        Assert.Equal(3, types[50256]);
        Assert.Equal(12, f.Get("gpt2.block_count")!.AsInt64());
        Assert.Equal(50256, f.Get("tokenizer.ggml.eos_token_id")!.AsInt64());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void EveryValueTypeInBothByteOrders(bool bigEndian)
    {
        var w = new GgufWriter(bigEndian);
        w.Header(version: 3, tensors: 1, kvs: 15);
        w.Kv("u8", 0, () => w.U8(200));
        w.Kv("i8", 1, () => w.U8(unchecked((byte)-5)));
        w.Kv("u16", 2, () => w.U16(60000));
        w.Kv("i16", 3, () => w.U16(unchecked((ushort)-300)));
        w.Kv("u32", 4, () => w.U32(4_000_000_000));
        w.Kv("i32", 5, () => w.U32(unchecked((uint)-70000)));
        w.Kv("f32", 6, () => w.U32(BitConverter.SingleToUInt32Bits(1.5f)));
        w.Kv("bool", 7, () => w.U8(1));
        w.Kv("str", 8, () => w.Str("héllo"));
        w.Kv("u64", 10, () => w.U64(ulong.MaxValue));
        w.Kv("i64", 11, () => w.U64(unchecked((ulong)-9)));
        w.Kv("f64", 12, () => w.U64(BitConverter.DoubleToUInt64Bits(-2.25)));
        w.Kv("arr.i32", 9, () => { w.U32(5); w.U64(3); w.U32(1); w.U32(2); w.U32(unchecked((uint)-3)); });
        w.Kv("arr.str", 9, () => { w.U32(8); w.U64(2); w.Str("a b"); w.Str(""); });
        w.Kv("general.alignment", 4, () => w.U32(64));
        w.Str("token_embd.weight"); w.U32(2); w.U64(768); w.U64(50257); w.U32(1); w.U64(0);
        GgufFile f = GgufReader.Read(new MemoryStream(w.ToArray()), "synthetic.gguf");

        Assert.Equal(bigEndian, f.BigEndian);
        Assert.Equal((byte)200, f.Get("u8")!.Value);
        Assert.Equal((sbyte)-5, f.Get("i8")!.Value);
        Assert.Equal((ushort)60000, f.Get("u16")!.Value);
        Assert.Equal((short)-300, f.Get("i16")!.Value);
        Assert.Equal(4_000_000_000u, f.Get("u32")!.Value);
        Assert.Equal(-70000, f.Get("i32")!.Value);
        Assert.Equal(1.5f, f.Get("f32")!.Value);
        Assert.Equal(true, f.Get("bool")!.Value);
        Assert.Equal("héllo", f.Get("str")!.AsString());
        Assert.Equal(ulong.MaxValue, f.Get("u64")!.Value);
        Assert.Equal(-9L, f.Get("i64")!.Value);
        Assert.Equal(-2.25, f.Get("f64")!.Value);
        Assert.Equal([1, 2, -3], f.Get("arr.i32")!.AsInt32Array());
        Assert.Equal(["a b", ""], f.Get("arr.str")!.AsStringArray());
        Assert.Equal(GgufType.String, f.Get("arr.str")!.ElementType);
        GgufTensorInfo tensor = Assert.Single(f.Tensors);
        Assert.Equal("token_embd.weight", tensor.Name);
        Assert.Equal([768UL, 50257UL], tensor.Dimensions);
        Assert.Equal(64, f.Alignment);
        Assert.Equal(0, f.DataOffset % 64);
        Assert.True(f.DataOffset >= w.Length);
        Assert.Equal(["u8", "i8"], f.MetadataInOrder.Take(2).Select(kv => kv.Key));
    }

    [Fact]
    public void BadMagicVersionAndTruncationAreReportedWithTheFileName()
    {
        var notGguf = Assert.Throws<TokenizerFormatException>(() => GgufReader.Read(new MemoryStream("GGML\x03\0\0\0"u8.ToArray()), "x.gguf"));
        Assert.Contains("x.gguf", notGguf.Message, StringComparison.Ordinal);
        Assert.Contains("not a GGUF file", notGguf.Message, StringComparison.Ordinal);

        var v1 = new GgufWriter(false);
        v1.Header(version: 1, tensors: 0, kvs: 0);
        Assert.Contains("version 1", Assert.Throws<TokenizerFormatException>(() => Read(v1)).Message, StringComparison.Ordinal);

        var truncated = new GgufWriter(false);
        truncated.Header(version: 3, tensors: 0, kvs: 1);
        truncated.Str("key");
        truncated.U32(4);
        truncated.U8(1); // a uint32 needs four bytes
        Assert.Contains("unexpected end of file", Assert.Throws<TokenizerFormatException>(() => Read(truncated)).Message, StringComparison.Ordinal);

        var hugeString = new GgufWriter(false);
        hugeString.Header(version: 3, tensors: 0, kvs: 1);
        hugeString.U64(1UL << 40);
        for (int i = 0; i < 16; i++) hugeString.U8(0); // enough bytes for the kv-count check
        Assert.Contains("exceeds", Assert.Throws<TokenizerFormatException>(() => Read(hugeString)).Message, StringComparison.Ordinal);

        var hugeCount = new GgufWriter(false);
        hugeCount.Header(version: 3, tensors: 0, kvs: 1UL << 50);
        Assert.Contains("cannot fit", Assert.Throws<TokenizerFormatException>(() => Read(hugeCount)).Message, StringComparison.Ordinal);

        var badType = new GgufWriter(false);
        badType.Header(version: 3, tensors: 0, kvs: 1);
        badType.Str("k");
        badType.U32(42);
        Assert.Contains("unknown value type 42", Assert.Throws<TokenizerFormatException>(() => Read(badType)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SyntheticGgufVocabularyBuildsAWorkingTokenizer()
    {
        // Byte-level vocabulary of all 256 bytes plus "ab" (merge "a b") and a control token.
        var w = new GgufWriter(false);
        string[] tokens = Enumerable.Range(0, 256).Select(b => Bpe.ByteLevelMap.ByteToChar((byte)b).ToString())
            .Append("ab").Append("<|end|>").ToArray();
        w.Header(version: 3, tensors: 0, kvs: 6);
        w.Kv("tokenizer.ggml.model", 8, () => w.Str("gpt2"));
        w.Kv("tokenizer.ggml.pre", 8, () => w.Str("gpt-2"));
        w.Kv("tokenizer.ggml.tokens", 9, () => { w.U32(8); w.U64((ulong)tokens.Length); foreach (string t in tokens) w.Str(t); });
        w.Kv("tokenizer.ggml.token_type", 9, () => { w.U32(5); w.U64((ulong)tokens.Length); foreach (string t in tokens) w.U32(t == "<|end|>" ? 3u : 1u); });
        w.Kv("tokenizer.ggml.merges", 9, () => { w.U32(8); w.U64(1); w.Str("a b"); });
        w.Kv("tokenizer.ggml.eos_token_id", 4, () => w.U32(257));
        ByteLevelBpeTokenizer t = GgufTokenizerLoader.FromGguf(Read(w), "synthetic.gguf");
        Assert.Equal([256, 'c', 257], t.Encode("abc<|end|>", SpecialTokenPolicy.Allow).Ids);
        Assert.Equal([257], t.EosIds);
        Assert.Equal("abc<|end|>", t.Decode([256, 'c', 257]));
    }

    private static GgufFile Read(GgufWriter w) => GgufReader.Read(new MemoryStream(w.ToArray()), "synthetic.gguf");
}
