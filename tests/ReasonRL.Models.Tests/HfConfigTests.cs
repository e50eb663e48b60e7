// HfConfig: real-looking Qwen2.5 and Llama config.json texts, documented defaults for missing
// optional fields, eos as int and as list, errors naming the field and the expected value, and
// ToJson → Parse round trips.
namespace ReasonRL.Models.Tests;

public class HfConfigTests
{
    // Shape of Qwen2.5-0.5B-Instruct's config.json as published on the Hugging Face hub.
    private const string Qwen25 = """
        {
          "architectures": ["Qwen2ForCausalLM"],
          "attention_dropout": 0.0,
          "bos_token_id": 151643,
          "eos_token_id": 151645,
          "hidden_act": "silu",
          "hidden_size": 896,
          "initializer_range": 0.02,
          "intermediate_size": 4864,
          "max_position_embeddings": 32768,
          "max_window_layers": 21,
          "model_type": "qwen2",
          "num_attention_heads": 14,
          "num_hidden_layers": 24,
          "num_key_value_heads": 2,
          "rms_norm_eps": 1e-06,
          "rope_scaling": null,
          "rope_theta": 1000000.0,
          "sliding_window": 32768,
          "tie_word_embeddings": true,
          "torch_dtype": "bfloat16",
          "transformers_version": "4.43.1",
          "use_cache": true,
          "use_sliding_window": false,
          "vocab_size": 151936
        }
        """;

    // Shape of Qwen3-0.6B's config.json (head_dim 128 ≠ 1024 / 16, q/k norms, no biases, tied).
    private const string Qwen3 = """
        {
          "architectures": ["Qwen3ForCausalLM"],
          "attention_bias": false,
          "attention_dropout": 0.0,
          "bos_token_id": 151643,
          "eos_token_id": 151645,
          "head_dim": 128,
          "hidden_act": "silu",
          "hidden_size": 1024,
          "initializer_range": 0.02,
          "intermediate_size": 3072,
          "max_position_embeddings": 40960,
          "max_window_layers": 28,
          "model_type": "qwen3",
          "num_attention_heads": 16,
          "num_hidden_layers": 28,
          "num_key_value_heads": 8,
          "rms_norm_eps": 1e-06,
          "rope_scaling": null,
          "rope_theta": 1000000,
          "sliding_window": null,
          "tie_word_embeddings": true,
          "torch_dtype": "bfloat16",
          "transformers_version": "4.51.0",
          "use_cache": true,
          "use_sliding_window": false,
          "vocab_size": 151936
        }
        """;

    // Shape of Llama-3.2-1B's config.json (rope_scaling llama3, explicit head_dim, tied).
    private const string Llama32 = """
        {
          "architectures": ["LlamaForCausalLM"],
          "attention_bias": false,
          "attention_dropout": 0.0,
          "bos_token_id": 128000,
          "eos_token_id": 128001,
          "head_dim": 64,
          "hidden_act": "silu",
          "hidden_size": 2048,
          "initializer_range": 0.02,
          "intermediate_size": 8192,
          "max_position_embeddings": 131072,
          "mlp_bias": false,
          "model_type": "llama",
          "num_attention_heads": 32,
          "num_hidden_layers": 16,
          "num_key_value_heads": 8,
          "pretraining_tp": 1,
          "rms_norm_eps": 1e-05,
          "rope_scaling": {
            "factor": 32.0,
            "high_freq_factor": 4.0,
            "low_freq_factor": 1.0,
            "original_max_position_embeddings": 8192,
            "rope_type": "llama3"
          },
          "rope_theta": 500000.0,
          "tie_word_embeddings": true,
          "torch_dtype": "bfloat16",
          "transformers_version": "4.45.0.dev0",
          "use_cache": true,
          "vocab_size": 128256
        }
        """;

