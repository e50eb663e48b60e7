// The GGUF path with the Qwen2 vocabulary: no Qwen GGUF is in ../shared (the llama.cpp file was
// too large to fetch), so this test writes one from qwen3-tokenizer.json.gz exactly as llama.cpp's
// converter lays it out (tokens by id, token_type 1/3/4, merges as "left right", pre "qwen2")
// and checks that the GGUF-built tokenizer reproduces every qwen2 golden vector too.
using ReasonRL.Tests;
using System.IO.Compression;
using System.Text.Json;

namespace ReasonRL.Text.Tests;

[Trait(SharedData.Trait, SharedData.TraitValue)]
public class GgufQwenTests
{
    [SharedDataFact]
    public void QwenVocabularyWrittenAsGgufReproducesTheQwen2Vectors()
    {
        using var gz = new GZipStream(File.OpenRead(SharedData.PathOf("data/tokenizer/qwen3-tokenizer.json.gz")), CompressionMode.Decompress);
        using JsonDocument doc = JsonDocument.Parse(gz);
        JsonElement model = doc.RootElement.GetProperty("model");
        var tokens = new List<(int Id, string Text, uint Type)>();
        foreach (JsonProperty p in model.GetProperty("vocab").EnumerateObject()) tokens.Add((p.Value.GetInt32(), p.Name, 1));
        foreach (JsonElement a in doc.RootElement.GetProperty("added_tokens").EnumerateArray())
        {
            tokens.Add((a.GetProperty("id").GetInt32(), a.GetProperty("content").GetString()!, a.GetProperty("special").GetBoolean() ? 3u : 4u));
        }
        tokens.Sort((x, y) => x.Id.CompareTo(y.Id));
        Assert.Equal(Enumerable.Range(0, tokens.Count), tokens.Select(t => t.Id)); // ids are dense
        string[] merges = model.GetProperty("merges").EnumerateArray().Select(m => m[0].GetString() + " " + m[1].GetString()).ToArray();

        var w = new GgufWriter(bigEndian: false);
        w.Header(version: 3, tensors: 0, kvs: 6);
        w.Kv("tokenizer.ggml.model", 8, () => w.Str("gpt2"));
        w.Kv("tokenizer.ggml.pre", 8, () => w.Str("qwen2"));
        w.Kv("tokenizer.ggml.tokens", 9, () => { w.U32(8); w.U64((ulong)tokens.Count); foreach (var t in tokens) w.Str(t.Text); });
        w.Kv("tokenizer.ggml.token_type", 9, () => { w.U32(5); w.U64((ulong)tokens.Count); foreach (var t in tokens) w.U32(t.Type); });
        w.Kv("tokenizer.ggml.merges", 9, () => { w.U32(8); w.U64((ulong)merges.Length); foreach (string m in merges) w.Str(m); });
        w.Kv("tokenizer.ggml.eos_token_id", 4, () => w.U32(151645));
        ByteLevelBpeTokenizer fromGguf = GgufTokenizerLoader.FromGguf(
            GgufReader.Read(new MemoryStream(w.ToArray()), "qwen2-written.gguf"), "qwen2-written.gguf");

        Assert.Equal(SharedTokenizers.Qwen.VocabSize, fromGguf.VocabSize);
        int count = 0;
        foreach (TokenizerVector v in SharedTokenizers.Vectors().Where(v => v.Tokenizer == "qwen2"))
        {
            Assert.True(v.Ids.SequenceEqual(fromGguf.Encode(v.Text).Ids), $"{v.Source}");
            count++;
        }
        Assert.Equal(49, count);
        Assert.Equal([151645], fromGguf.EosIds);
        Assert.Equal(SharedTokenizers.Qwen.Encode("<think>x</think>", SpecialTokenPolicy.Allow).Ids,
            fromGguf.Encode("<think>x</think>", SpecialTokenPolicy.Allow).Ids);
    }
}
