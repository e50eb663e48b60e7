// TrainingActivations: the saved forward values a training backward needs, for one (B, T), in one
// slab with an explicit per-layer layout (llm.c's ActivationTensors), plus the backward scratch.
// What it is not: the KV cache (inference keeps only keys/values; see KvCache).
// Glossary: B sequences, T tokens, N = B·T, C width, H/Hkv heads, D head dim, F SwiGLU width, V vocab.
using ReasonRL.Tensors;
using System.Diagnostics.CodeAnalysis;

namespace ReasonRL.Models;

/// <summary>Saved activations of one decoder layer.</summary>
public sealed record LayerActivations(
    SlabEntry Input,      // [N, C] residual stream entering the layer
    SlabEntry Norm1,      // [N, C] input_layernorm output
    SlabEntry Rstd1,      // [N]
    SlabEntry Q,          // [N, H·D] after bias (q_norm) and RoPE
    SlabEntry K,          // [N, Hkv·D] after bias (k_norm) and RoPE
    SlabEntry V,          // [N, Hkv·D]
    SlabEntry Probs,      // [B, H, T, T] attention softmax
    SlabEntry Attn,       // [N, H·D] attention output (before o_proj)
    SlabEntry Mid,        // [N, C] residual after attention
    SlabEntry Norm2,      // [N, C] post_attention_layernorm output
    SlabEntry Rstd2,      // [N]
    SlabEntry Gate,       // [N, F]
    SlabEntry Up,         // [N, F]
    SlabEntry Act,        // [N, F] silu(gate) ⊙ up
    SlabEntry? QRaw = null,   // [N, H·D] q projection before the per-head q_norm (QkNorm only)
    SlabEntry? KRaw = null,   // [N, Hkv·D] k projection before k_norm (QkNorm only)
    SlabEntry? QRstd = null,  // [N·H] rstd of each query head (QkNorm only)
    SlabEntry? KRstd = null); // [N·Hkv] rstd of each key head (QkNorm only)

/// <summary>Activation and scratch slabs for batch B × T tokens.</summary>
public sealed class TrainingActivations : IDisposable
{
    public int Batch { get; private set; }
    public int Tokens { get; private set; }
    public int Rows => Batch * Tokens;

    /// <summary>Saved forward values.</summary>
    public NativeSlab Saved { get; private set; }

    /// <summary>Backward scratch (one layer's worth, reused for every layer).</summary>
    public NativeSlab Scratch { get; private set; }

    public IReadOnlyList<LayerActivations> Layers { get; private set; }

    /// <summary>[N, C] output of the last layer; [N, C] final norm output (the heads' input); [N] its rstd.</summary>
    public SlabEntry Output { get; private set; }
    public SlabEntry Hidden { get; private set; }
    public SlabEntry RstdFinal { get; private set; }

    /// <summary>[N, V] logits; [N] log-sum-exp, target log-probs, entropies.</summary>
    public SlabEntry Logits { get; private set; }
    public SlabEntry Lse { get; private set; }
    public SlabEntry LogProbs { get; private set; }
    public SlabEntry Entropy { get; private set; }

    // scratch entries
    internal SlabEntry DResidual { get; private set; }   // [N, C]
    internal SlabEntry DNorm { get; private set; }       // [N, C]
    internal SlabEntry DQ { get; private set; }          // [N, H·D]
    internal SlabEntry DK { get; private set; }          // [N, Hkv·D]
    internal SlabEntry DV { get; private set; }          // [N, Hkv·D]
    internal SlabEntry DAttn { get; private set; }       // [N, H·D]
    internal SlabEntry DGate { get; private set; }       // [N, F]
    internal SlabEntry DUp { get; private set; }         // [N, F]
    internal SlabEntry DAct { get; private set; }        // [N, F]
    internal SlabEntry DLogits { get; private set; }     // [N, V]
    internal SlabEntry DHidden { get; private set; }     // [N, C]
    internal SlabEntry? DQRaw { get; private set; }      // [N, H·D] gradient before q_norm (QkNorm only)
    internal SlabEntry? DKRaw { get; private set; }      // [N, Hkv·D] gradient before k_norm (QkNorm only)

    public TrainingActivations(ModelConfig config, int batch, int tokens)
    {
        var (saved, scratch) = Carve(config, batch, tokens);
        Saved = new NativeSlab(saved);
        Scratch = new NativeSlab(scratch);
    }

