// ModelConfig: the shape of a Llama / Qwen2 / Qwen3 / SmolLM3 decoder-only transformer.
// What it is: an immutable record with commented defaults (docs/conventions.md §12); derived sizes are
// computed properties, never stored twice. What it is not: the Hugging Face config.json reader
// (HfConfig maps config.json onto this record) or the parameter layout (ParameterLayout).
// Reference: transformers' Qwen2Config / Qwen3Config / LlamaConfig / SmolLM3Config field names, noted beside each member.
using ReasonRL.Tensors;

namespace ReasonRL.Models;

/// <summary>Architecture hyper-parameters of a decoder-only transformer (Qwen2 / Qwen3 / Llama).</summary>
public sealed record ModelConfig
{
    /// <summary>"qwen2", "qwen3", "llama" or "smollm3" (HF <c>model_type</c>). Qwen2 has q/k/v biases; the
    /// others none; Qwen3 RMS-normalises each query and key head before RoPE (q_norm / k_norm); SmolLM3
    /// is Llama with RoPE left out of some layers (<see cref="NoRopeLayers"/>).</summary>
    public string ModelType { get; init; } = "qwen2";

    /// <summary>V: vocabulary size (HF <c>vocab_size</c>), e.g. 151936 for Qwen2.5-0.5B.</summary>
    public int VocabSize { get; init; } = 64;

    /// <summary>C: model width (HF <c>hidden_size</c>), e.g. 896.</summary>
    public int HiddenSize { get; init; } = 128;

    /// <summary>F: SwiGLU inner width (HF <c>intermediate_size</c>), e.g. 4864.</summary>
    public int IntermediateSize { get; init; } = 384;

    /// <summary>L: decoder layers (HF <c>num_hidden_layers</c>), e.g. 24.</summary>
    public int LayerCount { get; init; } = 4;

    /// <summary>H: query heads (HF <c>num_attention_heads</c>), e.g. 14.</summary>
    public int HeadCount { get; init; } = 4;

    /// <summary>Hkv: key/value heads (HF <c>num_key_value_heads</c>), e.g. 2. Divides H.</summary>
    public int KvHeadCount { get; init; } = 2;

    /// <summary>RoPE base (HF <c>rope_theta</c>), e.g. 1000000 for Qwen2.5, 10000 classic.</summary>
    public double RopeTheta { get; init; } = 10000.0;

    /// <summary>Llama 3.x RoPE frequency scaling (HF <c>rope_scaling</c> with rope_type "llama3"); null = plain RoPE.</summary>
    public RopeScaling? RopeScaling { get; init; }

    /// <summary>SmolLM3's per-layer RoPE switch (HF <c>no_rope_layers</c>): 1 = the layer rotates q and k,
    /// 0 = a NoPE layer (no position encoding); null = RoPE in every layer. At least one entry per layer.</summary>
    public IReadOnlyList<int>? NoRopeLayers { get; init; }

    /// <summary>RMSNorm epsilon (HF <c>rms_norm_eps</c>), e.g. 1e-6.</summary>
    public float RmsNormEps { get; init; } = 1e-6f;

    /// <summary>Longest position the model was configured for (HF <c>max_position_embeddings</c>).</summary>
    public int MaxPositionEmbeddings { get; init; } = 2048;

    /// <summary>LM head shares the token-embedding matrix (HF <c>tie_word_embeddings</c>).</summary>
    public bool TieWordEmbeddings { get; init; } = true;

    /// <summary>Bias on the q/k/v projections (Qwen2: true; Llama: HF <c>attention_bias</c>, usually false).</summary>
    public bool AttentionBias { get; init; } = true;

    /// <summary>Explicit head dimension (HF <c>head_dim</c>) when it is not C / H; null = C / H.</summary>
    public int? ExplicitHeadDim { get; init; }

    /// <summary>Token ids that end generation (HF <c>eos_token_id</c>, int or list).</summary>
    public IReadOnlyList<int> EosTokenIds { get; init; } = [];

    /// <summary>BOS id (HF <c>bos_token_id</c>), if any.</summary>
    public int? BosTokenId { get; init; }

    /// <summary>Per-head RMSNorm of queries and keys before RoPE (HF Qwen3's q_norm / k_norm, weights [D]).</summary>
    public bool QkNorm => ModelType == "qwen3";

    /// <summary>True when layer <paramref name="layer"/> applies RoPE (false only for SmolLM3's NoPE layers).</summary>
    public bool UsesRope(int layer) => NoRopeLayers is null || NoRopeLayers[layer] != 0;

    /// <summary>D: per-head dimension.</summary>
    public int HeadDim => ExplicitHeadDim ?? HiddenSize / HeadCount;

    /// <summary>Query heads per key/value head (GQA group size, H / Hkv).</summary>
    public int KvGroupSize => HeadCount / KvHeadCount;

    /// <summary>Width of the query projection output, H·D.</summary>
    public int QueryDim => HeadCount * HeadDim;

    /// <summary>Width of each of the key and value projection outputs, Hkv·D.</summary>
    public int KvDim => KvHeadCount * HeadDim;

    // Sane maxima (docs/conventions.md §15): several times the largest open models' values
    // (vocab 262,144 for Gemma 3, width 16,384 and F 53,248 for Llama 3.1 405B, 126 layers,
    // 128 heads, head_dim 256, 10M positions for Llama 4 Scout), small enough that every size
    // product below fits a long and every tensor's element count is checked against an int.

    /// <summary>Largest vocab_size accepted.</summary>
    public const int MaxVocabSize = 1 << 22;

    /// <summary>Largest hidden_size accepted.</summary>
    public const int MaxHiddenSize = 1 << 16;

