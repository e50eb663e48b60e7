// HfConfig: maps a Hugging Face config.json (model_type "qwen2", "qwen3", "llama" or "smollm3")
// onto ModelConfig and back. Reading is strict about what the engine would silently get wrong
// (rope_scaling other than llama3, sliding windows, mrope, MLP/o_proj biases, activations other
// than SiLU) and lenient about fields it does not need (torch_dtype, transformers_version,
// use_cache, sliding_window / max_window_layers while use_sliding_window is false, …: ignored).
// RoPE: `rope_scaling` (transformers 4.x) or `rope_parameters` (transformers 5, which also carries
// rope_theta) with rope_type (or legacy `type`) "default" (plain RoPE) or "llama3" (factor,
// low_freq_factor, high_freq_factor, original_max_position_embeddings, all required); any other
// type (linear, dynamic, yarn, longrope, …) or unknown key is refused by name.
// Missing optional fields take the defaults of transformers' Qwen2Config / Qwen3Config / LlamaConfig /
// SmolLM3Config:
//   num_key_value_heads    = num_attention_heads   (all)
//   rope_theta             = 10000.0; 2000000.0 for smollm3
//   rms_norm_eps           = 1e-6                  (all)
//   max_position_embeddings= 32768 (qwen2, qwen3, smollm3), 2048 (llama)
//   tie_word_embeddings    = false; true for smollm3
//   no_rope_layers (smollm3 only) = 1 for every layer but each no_rope_layer_interval-th (default 4)
//   attention_bias         = true for qwen2 (not a Qwen2Config field: Qwen2 always has q/k/v
//                            bias), false for the others (true is refused: o_proj bias)
//   head_dim               = 128 for qwen3 (Qwen3Config), else hidden_size / num_attention_heads
//   eos_token_id / bos_token_id = none (LlamaConfig's legacy 2 / 1 are not assumed)
// Required: model_type, vocab_size, hidden_size, intermediate_size, num_hidden_layers,
// num_attention_heads.
// What it is not: a tokenizer or generation_config.json reader.
// References: transformers/models/qwen2/configuration_qwen2.py, models/qwen3/configuration_qwen3.py,
// models/llama/configuration_llama.py, models/smollm3/configuration_smollm3.py, modeling_rope_utils.py (rope types and their keys).
// JSON via JsonDocument / Utf8JsonWriter (no reflection serialisation, docs/conventions.md §11).
using ReasonRL.Core;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ReasonRL.Models;

/// <summary>config.json ⇄ <see cref="ModelConfig"/>.</summary>
public static class HfConfig
{
    /// <summary>Default max_position_embeddings of Qwen2Config.</summary>
    public const int Qwen2DefaultMaxPositions = 32768;

    /// <summary>Default max_position_embeddings of LlamaConfig.</summary>
    public const int LlamaDefaultMaxPositions = 2048;

    /// <summary>Default head_dim of Qwen3Config (independent of hidden_size / num_attention_heads).</summary>
    public const int Qwen3DefaultHeadDim = 128;

    /// <summary>Default rope_theta of SmolLM3Config.</summary>
    public const double SmolLM3DefaultRopeTheta = 2_000_000.0;

    /// <summary>Default no_rope_layer_interval of SmolLM3Config: every 4th layer is a NoPE layer.</summary>
    public const int SmolLM3DefaultNoRopeInterval = 4;

    /// <summary>Reads and maps the config.json at <paramref name="path"/>.</summary>
    /// <exception cref="HfConfigException">a field is missing, mistyped or unsupported.</exception>
    public static ModelConfig Load(string path) => Parse(File.ReadAllText(path, Encoding.UTF8), path);