    // Shape of SmolLM2-135M's config.json (Llama architecture with nanotron's extra fields).
    private const string SmolLM2 = """
        {
          "architectures": ["LlamaForCausalLM"],
          "attention_bias": false,
          "attention_dropout": 0.0,
          "bos_token_id": 0,
          "eos_token_id": 0,
          "head_dim": 64,
          "hidden_act": "silu",
          "hidden_size": 576,
          "initializer_range": 0.041666666666666664,
          "intermediate_size": 1536,
          "is_llama_config": true,
          "max_position_embeddings": 8192,
          "mlp_bias": false,
          "model_type": "llama",
          "num_attention_heads": 9,
          "num_hidden_layers": 30,
          "num_key_value_heads": 3,
          "pretraining_tp": 1,
          "rms_norm_eps": 1e-05,
          "rope_interleaved": false,
          "rope_scaling": null,
          "rope_theta": 100000,
          "tie_word_embeddings": true,
          "torch_dtype": "bfloat16",
          "transformers_version": "4.42.3",
          "use_cache": true,
          "vocab_size": 49152
        }
        """;

    // Shape of SmolLM3-3B's config.json (Llama with every 4th layer NoPE, tied).
    private const string SmolLM3 = """
        {
          "architectures": ["SmolLM3ForCausalLM"],
          "attention_bias": false,
          "attention_dropout": 0.0,
          "bos_token_id": null,
          "eos_token_id": 128012,
          "hidden_act": "silu",
          "hidden_size": 2048,
          "initializer_range": 0.02,
          "intermediate_size": 11008,
          "layer_types": ["full_attention", "full_attention", "full_attention", "full_attention", "full_attention", "full_attention", "full_attention", "full_attention", "full_attention", "full_attention", "full_attention", "full_attention", "full_attention", "full_attention", "full_attention", "full_attention", "full_attention", "full_attention", "full_attention", "full_attention", "full_attention", "full_attention", "full_attention", "full_attention", "full_attention", "full_attention", "full_attention", "full_attention", "full_attention", "full_attention", "full_attention", "full_attention", "full_attention", "full_attention", "full_attention", "full_attention"],
          "max_position_embeddings": 65536,
          "max_window_layers": 28,
          "mlp_bias": false,
          "model_type": "smollm3",
          "no_rope_layer_interval": 4,
          "no_rope_layers": [1, 1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 0],
          "num_attention_heads": 16,
          "num_hidden_layers": 36,
          "num_key_value_heads": 4,
          "pad_token_id": 128004,
          "pretraining_tp": 2,
          "rms_norm_eps": 1e-06,
          "rope_scaling": null,
          "rope_theta": 5000000.0,
          "sliding_window": null,
          "torch_dtype": "bfloat16",
          "transformers_version": "4.54.0.dev0",
          "use_cache": false,
          "use_sliding_window": false,
          "vocab_size": 128256
        }
        """;

    // Shape of TinyLlama-1.1B-Chat's config.json (Llama 2 architecture, GQA 32/4).
    private const string TinyLlama = """
        {
          "architectures": ["LlamaForCausalLM"],
          "attention_bias": false,
          "bos_token_id": 1,
          "eos_token_id": 2,
          "hidden_act": "silu",
          "hidden_size": 2048,
          "initializer_range": 0.02,
          "intermediate_size": 5632,
          "max_position_embeddings": 2048,
          "model_type": "llama",
          "num_attention_heads": 32,
          "num_hidden_layers": 22,
          "num_key_value_heads": 4,
          "pretraining_tp": 1,
          "rms_norm_eps": 1e-05,
          "rope_scaling": null,
          "rope_theta": 10000.0,
          "tie_word_embeddings": false,
          "torch_dtype": "bfloat16",
          "transformers_version": "4.35.0",
          "use_cache": true,
          "vocab_size": 32000
        }
        """;