    /// <summary>Largest intermediate_size accepted.</summary>
    public const int MaxIntermediateSize = 1 << 19;

    /// <summary>Largest num_hidden_layers accepted.</summary>
    public const int MaxLayerCount = 1024;

    /// <summary>Largest num_attention_heads accepted.</summary>
    public const int MaxHeadCount = 1024;

    /// <summary>Largest head_dim accepted.</summary>
    public const int MaxHeadDim = 4096;

    /// <summary>Largest max_position_embeddings accepted.</summary>
    public const int MaxPositions = 1 << 25;

    /// <summary>Throws <see cref="ArgumentException"/> naming the field when the shape is inconsistent
    /// or a size is beyond its maximum (the maxima above; products in checked 64-bit arithmetic).</summary>
    public ModelConfig Validate()
    {
        static void Require(bool ok, string field, string expected, object actual)
        {
            if (!ok) throw new ArgumentException($"model config: {field} must be {expected}, got {actual}");
        }
        Require(ModelType is "qwen2" or "qwen3" or "llama" or "smollm3", "model_type", "\"qwen2\", \"qwen3\", \"llama\" or \"smollm3\"", ModelType);
        Require(VocabSize is > 0 and <= MaxVocabSize, "vocab_size", $"in [1, {MaxVocabSize}]", VocabSize);
        Require(HiddenSize is > 0 and <= MaxHiddenSize, "hidden_size", $"in [1, {MaxHiddenSize}]", HiddenSize);
        Require(IntermediateSize is > 0 and <= MaxIntermediateSize, "intermediate_size", $"in [1, {MaxIntermediateSize}]", IntermediateSize);
        Require(LayerCount is > 0 and <= MaxLayerCount, "num_hidden_layers", $"in [1, {MaxLayerCount}]", LayerCount);
        Require(HeadCount is > 0 and <= MaxHeadCount, "num_attention_heads", $"in [1, {MaxHeadCount}]", HeadCount);
        Require(KvHeadCount > 0 && HeadCount % KvHeadCount == 0, "num_key_value_heads",
            $"> 0 and a divisor of num_attention_heads ({HeadCount})", KvHeadCount);
        Require(ExplicitHeadDim is null or (> 0 and <= MaxHeadDim), "head_dim", $"in [1, {MaxHeadDim}]", ExplicitHeadDim ?? 0);
        Require(ExplicitHeadDim is not null || HiddenSize % HeadCount == 0, "hidden_size",
            $"a multiple of num_attention_heads ({HeadCount}) when head_dim is absent", HiddenSize);
        Require(HeadDim % 2 == 0, "head_dim", "even (RoPE rotates halves)", HeadDim);
        Require(MaxPositionEmbeddings is > 0 and <= MaxPositions, "max_position_embeddings", $"in [1, {MaxPositions}]", MaxPositionEmbeddings);
        // Each weight matrix is one tensor indexed by int (docs/conventions.md §9).
        long queryDim = (long)HeadCount * HeadDim;
        Require(checked((long)VocabSize * HiddenSize) <= int.MaxValue, "vocab_size × hidden_size",
            $"at most {int.MaxValue} (one tensor's elements)", checked((long)VocabSize * HiddenSize));
        Require(checked(queryDim * HiddenSize) <= int.MaxValue, "num_attention_heads × head_dim × hidden_size",
            $"at most {int.MaxValue} (one tensor's elements)", checked(queryDim * HiddenSize));
        Require(checked((long)IntermediateSize * HiddenSize) <= int.MaxValue, "intermediate_size × hidden_size",
            $"at most {int.MaxValue} (one tensor's elements)", checked((long)IntermediateSize * HiddenSize));
        Require(RopeTheta > 0, "rope_theta", "> 0", RopeTheta);
        Require(RmsNormEps > 0, "rms_norm_eps", "> 0", RmsNormEps);
        Require(ModelType == "qwen2" || !AttentionBias, "attention_bias",
            $"false for {ModelType} (transformers would also put a bias on o_proj, which the engine does not have)", AttentionBias);
        RopeScaling?.Validate();
        if (NoRopeLayers is { } noRope)
        {
            Require(ModelType == "smollm3", "no_rope_layers", "absent unless model_type is smollm3", $"a list for {ModelType}");
            Require(noRope.Count >= LayerCount, "no_rope_layers", $"a list of at least num_hidden_layers ({LayerCount}) entries", $"{noRope.Count} entries");
            for (int i = 0; i < noRope.Count; i++)
                Require(noRope[i] is 0 or 1, $"no_rope_layers[{i}]", "0 or 1", noRope[i]);
        }
        return this;
    }

    /// <summary>RoPE inverse frequencies [D/2] in float (HF's, then the rope_scaling when present).</summary>
    public float[] RopeInverseFrequencies()
    {
        var invFreq = Kernels.RopeInverseFrequencies(RopeTheta, HeadDim);
        RopeScaling?.Apply(invFreq);
        return invFreq;
    }

    /// <summary>The same frequencies in double (the reference model's).</summary>
    public double[] ReferenceRopeInverseFrequencies()
    {
        var invFreq = Reference.RopeInverseFrequencies(RopeTheta, HeadDim);
        RopeScaling?.Apply(invFreq);
        return invFreq;
    }

    /// <summary>The anchor benchmark configs of ../shared/anchors (tied, fp32, q/k/v bias).</summary>
    public static ModelConfig Anchor(string size) => ModelShapes.AnchorNames.Contains(size)
        ? ModelShapes.Of(size)
        : throw new ArgumentException($"anchor size must be tiny, small or medium, got \"{size}\"");
}
