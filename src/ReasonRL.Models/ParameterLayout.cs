// ParameterLayout: the transformer's parameters as an explicit ordered table named by Hugging Face
// checkpoint keys (docs/conventions.md §9), and per-layer views so forward/backward never unpack 30 names.
// What it is: the mapping config → (HF key, shape) list → slab offsets, shared by parameters,
// gradients and AdamW moments (same layout, different slabs). What it is not: checkpoint IO
// (SafeTensors / HfConfig map files onto these names) or the activations' layout.
// Keys (Qwen2 / Llama, HF modeling_qwen2.py): model.embed_tokens.weight [V, C];
// model.layers.{i}.input_layernorm.weight [C]; model.layers.{i}.self_attn.{q,k,v,o}_proj.weight
// ([H·D, C], [Hkv·D, C], [Hkv·D, C], [C, H·D]); {q,k,v}_proj.bias when AttentionBias;
// self_attn.{q,k}_norm.weight [D] when QkNorm (Qwen3, HF modeling_qwen3.py);
// post_attention_layernorm.weight [C]; mlp.{gate,up}_proj.weight [F, C]; mlp.down_proj.weight [C, F];
// model.norm.weight [C]; lm_head.weight [V, C] only when embeddings are untied.
using ReasonRL.Core;
using ReasonRL.Tensors;

namespace ReasonRL.Models;

/// <summary>Slab entries of one decoder layer (weights, and — in a gradient slab — their gradients).</summary>
public sealed record LayerEntries(
    SlabEntry InputNorm, SlabEntry QWeight, SlabEntry? QBias, SlabEntry KWeight, SlabEntry? KBias,
    SlabEntry VWeight, SlabEntry? VBias, SlabEntry OWeight, SlabEntry PostNorm,
    SlabEntry GateWeight, SlabEntry UpWeight, SlabEntry DownWeight, SlabEntry? QNorm = null, SlabEntry? KNorm = null);

/// <summary>The ordered HF-named parameter table of a <see cref="ModelConfig"/>.</summary>
public sealed class ParameterLayout
{
    /// <summary>The slab layout (order = HF state-dict order of a Qwen2 model).</summary>
    public SlabLayout Slab { get; }

    /// <summary>model.embed_tokens.weight [V, C].</summary>
    public SlabEntry Embedding { get; }

    /// <summary>Per-layer entries, index = layer.</summary>
    public IReadOnlyList<LayerEntries> Layers { get; }

    /// <summary>model.norm.weight [C].</summary>
    public SlabEntry FinalNorm { get; }

    /// <summary>The LM head matrix [V, C]: lm_head.weight when untied, else the embedding itself.</summary>
    public SlabEntry LmHead { get; }

    /// <summary>Total parameter count (no padding).</summary>
    public long ParameterCount => Slab.ElementCount;

    public ParameterLayout(ModelConfig config)
    {
        config.Validate();
        int c = config.HiddenSize, qd = config.QueryDim, kd = config.KvDim, f = config.IntermediateSize;
        var s = new SlabLayout();
        Embedding = s.Add("model.embed_tokens.weight", config.VocabSize, c);
        var layers = new List<LayerEntries>();
        for (int i = 0; i < config.LayerCount; i++)
        {
            string p = $"model.layers.{i}.";
            var inNorm = s.Add(p + "input_layernorm.weight", c);
            var qw = s.Add(p + "self_attn.q_proj.weight", qd, c);
            var qb = config.AttentionBias ? s.Add(p + "self_attn.q_proj.bias", qd) : null;
            var kw = s.Add(p + "self_attn.k_proj.weight", kd, c);
            var kb = config.AttentionBias ? s.Add(p + "self_attn.k_proj.bias", kd) : null;
            var vw = s.Add(p + "self_attn.v_proj.weight", kd, c);
            var vb = config.AttentionBias ? s.Add(p + "self_attn.v_proj.bias", kd) : null;
            var ow = s.Add(p + "self_attn.o_proj.weight", c, qd);
            var qn = config.QkNorm ? s.Add(p + "self_attn.q_norm.weight", config.HeadDim) : null;
            var kn = config.QkNorm ? s.Add(p + "self_attn.k_norm.weight", config.HeadDim) : null;
            var post = s.Add(p + "post_attention_layernorm.weight", c);
            var gate = s.Add(p + "mlp.gate_proj.weight", f, c);
            var up = s.Add(p + "mlp.up_proj.weight", f, c);
            var down = s.Add(p + "mlp.down_proj.weight", c, f);
            layers.Add(new LayerEntries(inNorm, qw, qb, kw, kb, vw, vb, ow, post, gate, up, down, qn, kn));
        }
        Layers = layers;
        FinalNorm = s.Add("model.norm.weight", c);
        LmHead = config.TieWordEmbeddings ? Embedding : s.Add("lm_head.weight", config.VocabSize, c);
        Slab = s;
    }

    /// <summary>True for RMSNorm weights (initialised to 1): the layer norms, the final norm and Qwen3's per-head q/k norms.</summary>
    public static bool IsNormWeight(string name) => name.EndsWith("layernorm.weight", StringComparison.Ordinal) || name == "model.norm.weight"
        || name.EndsWith("self_attn.q_norm.weight", StringComparison.Ordinal) || name.EndsWith("self_attn.k_norm.weight", StringComparison.Ordinal);

    /// <summary>Fills a parameter slab as HF's _init_weights does for training from scratch: matrices
    /// N(0, std²) (std e.g. 0.02), biases 0, RMSNorm weights 1. Deterministic for a seed (one Rng(seed)
    /// drawn through the matrices in layout order).</summary>
    public void InitializeRandom(NativeSlab parameters, int seed, float std = 0.02f)
    {
        var rng = new Rng(unchecked((ulong)seed));
        foreach (var e in Slab.Entries)
        {
            var v = parameters.View(e);
            if (IsNormWeight(e.Name)) v.Fill(1f);
            else if (e.Name.EndsWith(".bias", StringComparison.Ordinal)) v.Clear();
            else FillNormal(rng, v, std);
        }
    }

    /// <summary>Fills with N(0, std²) draws (Box–Muller on the given RNG).</summary>
    public static void FillNormal(Rng rng, Span<float> values, float std)
    {
        for (int i = 0; i < values.Length; i += 2)
        {
            double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
            double r = Math.Sqrt(-2.0 * Math.Log(u1));
            values[i] = (float)(r * Math.Cos(2 * Math.PI * u2) * std);
            if (i + 1 < values.Length) values[i + 1] = (float)(r * Math.Sin(2 * Math.PI * u2) * std);
        }
    }
}