    [Fact]
    public void Qwen25_config_maps_every_field()
    {
        var c = HfConfig.Parse(Qwen25);
        Assert.Equal("qwen2", c.ModelType);
        Assert.Equal(151936, c.VocabSize);
        Assert.Equal(896, c.HiddenSize);
        Assert.Equal(4864, c.IntermediateSize);
        Assert.Equal(24, c.LayerCount);
        Assert.Equal(14, c.HeadCount);
        Assert.Equal(2, c.KvHeadCount);
        Assert.Equal(64, c.HeadDim);
        Assert.Equal(1_000_000.0, c.RopeTheta);
        Assert.Equal(1e-6f, c.RmsNormEps);
        Assert.Equal(32768, c.MaxPositionEmbeddings);
        Assert.True(c.TieWordEmbeddings);
        Assert.True(c.AttentionBias);
        Assert.Null(c.ExplicitHeadDim);
        Assert.Equal([151645], c.EosTokenIds);
        Assert.Equal(151643, c.BosTokenId);
    }

    [Fact]
    public void Llama_config_maps_every_field()
    {
        var c = HfConfig.Parse(TinyLlama);
        Assert.Equal("llama", c.ModelType);
        Assert.Equal(32000, c.VocabSize);
        Assert.Equal(2048, c.HiddenSize);
        Assert.Equal(5632, c.IntermediateSize);
        Assert.Equal(22, c.LayerCount);
        Assert.Equal(32, c.HeadCount);
        Assert.Equal(4, c.KvHeadCount);
        Assert.Equal(10000.0, c.RopeTheta);
        Assert.Equal(1e-5f, c.RmsNormEps);
        Assert.Equal(2048, c.MaxPositionEmbeddings);
        Assert.False(c.TieWordEmbeddings);
        Assert.False(c.AttentionBias);
        Assert.Equal([2], c.EosTokenIds);
        Assert.Equal(1, c.BosTokenId);
    }

    [Fact]
    public void Eos_token_id_may_be_a_list_and_head_dim_explicit()
    {
        string json = TinyLlama.Replace("\"eos_token_id\": 2", "\"eos_token_id\": [128001, 128008, 128009], \"head_dim\": 128", StringComparison.Ordinal);
        var c = HfConfig.Parse(json);
        Assert.Equal([128001, 128008, 128009], c.EosTokenIds);
        Assert.Equal(128, c.ExplicitHeadDim);
        Assert.Equal(128, c.HeadDim);
    }

    [Theory]
    [InlineData("qwen2", 32768, true)]
    [InlineData("llama", 2048, false)]
    public void Missing_optional_fields_get_the_documented_defaults(string modelType, int maxPositions, bool attentionBias)
    {
        var c = HfConfig.Parse($$"""
            {"model_type": "{{modelType}}", "vocab_size": 100, "hidden_size": 64, "intermediate_size": 128,
             "num_hidden_layers": 2, "num_attention_heads": 4}
            """);
        Assert.Equal(4, c.KvHeadCount);          // = num_attention_heads
        Assert.Equal(10000.0, c.RopeTheta);
        Assert.Equal(1e-6f, c.RmsNormEps);
        Assert.Equal(maxPositions, c.MaxPositionEmbeddings);
        Assert.False(c.TieWordEmbeddings);
        Assert.Equal(attentionBias, c.AttentionBias);
        Assert.Null(c.ExplicitHeadDim);
        Assert.Empty(c.EosTokenIds);
        Assert.Null(c.BosTokenId);
    }

    private const string RopeTypes = "\"default\" or \"llama3\" (other RoPE scalings, e.g. linear, dynamic, yarn, longrope, are not implemented)";

