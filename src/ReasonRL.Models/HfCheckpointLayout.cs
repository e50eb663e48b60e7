// HfCheckpointLayout: the tensor names and shapes a Hugging Face Qwen2/Qwen3/Llama causal-LM checkpoint
// holds for a ModelConfig, in transformers' state-dict order, and the check that a loaded or
// to-be-saved tensor set matches them. Shapes follow PyTorch: nn.Linear weights are [out, in],
// biases [out], embeddings [V, C], RMSNorm weights [C].
// Glossary: V vocab, C hidden, F intermediate (ffn), H heads, Hkv kv heads, D head dim, L layers.
// What it is not: the engine's slab layout (that maps these names onto its own memory); this is
// only the checkpoint's naming contract.
// Reference: transformers Qwen2ForCausalLM / LlamaForCausalLM state_dict key names.
using System.Globalization;

namespace ReasonRL.Models;

/// <summary>One checkpoint tensor's HF name and shape.</summary>
public readonly record struct HfTensorSpec(string Name, int[] Shape);

/// <summary>Names and shapes of an HF Qwen2/Llama checkpoint.</summary>
public static class HfCheckpointLayout
{
    /// <summary>Name of the untied output projection.</summary>
    public const string LmHead = "lm_head.weight";

    /// <summary>Name of the token embedding.</summary>
    public const string Embedding = "model.embed_tokens.weight";

    /// <summary>Name of the final RMSNorm weight.</summary>
    public const string FinalNorm = "model.norm.weight";

    /// <summary>Prefix of layer <paramref name="layer"/>'s tensors, "model.layers.{layer}.".</summary>
    public static string LayerPrefix(int layer) => "model.layers." + layer.ToString(CultureInfo.InvariantCulture) + ".";

    /// <summary>Every tensor the checkpoint holds, in this fixed order (the reference PyTorch model's
    /// named_parameters order; transformers' own state-dict order differs, which no loader depends on): embedding, per layer
    /// (input_layernorm, q/k/v (+bias when AttentionBias), o_proj, q_norm/k_norm when QkNorm (Qwen3), post_attention_layernorm,
    /// gate/up/down), final norm, and lm_head.weight unless the embeddings are tied.</summary>
    public static IReadOnlyList<HfTensorSpec> Expected(ModelConfig config)
    {
        config.Validate();
        int c = config.HiddenSize, f = config.IntermediateSize, q = config.QueryDim, kv = config.KvDim;
        var specs = new List<HfTensorSpec> { new(Embedding, [config.VocabSize, c]) };
        for (int l = 0; l < config.LayerCount; l++)
        {
            string p = LayerPrefix(l);
            specs.Add(new(p + "input_layernorm.weight", [c]));
            specs.Add(new(p + "self_attn.q_proj.weight", [q, c]));
            if (config.AttentionBias) specs.Add(new(p + "self_attn.q_proj.bias", [q]));
            specs.Add(new(p + "self_attn.k_proj.weight", [kv, c]));
            if (config.AttentionBias) specs.Add(new(p + "self_attn.k_proj.bias", [kv]));
            specs.Add(new(p + "self_attn.v_proj.weight", [kv, c]));
            if (config.AttentionBias) specs.Add(new(p + "self_attn.v_proj.bias", [kv]));
            specs.Add(new(p + "self_attn.o_proj.weight", [c, q]));
            if (config.QkNorm)
            {
                specs.Add(new(p + "self_attn.q_norm.weight", [config.HeadDim]));
                specs.Add(new(p + "self_attn.k_norm.weight", [config.HeadDim]));
            }
            specs.Add(new(p + "post_attention_layernorm.weight", [c]));
            specs.Add(new(p + "mlp.gate_proj.weight", [f, c]));
            specs.Add(new(p + "mlp.up_proj.weight", [f, c]));
            specs.Add(new(p + "mlp.down_proj.weight", [c, f]));
        }
        specs.Add(new(FinalNorm, [c]));
        if (!config.TieWordEmbeddings) specs.Add(new(LmHead, [config.VocabSize, c]));
        return specs;
    }

    /// <summary>Throws <see cref="HfCheckpointException"/> unless <paramref name="tensors"/> holds
    /// exactly the <see cref="Expected"/> tensors, with those shapes, as floats. With tied
    /// embeddings an extra lm_head.weight of shape [V, C] is tolerated when
    /// <paramref name="allowTiedHead"/> (some published checkpoints carry it).</summary>
    public static void Check(ModelConfig config, IReadOnlyDictionary<string, SafeTensorsTensor> tensors, string where, bool allowTiedHead)
    {
        var expected = Expected(config);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var spec in expected)
        {
            names.Add(spec.Name);
            if (!tensors.TryGetValue(spec.Name, out var t))
                throw new HfCheckpointException(where, spec.Name, $"missing; expected shape {SafeTensorsTensor.FormatShape(spec.Shape)} for this config.json");
            CheckTensor(t, spec.Shape, where);
        }
        foreach (var (name, t) in tensors)
        {
            if (names.Contains(name)) continue;
            if (name == LmHead && config.TieWordEmbeddings && allowTiedHead)
            {
                CheckTensor(t, [config.VocabSize, config.HiddenSize], where);
                continue;
            }
            throw new HfCheckpointException(where, name, config.TieWordEmbeddings && name == LmHead
                ? "present, but config.json has tie_word_embeddings true; a tied checkpoint stores only model.embed_tokens.weight"
                : $"not a tensor of a {config.ModelType} model with this config.json (expected {expected.Count} tensors named as in transformers)");
        }
    }

    private static void CheckTensor(SafeTensorsTensor t, int[] shape, string where)
    {
        if (t.IsInteger)
            throw new HfCheckpointException(where, t.Name, $"dtype must be F32, F16 or BF16, got {SafeTensorsDTypes.HeaderName(t.DType)}");
        if (!t.HasShape(shape))
            throw new HfCheckpointException(where, t.Name, $"shape must be {SafeTensorsTensor.FormatShape(shape)}, got {t.ShapeText}");
    }
}
