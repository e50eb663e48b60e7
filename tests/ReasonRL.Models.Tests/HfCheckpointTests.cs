// HfCheckpoint: save → load round trips (single file and sharded through
// model.safetensors.index.json), BF16 checkpoints read as F32, and the errors for tensors or
// indexes that disagree with config.json or with their shards.
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ReasonRL.Models.Tests;

public class HfCheckpointTests
{
    private static void AssertSameTensors(IReadOnlyList<SafeTensorsTensor> expected, IReadOnlyDictionary<string, SafeTensorsTensor> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        foreach (var t in expected)
        {
            Assert.Equal(t.Shape, actual[t.Name].Shape);
            Assert.Equal(t.Floats, actual[t.Name].Floats);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Single_file_round_trip(bool tied)
    {
        using var dir = new TempFolder();
        var config = SafeTensorsTestFiles.TinyQwen2(tied);
        var tensors = SafeTensorsTestFiles.RandomCheckpoint(config, seed: 3);
        HfCheckpoint.Save(dir.Path, config, tensors);

        Assert.True(File.Exists(dir.File(HfCheckpoint.SingleFileName)));
        Assert.False(File.Exists(dir.File(HfCheckpoint.IndexFileName)));
        Assert.Equal("pt", SafeTensorsReader.ReadHeader(dir.File(HfCheckpoint.SingleFileName)).Metadata["format"]);
        var loaded = HfCheckpoint.Load(dir.Path);
        Assert.Equal(config with { EosTokenIds = loaded.Config.EosTokenIds }, loaded.Config);
        Assert.Equal(config.EosTokenIds, loaded.Config.EosTokenIds);
        AssertSameTensors(tensors, loaded.Tensors);
        Assert.Equal(tied, !loaded.Tensors.ContainsKey(HfCheckpointLayout.LmHead));
    }

    [Fact]
    public void Llama_layout_has_no_biases_and_round_trips()
    {
        using var dir = new TempFolder();
        var config = SafeTensorsTestFiles.TinyQwen2(tied: false) with { ModelType = "llama", AttentionBias = false, ExplicitHeadDim = 6 };
        var specs = HfCheckpointLayout.Expected(config);
        Assert.Equal(1 + config.LayerCount * 9 + 1 + 1, specs.Count);
        Assert.DoesNotContain(specs, s => s.Name.EndsWith(".bias", StringComparison.Ordinal));
        // Explicit head_dim 6: q_proj is [H·D, C] = [24, 16], o_proj [C, H·D] = [16, 24].
        Assert.Equal([24, 16], specs.Single(s => s.Name == "model.layers.1.self_attn.q_proj.weight").Shape);
        Assert.Equal([16, 24], specs.Single(s => s.Name == "model.layers.1.self_attn.o_proj.weight").Shape);
        var tensors = SafeTensorsTestFiles.RandomCheckpoint(config, seed: 10);
        HfCheckpoint.Save(dir.Path, config, tensors);
        var loaded = HfCheckpoint.Load(dir.Path);
        Assert.Equal("llama", loaded.Config.ModelType);
        Assert.Equal(6, loaded.Config.HeadDim);
        AssertSameTensors(tensors, loaded.Tensors);
    }

    [Fact]
    public void Qwen3_layout_has_head_norms_and_round_trips()
    {
        using var dir = new TempFolder();
        var config = SafeTensorsTestFiles.TinyQwen2(tied: true) with { ModelType = "qwen3", AttentionBias = false, ExplicitHeadDim = 6 };
        var specs = HfCheckpointLayout.Expected(config);
        Assert.Equal(1 + config.LayerCount * 11 + 1, specs.Count);
        Assert.Equal([6], specs.Single(s => s.Name == "model.layers.1.self_attn.q_norm.weight").Shape);
        Assert.Equal([6], specs.Single(s => s.Name == "model.layers.1.self_attn.k_norm.weight").Shape);
        Assert.Equal(specs.Select(s => s.Name), new ParameterLayout(config).Slab.Entries.Select(e => e.Name));
        var tensors = SafeTensorsTestFiles.RandomCheckpoint(config, seed: 12);
        HfCheckpoint.Save(dir.Path, config, tensors);
        Assert.Contains("\"Qwen3ForCausalLM\"", File.ReadAllText(dir.File("config.json")), StringComparison.Ordinal);
        var loaded = HfCheckpoint.Load(dir.Path);
        Assert.Equal(config with { EosTokenIds = loaded.Config.EosTokenIds }, loaded.Config);
        AssertSameTensors(tensors, loaded.Tensors);
        // a checkpoint without the head norms is refused, naming the missing tensor
        var withoutNorm = tensors.Where(t => t.Name != "model.layers.0.self_attn.k_norm.weight").ToList();
        using var broken = new TempFolder();
        var ex = Assert.ThrowsAny<Exception>(() => HfCheckpoint.Save(broken.Path, config, withoutNorm));
        Assert.Contains("model.layers.0.self_attn.k_norm.weight", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("qwen3")]
    [InlineData("llama3")]
    [InlineData("smollm3")]
    public void Golden_variant_checkpoints_resave_to_the_same_config_and_tensors(string name)
    {
        // HF folder written by PyTorch → HfCheckpoint → Save → Load: same config (incl. rope_scaling) and tensors
        var fx = GoldenFixture.Load(name);
        using var dir = new TempFolder();
        var tensors = fx.Weights.Tensors.Values.ToList();
        HfCheckpoint.Save(dir.Path, fx.Config, tensors);
        var loaded = HfCheckpoint.Load(dir.Path);
        Assert.Equal(fx.Config with { EosTokenIds = loaded.Config.EosTokenIds, NoRopeLayers = loaded.Config.NoRopeLayers }, loaded.Config);
        Assert.Equal(fx.Config.NoRopeLayers, loaded.Config.NoRopeLayers);
        AssertSameTensors(tensors, loaded.Tensors);
    }

    [Fact]
    public void Sharded_round_trip_through_the_index()
    {
        using var dir = new TempFolder();
        var config = SafeTensorsTestFiles.TinyQwen2(tied: false);
        var tensors = SafeTensorsTestFiles.RandomCheckpoint(config, seed: 4);
        long total = tensors.Sum(t => t.ByteLength);
        HfCheckpoint.Save(dir.Path, config, tensors, maxShardBytes: 4096);

        Assert.False(File.Exists(dir.File(HfCheckpoint.SingleFileName)));
        var shards = Directory.GetFiles(dir.Path, "model-*-of-*.safetensors").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        Assert.True(shards.Length > 2, $"expected several shards, got {shards.Length}");
        Assert.Equal($"model-00001-of-{shards.Length:D5}.safetensors", shards[0]);
        foreach (var s in shards)
        {
            var h = SafeTensorsReader.ReadHeader(dir.File(s!));
            // A shard holds at most 4096 bytes unless one tensor alone is larger.
            Assert.True(h.DataLength <= 4096 || h.Entries.Count == 1, $"{s}: {h.DataLength} bytes in {h.Entries.Count} tensors");
        }
        using (var index = JsonDocument.Parse(File.ReadAllText(dir.File(HfCheckpoint.IndexFileName))))
        {
            Assert.Equal(total, index.RootElement.GetProperty("metadata").GetProperty("total_size").GetInt64());
            Assert.Equal(tensors.Count, index.RootElement.GetProperty("weight_map").EnumerateObject().Count());
        }
        var loaded = HfCheckpoint.Load(dir.Path);
        Assert.Equal(shards.Length, loaded.Files.Count);
        AssertSameTensors(tensors, loaded.Tensors);

        // Saving again unsharded removes the index so the directory is unambiguous.
        HfCheckpoint.Save(dir.Path, config, tensors);
        Assert.False(File.Exists(dir.File(HfCheckpoint.IndexFileName)));
        AssertSameTensors(tensors, HfCheckpoint.Load(dir.Path).Tensors);
    }

    [Fact]
    public void BF16_checkpoint_loads_as_rounded_F32()
    {
        using var dir = new TempFolder();
        var config = SafeTensorsTestFiles.TinyQwen2(tied: true);
        var tensors = SafeTensorsTestFiles.RandomCheckpoint(config, seed: 5, SafeTensorsDType.BF16);
        HfCheckpoint.Save(dir.Path, config, tensors, maxShardBytes: 2048);
        var loaded = HfCheckpoint.Load(dir.Path);
        foreach (var t in tensors)
        {
            var got = loaded.Tensors[t.Name];
            Assert.Equal(SafeTensorsDType.BF16, got.DType);
            Assert.Equal(t.Floats.Select(v => SafeTensorsDTypes.BFloat16ToSingle(SafeTensorsDTypes.SingleToBFloat16(v))), got.Floats);
        }
    }

    [Fact]
    public void SaveAs_converts_dtype_and_ReadHeaders_sees_every_shard()
    {
        using var dir = new TempFolder();
        var fixture = HfCheckpoint.Load(Path.Combine(GoldenFixture.Root, "untied"));
        string target = dir.File("bf16");
        fixture.SaveAs(target, SafeTensorsDType.BF16, maxShardBytes: 10_000);

        var (config, headers) = HfCheckpoint.ReadHeaders(target);
        Assert.Equal(fixture.Config.HiddenSize, config.HiddenSize);
        Assert.True(headers.Count > 1);
        Assert.All(headers.SelectMany(h => h.Entries), e => Assert.Equal(SafeTensorsDType.BF16, e.DType));
        Assert.Equal(fixture.Tensors.Count, headers.Sum(h => h.Entries.Count));
        var loaded = HfCheckpoint.Load(target);
        foreach (var (name, t) in fixture.Tensors)
        {
            Assert.Equal(t.Floats.Select(v => SafeTensorsDTypes.BFloat16ToSingle(SafeTensorsDTypes.SingleToBFloat16(v))), loaded.Tensors[name].Floats);
        }
        Assert.Throws<ArgumentException>(() => fixture.SaveAs(target, SafeTensorsDType.I64));
    }

    [Fact]
    public void Tensors_that_do_not_match_the_config_are_errors()
    {
        using var dir = new TempFolder();
        var config = SafeTensorsTestFiles.TinyQwen2(tied: true);
        var tensors = SafeTensorsTestFiles.RandomCheckpoint(config, seed: 6);

        var missing = Assert.Throws<HfCheckpointException>(() => HfCheckpoint.Save(dir.Path, config, tensors.Where(t => !t.Name.EndsWith("k_proj.bias", StringComparison.Ordinal)).ToList()));
        Assert.Equal("model.layers.0.self_attn.k_proj.bias", missing.TensorName);
        Assert.Contains("missing; expected shape [8]", missing.Message, StringComparison.Ordinal);

        var wrong = tensors.Select(t => t.Name == "model.norm.weight" ? SafeTensorsTensor.FromFloats(t.Name, [4, 4], t.Floats) : t).ToList();
        var shape = Assert.Throws<HfCheckpointException>(() => HfCheckpoint.Save(dir.Path, config, wrong));
        Assert.Contains("tensor \"model.norm.weight\": shape must be [16], got [4, 4]", shape.Message, StringComparison.Ordinal);

        var withHead = tensors.Append(SafeTensorsTensor.FromFloats(HfCheckpointLayout.LmHead, [40, 16], new float[640])).ToList();
        var head = Assert.Throws<HfCheckpointException>(() => HfCheckpoint.Save(dir.Path, config, withHead));
        Assert.Contains("tie_word_embeddings true", head.Message, StringComparison.Ordinal);

        var extra = tensors.Append(SafeTensorsTensor.FromFloats("model.layers.9.mlp.up_proj.weight", [1], [0f])).ToList();
        Assert.Contains("not a tensor of a qwen2 model", Assert.Throws<HfCheckpointException>(() => HfCheckpoint.Save(dir.Path, config, extra)).Message, StringComparison.Ordinal);

        // A directory whose config.json disagrees with its weights.
        HfCheckpoint.Save(dir.Path, config, tensors);
        HfConfig.Save(dir.File(HfCheckpoint.ConfigFileName), config with { IntermediateSize = 32 });
        var mismatch = Assert.Throws<HfCheckpointException>(() => HfCheckpoint.Load(dir.Path));
        Assert.Contains("shape must be [32, 16], got [24, 16]", mismatch.Message, StringComparison.Ordinal);
        Assert.NotNull(HfCheckpoint.Load(dir.Path, checkLayout: false));
    }

    [Fact]
    public void A_tied_checkpoint_that_still_carries_lm_head_loads()
    {
        using var dir = new TempFolder();
        var config = SafeTensorsTestFiles.TinyQwen2(tied: true);
        var tensors = SafeTensorsTestFiles.RandomCheckpoint(config, seed: 8);
        HfCheckpoint.Save(dir.Path, config, tensors);
        var withHead = tensors.Append(SafeTensorsTensor.FromFloats(HfCheckpointLayout.LmHead, [40, 16], tensors[0].Floats)).ToList();
        SafeTensorsWriter.Write(dir.File(HfCheckpoint.SingleFileName), withHead, new Dictionary<string, string> { ["format"] = "pt" });
        Assert.True(HfCheckpoint.Load(dir.Path).Tensors.ContainsKey(HfCheckpointLayout.LmHead));
    }

    private static SafeTensorsFormatException ShardedWithIndex(TempFolder dir, Func<string, string> editIndex)
    {
        var config = SafeTensorsTestFiles.TinyQwen2(tied: true);
        HfCheckpoint.Save(dir.Path, config, SafeTensorsTestFiles.RandomCheckpoint(config, seed: 9), maxShardBytes: 4096);
        string index = dir.File(HfCheckpoint.IndexFileName);
        File.WriteAllText(index, editIndex(File.ReadAllText(index)));
        var ex = Assert.Throws<SafeTensorsFormatException>(() => HfCheckpoint.Load(dir.Path));
        Assert.Equal(SafeTensorsError.InvalidIndex, ex.Error);
        Assert.Equal(index, ex.FilePath);
        return ex;
    }

    [Fact]
    public void Index_naming_a_missing_shard_is_an_error()
    {
        using var dir = new TempFolder();
        var ex = ShardedWithIndex(dir, s => s.Replace("\"model.norm.weight\": \"model-", "\"model.norm.weight\": \"gone-", StringComparison.Ordinal));
        Assert.Contains("weight_map names shard \"gone-", ex.Message, StringComparison.Ordinal);
    }

    // With 4096-byte shards the embedding (2560 bytes) and layer 0's input_layernorm share shard 1.
    private const string SmallTensor = "model.layers.0.input_layernorm.weight";

    [Fact]
    public void Index_that_omits_a_stored_tensor_is_an_error()
    {
        using var dir = new TempFolder();
        var ex = ShardedWithIndex(dir, s => Regex.Replace(s, $"\\s*\"{SmallTensor}\": \"[^\"]+\",", ""));
        Assert.Equal(SmallTensor, ex.TensorName);
        Assert.Contains("stored in \"model-00001-of-", ex.Message, StringComparison.Ordinal);
        Assert.Contains("but absent from weight_map", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Index_pointing_at_the_wrong_shard_is_an_error()
    {
        using var dir = new TempFolder();
        var ex = ShardedWithIndex(dir, s => Regex.Replace(s, $"\"{SmallTensor}\": \"model-00001-of", $"\"{SmallTensor}\": \"model-00002-of"));
        Assert.Equal(SmallTensor, ex.TensorName);
        Assert.Matches("stored in \"model-00001-of-\\d{5}.safetensors\" but weight_map says \"model-00002-of-\\d{5}.safetensors\"", ex.Message);
    }

    [Theory]
    [InlineData("../escape.safetensors")]
    [InlineData("sub/model.safetensors")]
    [InlineData("model.bin")]
    public void Index_shard_names_must_be_plain_safetensors_files(string shard)
    {
        using var dir = new TempFolder();
        var ex = ShardedWithIndex(dir, s => Regex.Replace(s, "\"model.norm.weight\": \"[^\"]+\"", $"\"model.norm.weight\": \"{shard}\""));
        Assert.Contains($"shard must be a file name ending in .safetensors in the same directory, got \"{shard}\"", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Directory_without_weights_is_an_error()
    {
        using var dir = new TempFolder();
        HfConfig.Save(dir.File(HfCheckpoint.ConfigFileName), SafeTensorsTestFiles.TinyQwen2(tied: true));
        var ex = Assert.Throws<FileNotFoundException>(() => HfCheckpoint.Load(dir.Path));
        Assert.Contains("neither model.safetensors nor model.safetensors.index.json exists", ex.Message, StringComparison.Ordinal);
    }
}