    [Theory]
    [InlineData("\"num_key_value_heads\": 2", "\"num_key_value_heads\": 3", "num_key_value_heads", "> 0 and a divisor of num_attention_heads (14)", "3")]
    [InlineData("\"hidden_size\": 896", "\"hidden_size\": \"896\"", "hidden_size", "an integer", "\"896\"")]
    [InlineData("\"hidden_size\": 896", "\"hidden_size\": 896.5", "hidden_size", "an integer", "896.5")]
    [InlineData("\"model_type\": \"qwen2\"", "\"model_type\": \"mistral\"", "model_type", "\"qwen2\", \"qwen3\", \"llama\" or \"smollm3\"", "\"mistral\"")]
    [InlineData("\"vocab_size\": 151936", "\"vocab_sizes\": 151936", "vocab_size", "an integer (required)", "nothing (field absent)")]
    [InlineData("\"rms_norm_eps\": 1e-06", "\"rms_norm_eps\": 0", "rms_norm_eps", "> 0", "0")]
    [InlineData("\"rope_theta\": 1000000.0", "\"rope_theta\": -1", "rope_theta", "> 0", "-1")]
    [InlineData("\"tie_word_embeddings\": true", "\"tie_word_embeddings\": \"yes\"", "tie_word_embeddings", "true or false", "\"yes\"")]
    [InlineData("\"hidden_act\": \"silu\"", "\"hidden_act\": \"gelu\"", "hidden_act", "\"silu\" (SwiGLU MLP)", "\"gelu\"")]
    [InlineData("\"use_sliding_window\": false", "\"use_sliding_window\": true", "use_sliding_window", "false (full causal attention only)", "true")]
    [InlineData("\"rope_scaling\": null", "\"rope_scaling\": {\"rope_type\": \"yarn\", \"factor\": 4.0}", "rope_scaling.rope_type",
        RopeTypes, "\"yarn\"")]
    [InlineData("\"rope_scaling\": null", "\"rope_scaling\": {\"type\": \"dynamic\", \"factor\": 2.0}", "rope_scaling.rope_type",
        RopeTypes, "\"dynamic\"")]
    [InlineData("\"rope_scaling\": null", "\"rope_scaling\": {\"factor\": 2.0}", "rope_scaling.rope_type", "\"default\" or \"llama3\" (required)", "nothing (field absent)")]
    [InlineData("\"rope_scaling\": null", "\"rope_scaling\": 2", "rope_scaling", "null or an object", "2")]
    [InlineData("\"use_sliding_window\": false", "\"use_sliding_window\": false, \"use_mrope\": true", "use_mrope", "false (multimodal RoPE is not implemented)", "true")]
    [InlineData("\"use_sliding_window\": false", "\"use_sliding_window\": false, \"rope_interleaved\": true", "rope_interleaved",
        "false (RoPE rotates halves, as transformers does)", "true")]
    [InlineData("\"use_sliding_window\": false", "\"layer_types\": [\"full_attention\", \"sliding_attention\"]", "layer_types[1]",
        "\"full_attention\" (sliding-window attention is not implemented)", "\"sliding_attention\"")]
    [InlineData("\"eos_token_id\": 151645", "\"eos_token_id\": [151645, \"x\"]", "eos_token_id[1]", "an integer", "\"x\"")]
    [InlineData("\"eos_token_id\": 151645", "\"eos_token_id\": {\"id\": 1}", "eos_token_id", "an integer or a list of integers", "{\"id\": 1}")]
    [InlineData("\"max_position_embeddings\": 32768", "\"max_position_embeddings\": 0", "max_position_embeddings", "in [1, 33554432]", "0")]
    // Hostile sizes (issue 17): beyond the sane maxima, or products that overflow one tensor's int length.
    [InlineData("\"max_position_embeddings\": 32768", "\"max_position_embeddings\": 2000000000", "max_position_embeddings", "in [1, 33554432]", "2000000000")]
    [InlineData("\"max_position_embeddings\": 32768", "\"max_position_embeddings\": 32768, \"head_dim\": -2", "head_dim", "in [1, 4096]", "-2")]
    [InlineData("\"num_attention_heads\": 14", "\"num_attention_heads\": 65536", "num_attention_heads", "in [1, 1024]", "65536")]
    [InlineData("\"num_hidden_layers\": 24", "\"num_hidden_layers\": 2000000000", "num_hidden_layers", "in [1, 1024]", "2000000000")]
    [InlineData("\"vocab_size\": 151936", "\"vocab_size\": 4000000", "vocab_size × hidden_size", "at most 2147483647 (one tensor's elements)", "3584000000")]
    [InlineData("\"num_attention_heads\": 14", "\"num_attention_heads\": 1024, \"head_dim\": 4096", "num_attention_heads × head_dim × hidden_size",
        "at most 2147483647 (one tensor's elements)", "3758096384")]
    public void Bad_values_name_the_field_and_the_expected_value(string original, string replacement, string field, string expected, string actual)
    {
        Assert.Contains(original, Qwen25, StringComparison.Ordinal);
        var ex = Assert.Throws<HfConfigException>(() => HfConfig.Parse(Qwen25.Replace(original, replacement, StringComparison.Ordinal), "Qwen2.5/config.json"));
        Assert.Equal(field, ex.Field);
        Assert.Equal(expected, ex.Expected);
        Assert.Equal(actual, ex.Actual);
        Assert.Equal($"Qwen2.5/config.json: field \"{field}\" must be {expected}, got {actual}", ex.Message);
    }