    /// <summary>Re-carves the activations for B × T: each slab keeps its allocation when the new layout fits
    /// (zeroed, as a fresh one would be) and is replaced by a larger one otherwise, so shapes that come and go
    /// (PPO minibatches of every length) stop mapping and faulting in new memory once the largest was seen.</summary>
    public void Reshape(ModelConfig config, int batch, int tokens)
    {
        var (saved, scratch) = Carve(config, batch, tokens);
        Saved = Fit(Saved, saved);
        Scratch = Fit(Scratch, scratch);
    }

    private static NativeSlab Fit(NativeSlab slab, SlabLayout layout)
    {
        if (slab.TryRelayout(layout)) return slab;
        slab.Dispose();
        return new NativeSlab(layout);
    }

    /// <summary>Sets every entry for B × T and returns the saved and scratch layouts.</summary>
    [MemberNotNull(nameof(Layers), nameof(Output), nameof(Hidden), nameof(RstdFinal), nameof(Logits), nameof(Lse), nameof(LogProbs),
        nameof(Entropy), nameof(DResidual), nameof(DNorm), nameof(DQ), nameof(DK), nameof(DV), nameof(DAttn), nameof(DGate), nameof(DUp),
        nameof(DAct), nameof(DLogits), nameof(DHidden))]
    private (SlabLayout Saved, SlabLayout Scratch) Carve(ModelConfig config, int batch, int tokens)
    {
        if (batch < 1 || tokens < 1) throw new ArgumentException($"activations: batch and tokens must be >= 1, got {batch}×{tokens}");
        Batch = batch;
        Tokens = tokens;
        int n = batch * tokens, c = config.HiddenSize, qd = config.QueryDim, kd = config.KvDim, f = config.IntermediateSize;
        var s = new SlabLayout();
        var layers = new List<LayerActivations>();
        for (int l = 0; l < config.LayerCount; l++)
        {
            string p = $"l{l}.";
            layers.Add(new LayerActivations(
                s.Add(p + "input", n, c), s.Add(p + "norm1", n, c), s.Add(p + "rstd1", n),
                s.Add(p + "q", n, qd), s.Add(p + "k", n, kd), s.Add(p + "v", n, kd),
                s.Add(p + "probs", batch, config.HeadCount, tokens, tokens), s.Add(p + "attn", n, qd),
                s.Add(p + "mid", n, c), s.Add(p + "norm2", n, c), s.Add(p + "rstd2", n),
                s.Add(p + "gate", n, f), s.Add(p + "up", n, f), s.Add(p + "act", n, f),
                config.QkNorm ? s.Add(p + "q_raw", n, qd) : null, config.QkNorm ? s.Add(p + "k_raw", n, kd) : null,
                config.QkNorm ? s.Add(p + "q_rstd", n, config.HeadCount) : null, config.QkNorm ? s.Add(p + "k_rstd", n, config.KvHeadCount) : null));
        }
        Layers = layers;
        Output = s.Add("output", n, c);
        Hidden = s.Add("hidden", n, c);
        RstdFinal = s.Add("rstd_final", n);
        Logits = s.Add("logits", n, config.VocabSize);
        Lse = s.Add("lse", n);
        LogProbs = s.Add("logprobs", n);
        Entropy = s.Add("entropy", n);

        var d = new SlabLayout();
        DResidual = d.Add("d_residual", n, c);
        DNorm = d.Add("d_norm", n, c);
        DQ = d.Add("d_q", n, qd);
        DK = d.Add("d_k", n, kd);
        DV = d.Add("d_v", n, kd);
        DAttn = d.Add("d_attn", n, qd);
        DGate = d.Add("d_gate", n, f);
        DUp = d.Add("d_up", n, f);
        DAct = d.Add("d_act", n, f);
        DLogits = d.Add("d_logits", n, config.VocabSize);
        DHidden = d.Add("d_hidden", n, c);
        if (config.QkNorm)
        {
            DQRaw = d.Add("d_q_raw", n, qd);
            DKRaw = d.Add("d_k_raw", n, kd);
        }
        else (DQRaw, DKRaw) = (null, null);
        return (s, d);
    }

    public void Dispose()
    {
        Saved.Dispose();
        Scratch.Dispose();
    }
}