    /// <summary>Maps config.json text; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="HfConfigException">a field is missing, mistyped or unsupported.</exception>
    public static ModelConfig Parse(string json, string source = "config.json")
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Disallow });
        }
        catch (JsonException ex)
        {
            throw new HfConfigException(source, $"not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine}): {ex.Message}", ex);
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new HfConfigException(source, "(root)", "a JSON object", Describe(root));
            var f = new Fields(root, source);

            string modelType = f.RequiredString("model_type");
            bool qwen2 = modelType == "qwen2", qwen3 = modelType == "qwen3", smollm3 = modelType == "smollm3";
            if (!qwen2 && !qwen3 && !smollm3 && modelType != "llama")
                throw new HfConfigException(source, "model_type", "\"qwen2\", \"qwen3\", \"llama\" or \"smollm3\"", $"\"{modelType}\"");

            int heads = f.RequiredInt("num_attention_heads");
            string act = f.OptionalString("hidden_act") ?? "silu";
            if (act != "silu") throw new HfConfigException(source, "hidden_act", "\"silu\" (SwiGLU MLP)", $"\"{act}\"");
            var (ropeTheta, ropeScaling) = f.Rope(smollm3 ? SmolLM3DefaultRopeTheta : 10000.0);
            if (f.OptionalBool("use_sliding_window") == true)
                throw new HfConfigException(source, "use_sliding_window", "false (full causal attention only)", "true");
            f.RequireFullAttentionLayers();
            if (f.OptionalBool("rope_interleaved") == true)   // nanotron-exported SmolLM configs carry it (false)
                throw new HfConfigException(source, "rope_interleaved", "false (RoPE rotates halves, as transformers does)", "true");
            if (f.OptionalBool("use_mrope") == true)
                throw new HfConfigException(source, "use_mrope", "false (multimodal RoPE is not implemented)", "true");
            if (f.OptionalBool("mlp_bias") == true)
                throw new HfConfigException(source, "mlp_bias", "false (the MLP has no biases)", "true");
            bool attentionBias = qwen2 || (f.OptionalBool("attention_bias") ?? false);
            if (!qwen2 && attentionBias)
                throw new HfConfigException(source, "attention_bias",
                    $"false for {modelType} (transformers then also puts a bias on o_proj, which the engine does not have)", "true");

            int layers = f.RequiredInt("num_hidden_layers");
            var config = new ModelConfig
            {
                ModelType = modelType,
                VocabSize = f.RequiredInt("vocab_size"),
                HiddenSize = f.RequiredInt("hidden_size"),
                IntermediateSize = f.RequiredInt("intermediate_size"),
                LayerCount = layers,
                HeadCount = heads,
                KvHeadCount = f.OptionalInt("num_key_value_heads") ?? heads,
                RopeTheta = ropeTheta,
                RopeScaling = ropeScaling,
                RmsNormEps = (float)(f.OptionalDouble("rms_norm_eps") ?? 1e-6),
                MaxPositionEmbeddings = f.OptionalInt("max_position_embeddings") ?? (modelType == "llama" ? LlamaDefaultMaxPositions : Qwen2DefaultMaxPositions),
                TieWordEmbeddings = f.OptionalBool("tie_word_embeddings") ?? smollm3,
                NoRopeLayers = smollm3 ? f.NoRopeLayers(layers) : null,
                AttentionBias = attentionBias,
                ExplicitHeadDim = f.OptionalInt("head_dim") ?? (qwen3 ? Qwen3DefaultHeadDim : null),
                EosTokenIds = f.IntOrIntList("eos_token_id"),
                BosTokenId = f.OptionalInt("bos_token_id"),
            };
            try
            {
                return config.Validate();
            }
            catch (ArgumentException ex)
            {
                // ModelConfig.Validate says "model config: <hf field> must be <expected>, got <actual>".
                throw FromValidation(source, ex);
            }
        }
    }

    /// <summary>config.json text for <paramref name="config"/> that transformers' AutoConfig /
    /// AutoModelForCausalLM load as Qwen2ForCausalLM, Qwen3ForCausalLM, LlamaForCausalLM or SmolLM3ForCausalLM (float32 weights).</summary>
    /// <exception cref="ArgumentException">the config cannot be expressed for its model_type.</exception>
    public static string ToJson(ModelConfig config)
    {
        config.Validate();
        bool qwen2 = config.ModelType == "qwen2", qwen3 = config.ModelType == "qwen3", smollm3 = config.ModelType == "smollm3";
        if (qwen2 && !config.AttentionBias)
            throw new ArgumentException("model config: attention_bias must be true for model_type qwen2 (transformers' Qwen2 always has q/k/v biases), got false");
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteStartArray("architectures");
            w.WriteStringValue(ArchitecturePrefix(config) + "ForCausalLM");
            w.WriteEndArray();
            w.WriteString("model_type", config.ModelType);
            w.WriteString("hidden_act", "silu");
            w.WriteNumber("vocab_size", config.VocabSize);
            w.WriteNumber("hidden_size", config.HiddenSize);
            w.WriteNumber("intermediate_size", config.IntermediateSize);
            w.WriteNumber("num_hidden_layers", config.LayerCount);
            w.WriteNumber("num_attention_heads", config.HeadCount);
            w.WriteNumber("num_key_value_heads", config.KvHeadCount);
            if (config.ExplicitHeadDim is not null || qwen3) w.WriteNumber("head_dim", config.HeadDim);   // qwen3's default is 128, not C/H
            w.WriteNumber("max_position_embeddings", config.MaxPositionEmbeddings);
            w.WriteNumber("rope_theta", config.RopeTheta);
            w.WriteNumber("rms_norm_eps", config.RmsNormEps); // float overload: shortest text that round-trips the float
            if (config.RopeScaling is { } rs)
            {
                w.WriteStartObject("rope_scaling");
                w.WriteString("rope_type", RopeScaling.Llama3);
                // transformers' llama3 validation warns unless the three factors are JSON floats: write 8.0, not 8
                WriteFloat(w, "factor", rs.Factor);
                WriteFloat(w, "low_freq_factor", rs.LowFreqFactor);
                WriteFloat(w, "high_freq_factor", rs.HighFreqFactor);
                w.WriteNumber("original_max_position_embeddings", rs.OriginalMaxPositionEmbeddings);
                w.WriteEndObject();
            }
            else w.WriteNull("rope_scaling");
            w.WriteBoolean("tie_word_embeddings", config.TieWordEmbeddings);
            if (!config.ModelType.Equals("llama", StringComparison.Ordinal)) w.WriteBoolean("use_sliding_window", false);
            if (!qwen2) w.WriteBoolean("attention_bias", false);
            if (!qwen2 && !qwen3) w.WriteBoolean("mlp_bias", false);
            if (smollm3)
            {
                // explicit, so transformers does not derive it from no_rope_layer_interval
                w.WriteStartArray("no_rope_layers");
                for (int l = 0; l < config.LayerCount; l++) w.WriteNumberValue(config.UsesRope(l) ? 1 : 0);
                w.WriteEndArray();
            }
            if (config.BosTokenId is int bos) w.WriteNumber("bos_token_id", bos);
            if (config.EosTokenIds.Count == 1) w.WriteNumber("eos_token_id", config.EosTokenIds[0]);
            else if (config.EosTokenIds.Count > 1)
            {
                w.WriteStartArray("eos_token_id");
                foreach (int id in config.EosTokenIds) w.WriteNumberValue(id);
                w.WriteEndArray();
            }
            w.WriteString("torch_dtype", "float32");
            w.WriteBoolean("use_cache", true);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <summary>"Qwen2", "Qwen3", "Llama" or "SmolLM3": the transformers class-name prefix of the config's model_type.</summary>
    public static string ArchitecturePrefix(ModelConfig config) => config.ModelType switch
    {
        "qwen2" => "Qwen2",
        "qwen3" => "Qwen3",
        "llama" => "Llama",
        "smollm3" => "SmolLM3",
        _ => throw new ArgumentException($"model config: model_type must be \"qwen2\", \"qwen3\", \"llama\" or \"smollm3\", got {config.ModelType}"),
    };

    /// <summary>Writes <see cref="ToJson"/> to <paramref name="path"/>.</summary>
    public static void Save(string path, ModelConfig config) => AtomicFile.WriteAllText(path, ToJson(config));

    /// <summary>A number with a decimal point or exponent (shortest round-trip text), e.g. 8.0 rather than 8.</summary>
    private static void WriteFloat(Utf8JsonWriter w, string name, double value)
    {
        string text = value.ToString("R", CultureInfo.InvariantCulture);
        if (text.IndexOfAny(['.', 'E', 'e']) < 0) text += ".0";
        w.WritePropertyName(name);
        w.WriteRawValue(text);
    }

    private static HfConfigException FromValidation(string source, ArgumentException ex)
    {
        const string Prefix = "model config: ", MustBe = " must be ", Got = ", got ";
        string m = ex.Message;
        int must = m.IndexOf(MustBe, StringComparison.Ordinal), got = m.LastIndexOf(Got, StringComparison.Ordinal);
        if (!m.StartsWith(Prefix, StringComparison.Ordinal) || must < 0 || got < must)
            return new HfConfigException(source, m, ex);
        return new HfConfigException(source, m[Prefix.Length..must], m[(must + MustBe.Length)..got], m[(got + Got.Length)..]);
    }

    private static string Describe(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => $"\"{e.GetString()}\"",
        JsonValueKind.Undefined => "nothing (field absent)",
        _ => e.GetRawText(),
    };

    /// <summary>Typed access to the root object's fields, each error naming the field.</summary>
    private readonly struct Fields(JsonElement root, string source)
    {
        public bool Has(string name) => root.TryGetProperty(name, out var e) && e.ValueKind != JsonValueKind.Null;

        public string Raw(string name) => root.GetProperty(name).GetRawText();

        /// <summary>rope_theta and the llama3 scaling from rope_scaling / rope_parameters (see file header).</summary>
        public (double Theta, RopeScaling? Scaling) Rope(double defaultTheta)
        {
            double theta = OptionalDouble("rope_theta") ?? defaultTheta;
            string field = Has("rope_scaling") ? "rope_scaling" : Has("rope_parameters") ? "rope_parameters" : "";
            if (field.Length == 0) return (theta, null);
            var e = root.GetProperty(field);
            if (e.ValueKind != JsonValueKind.Object) throw Wrong(field, "null or an object", e);
            var rope = new Fields(e, source);
            string Name(string key) => field + "." + key;
            string? type = rope.OptionalString("rope_type") ?? rope.OptionalString("type");
            if (type is null) throw new HfConfigException(source, Name("rope_type"), "\"default\" or \"llama3\" (required)", "nothing (field absent)");
            if (type is not ("default" or RopeScaling.Llama3))
                throw new HfConfigException(source, Name("rope_type"),
                    "\"default\" or \"llama3\" (other RoPE scalings, e.g. linear, dynamic, yarn, longrope, are not implemented)", $"\"{type}\"");
            bool llama3 = type == RopeScaling.Llama3;
            foreach (var p in e.EnumerateObject())
            {
                bool known = p.Name is "rope_type" or "type"
                    || (p.Name == "rope_theta" && field == "rope_parameters")
                    || (llama3 && p.Name is "factor" or "low_freq_factor" or "high_freq_factor" or "original_max_position_embeddings");
                if (!known)
                    throw new HfConfigException(source, Name(p.Name), $"absent (not a key of rope_type \"{type}\" that ReasonRL implements)", Describe(p.Value));
            }
            if (rope.OptionalDouble("rope_theta") is double t) theta = t;
            if (!llama3) return (theta, null);
            string src = source;
            double Required(string key) => rope.OptionalDouble(key) ?? throw new HfConfigException(src, Name(key), "a number (required for llama3)", "nothing (field absent)");
            var scaling = new RopeScaling
            {
                Factor = Required("factor"),
                LowFreqFactor = Required("low_freq_factor"),
                HighFreqFactor = Required("high_freq_factor"),
                OriginalMaxPositionEmbeddings = rope.OptionalInt("original_max_position_embeddings")
                    ?? throw new HfConfigException(source, Name("original_max_position_embeddings"), "an integer (required for llama3)", "nothing (field absent)"),
            };
            return (theta, scaling);
        }

        /// <summary>SmolLM3's no_rope_layers, or, when absent, SmolLM3Config's derivation from
        /// no_rope_layer_interval: layer l uses RoPE unless (l + 1) is a multiple of the interval.</summary>
        public IReadOnlyList<int> NoRopeLayers(int layers)
        {
            if (Has("no_rope_layers")) return IntOrIntList("no_rope_layers");
            int interval = OptionalInt("no_rope_layer_interval") ?? SmolLM3DefaultNoRopeInterval;
            if (interval <= 0) throw Wrong("no_rope_layer_interval", "> 0", root.GetProperty("no_rope_layer_interval"));
            return [.. Enumerable.Range(0, Math.Max(layers, 0)).Select(l => (l + 1) % interval != 0 ? 1 : 0)];
        }

        /// <summary>Refuses <c>layer_types</c> entries other than "full_attention" (sliding-window layers).</summary>
        public void RequireFullAttentionLayers()
        {
            if (!Present("layer_types", out var e)) return;
            if (e.ValueKind != JsonValueKind.Array) throw Wrong("layer_types", "a list of strings", e);
            int i = 0;
            foreach (var item in e.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.String || item.GetString() != "full_attention")
                    throw Wrong($"layer_types[{i}]", "\"full_attention\" (sliding-window attention is not implemented)", item);
                i++;
            }
        }

        public string RequiredString(string name) => OptionalString(name) ?? throw Missing(name, "a string");

        public int RequiredInt(string name) => OptionalInt(name) ?? throw Missing(name, "an integer");

        public string? OptionalString(string name)
        {
            if (!Present(name, out var e)) return null;
            return e.ValueKind == JsonValueKind.String ? e.GetString() : throw Wrong(name, "a string", e);
        }

        public int? OptionalInt(string name)
        {
            if (!Present(name, out var e)) return null;
            return AsInt(name, e);
        }

        public double? OptionalDouble(string name)
        {
            if (!Present(name, out var e)) return null;
            return e.ValueKind == JsonValueKind.Number && e.TryGetDouble(out double v) && double.IsFinite(v) ? v : throw Wrong(name, "a finite number", e);
        }

        public bool? OptionalBool(string name)
        {
            if (!Present(name, out var e)) return null;
            return e.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw Wrong(name, "true or false", e),
            };
        }

        /// <summary>An int, a list of ints, or absent/null (empty list).</summary>
        public IReadOnlyList<int> IntOrIntList(string name)
        {
            if (!Present(name, out var e)) return [];
            if (e.ValueKind == JsonValueKind.Number) return [AsInt(name, e)];
            if (e.ValueKind != JsonValueKind.Array) throw Wrong(name, "an integer or a list of integers", e);
            var list = new List<int>();
            foreach (var item in e.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt32(out int v))
                    throw Wrong($"{name}[{list.Count}]", "an integer", item);
                list.Add(v);
            }
            return list;
        }

        private bool Present(string name, out JsonElement e) =>
            root.TryGetProperty(name, out e) && e.ValueKind != JsonValueKind.Null;

        private int AsInt(string name, JsonElement e) =>
            e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out int v) ? v : throw Wrong(name, "an integer", e);

        private HfConfigException Missing(string name, string expected) =>
            new(source, name, expected + " (required)", "nothing (field absent)");

        private HfConfigException Wrong(string name, string expected, JsonElement e) =>
            new(source, name, expected, Describe(e));
    }
}