    [Fact]
    public void Llama_specific_unsupported_options_are_errors()
    {
        var bias = Assert.Throws<HfConfigException>(() => HfConfig.Parse(TinyLlama.Replace("\"attention_bias\": false", "\"attention_bias\": true", StringComparison.Ordinal)));
        Assert.Equal("attention_bias", bias.Field);
        var mlp = Assert.Throws<HfConfigException>(() => HfConfig.Parse(TinyLlama.Replace("\"pretraining_tp\": 1", "\"mlp_bias\": true", StringComparison.Ordinal)));
        Assert.Equal("mlp_bias", mlp.Field);
        // llama3 scaling needs all four of its parameters: a missing one is named rather than defaulted.
        var scaling = Assert.Throws<HfConfigException>(() => HfConfig.Parse(TinyLlama.Replace("\"rope_scaling\": null",
            "\"rope_scaling\": {\"factor\": 32.0, \"rope_type\": \"llama3\"}", StringComparison.Ordinal)));
        Assert.Equal("rope_scaling.low_freq_factor", scaling.Field);
        Assert.Equal("a number (required for llama3)", scaling.Expected);
    }

    [Fact]
    public void Invalid_json_and_non_object_roots_are_errors()
    {
        var ex = Assert.Throws<HfConfigException>(() => HfConfig.Parse("{\"model_type\": ", "cfg.json"));
        Assert.StartsWith("cfg.json: not valid JSON", ex.Message, StringComparison.Ordinal);
        var root = Assert.Throws<HfConfigException>(() => HfConfig.Parse("[1]", "cfg.json"));
        Assert.Equal("(root)", root.Field);
    }

    [Fact]
    public void Qwen3_config_maps_head_dim_norms_and_no_biases()
    {
        var c = HfConfig.Parse(Qwen3);
        Assert.Equal(("qwen3", 1024, 16, 8, 128, 2048, 1024), (c.ModelType, c.HiddenSize, c.HeadCount, c.KvHeadCount, c.HeadDim, c.QueryDim, c.KvDim));
        Assert.True(c.QkNorm);
        Assert.False(c.AttentionBias);
        Assert.True(c.TieWordEmbeddings);
        Assert.Equal(1_000_000.0, c.RopeTheta);
        Assert.Equal(40960, c.MaxPositionEmbeddings);
        Assert.Null(c.RopeScaling);
        // Qwen3Config's defaults: head_dim 128 (not C / H), max_position_embeddings 32768
        var bare = HfConfig.Parse("""{"model_type": "qwen3", "vocab_size": 10, "hidden_size": 64, "intermediate_size": 8, "num_hidden_layers": 1, "num_attention_heads": 4}""");
        Assert.Equal((128, 32768, false), (bare.HeadDim, bare.MaxPositionEmbeddings, bare.AttentionBias));
        var bias = Assert.Throws<HfConfigException>(() => HfConfig.Parse(Qwen3.Replace("\"attention_bias\": false", "\"attention_bias\": true", StringComparison.Ordinal)));
        Assert.Equal("attention_bias", bias.Field);
        Assert.Contains("o_proj", bias.Expected, StringComparison.Ordinal);
        var sliding = Assert.Throws<HfConfigException>(() => HfConfig.Parse(Qwen3.Replace("\"use_sliding_window\": false", "\"use_sliding_window\": true", StringComparison.Ordinal)));
        Assert.Equal("use_sliding_window", sliding.Field);
    }

    [Fact]
    public void Llama32_rope_scaling_llama3_is_read()
    {
        var c = HfConfig.Parse(Llama32);
        Assert.Equal(("llama", 64, 500000.0, true), (c.ModelType, c.HeadDim, c.RopeTheta, c.TieWordEmbeddings));
        Assert.Equal(new RopeScaling { Factor = 32, LowFreqFactor = 1, HighFreqFactor = 4, OriginalMaxPositionEmbeddings = 8192 }, c.RopeScaling);
        // the legacy key "type" and transformers 5's rope_parameters (which also carries rope_theta) say the same
        var legacy = HfConfig.Parse(Llama32.Replace("\"rope_type\": \"llama3\"", "\"type\": \"llama3\"", StringComparison.Ordinal));
        Assert.Equal(c, legacy with { EosTokenIds = c.EosTokenIds });
        var v5 = HfConfig.Parse(Llama32.Replace("\"rope_scaling\": {", "\"rope_parameters\": {\"rope_theta\": 500000.0, ", StringComparison.Ordinal)
            .Replace("\"rope_theta\": 500000.0,\n", "", StringComparison.Ordinal));
        Assert.Equal(c, v5 with { EosTokenIds = c.EosTokenIds });
        var unknown = Assert.Throws<HfConfigException>(() => HfConfig.Parse(Llama32.Replace("\"factor\": 32.0,", "\"factor\": 32.0, \"attention_factor\": 2.0,", StringComparison.Ordinal)));
        Assert.Equal("rope_scaling.attention_factor", unknown.Field);
        var inverted = Assert.Throws<HfConfigException>(() => HfConfig.Parse(Llama32.Replace("\"high_freq_factor\": 4.0", "\"high_freq_factor\": 0.5", StringComparison.Ordinal)));
        Assert.Equal("rope_scaling.high_freq_factor", inverted.Field);
        // rope_type "default" is plain RoPE
        var plain = HfConfig.Parse(TinyLlama.Replace("\"rope_scaling\": null", "\"rope_scaling\": {\"rope_type\": \"default\"}", StringComparison.Ordinal));
        Assert.Null(plain.RopeScaling);
    }

    [Fact]
    public void SmolLM2_config_is_read()
    {
        var c = HfConfig.Parse(SmolLM2);
        Assert.Equal(("llama", 576, 9, 3, 64, 100000.0, true, false), (c.ModelType, c.HiddenSize, c.HeadCount, c.KvHeadCount, c.HeadDim, c.RopeTheta, c.TieWordEmbeddings, c.AttentionBias));
        Assert.Equal([0], c.EosTokenIds);
    }

    [Fact]
    public void SmolLM3_no_rope_layers_are_read_derived_and_written()
    {
        var c = HfConfig.Parse(SmolLM3);
        Assert.Equal(("smollm3", 36, 128, 5_000_000.0, true, false), (c.ModelType, c.LayerCount, c.HeadDim, c.RopeTheta, c.TieWordEmbeddings, c.AttentionBias));
        Assert.Equal(Enumerable.Range(0, 36).Select(l => (l + 1) % 4 != 0), Enumerable.Range(0, 36).Select(c.UsesRope));
        // absent list: SmolLM3Config derives it from no_rope_layer_interval (default 4); theta defaults to 2e6
        var derived = HfConfig.Parse("""{"model_type": "smollm3", "vocab_size": 10, "hidden_size": 8, "intermediate_size": 8, "num_hidden_layers": 6, "num_attention_heads": 2, "no_rope_layer_interval": 3}""");
        Assert.Equal([1, 1, 0, 1, 1, 0], derived.NoRopeLayers);
        Assert.Equal((2_000_000.0, true), (derived.RopeTheta, derived.TieWordEmbeddings));
        var back = HfConfig.Parse(HfConfig.ToJson(c));
        Assert.Equal(c.NoRopeLayers, back.NoRopeLayers);
        Assert.Equal(c, back with { EosTokenIds = c.EosTokenIds, NoRopeLayers = c.NoRopeLayers });
        Assert.Contains("\"SmolLM3ForCausalLM\"", HfConfig.ToJson(c), StringComparison.Ordinal);
        var bad = Assert.Throws<HfConfigException>(() => HfConfig.Parse(SmolLM3.Replace("\"no_rope_layers\": [1, ", "\"no_rope_layers\": [2, ", StringComparison.Ordinal)));
        Assert.Equal("no_rope_layers[0]", bad.Field);
        var shortList = Assert.Throws<HfConfigException>(() => HfConfig.Parse(SmolLM3.Replace("\"no_rope_layers\": [1, 1, 1, 0, ", "\"no_rope_layers\": [", StringComparison.Ordinal)));
        Assert.Equal("no_rope_layers", shortList.Field);
        // the list belongs to smollm3 only
        Assert.Throws<ArgumentException>(() => HfConfig.ToJson(c with { ModelType = "llama" }));
    }

    [Fact]
    public void ToJson_writes_qwen3_and_llama3_fields()
    {
        string qwen3 = HfConfig.ToJson(HfConfig.Parse(Qwen3));
        foreach (var expected in new[] { "\"Qwen3ForCausalLM\"", "\"model_type\": \"qwen3\"", "\"head_dim\": 128", "\"attention_bias\": false", "\"use_sliding_window\": false" })
            Assert.Contains(expected, qwen3, StringComparison.Ordinal);
        string llama = HfConfig.ToJson(HfConfig.Parse(Llama32));
        foreach (var expected in new[] { "\"rope_type\": \"llama3\"", "\"factor\": 32.0", "\"low_freq_factor\": 1.0", "\"high_freq_factor\": 4.0", "\"original_max_position_embeddings\": 8192" })
            Assert.Contains(expected, llama, StringComparison.Ordinal);
        // a qwen3 without an explicit head_dim still writes C / H: Qwen3Config would otherwise read 128
        var implicitHeadDim = HfConfig.Parse(Qwen3) with { ExplicitHeadDim = null };
        Assert.Equal(64, HfConfig.Parse(HfConfig.ToJson(implicitHeadDim)).HeadDim);
    }

    [Theory]
    [InlineData(Qwen25)]
    [InlineData(TinyLlama)]
    [InlineData(Qwen3)]
    [InlineData(Llama32)]
    [InlineData(SmolLM2)]
    public void ToJson_then_Parse_gives_the_same_config(string json)
    {
        var original = HfConfig.Parse(json);
        var back = HfConfig.Parse(HfConfig.ToJson(original));
        Assert.Equal(original.EosTokenIds, back.EosTokenIds);
        Assert.Equal(original, back with { EosTokenIds = original.EosTokenIds });
    }

    [Fact]
    public void ToJson_writes_the_fields_transformers_reads()
    {
        var c = SafeTensorsTestFiles.TinyQwen2(tied: true) with { EosTokenIds = [1, 2], RmsNormEps = 1e-5f };
        string json = HfConfig.ToJson(c);
        foreach (var expected in new[]
        {
            "\"architectures\": [\n    \"Qwen2ForCausalLM\"\n  ]", "\"model_type\": \"qwen2\"", "\"hidden_act\": \"silu\"",
            "\"num_key_value_heads\": 2", "\"rms_norm_eps\": 1E-05", "\"tie_word_embeddings\": true",
            "\"use_sliding_window\": false", "\"rope_scaling\": null", "\"torch_dtype\": \"float32\"",
        })
        {
            Assert.Contains(expected, json, StringComparison.Ordinal);
        }
        Assert.Equal([1, 2], HfConfig.Parse(json).EosTokenIds);
        Assert.Throws<ArgumentException>(() => HfConfig.ToJson(c with { AttentionBias = false }));
        Assert.Throws<ArgumentException>(() => HfConfig.ToJson(c with { ModelType = "llama" }));
        Assert.Contains("\"LlamaForCausalLM\"", HfConfig.ToJson(c with { ModelType = "llama", AttentionBias = false }), StringComparison.Ordinal);
    }
}
