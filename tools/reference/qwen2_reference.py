"""Qwen2 / Qwen3 / Llama causal LM in plain PyTorch, written to follow Hugging Face transformers'
`modeling_qwen2.py`, `modeling_qwen3.py` and `modeling_llama.py` semantics exactly (transformers
itself is not installed here).

What it is: the forward of Qwen2ForCausalLM for fp32 eager attention, no cache, no padding:
  x = embed_tokens[ids]
  per layer:  h = x + o_proj(Attn(RoPE(q_proj(rms(x))), RoPE(k_proj(rms(x))), v_proj(rms(x))))
              x = h + down_proj(silu(gate_proj(rms(h))) * up_proj(rms(h)))
  logits = lm_head(norm(x))   (lm_head.weight is embed_tokens.weight when tied)
Qwen2 specifics, as in HF:
  * bias on q_proj, k_proj, v_proj only (o_proj and the MLP have none);
  * RoPE is "rotate_half": the head vector is split into two halves [x1, x2],
    rotate_half(x) = [-x2, x1], out = x*cos + rotate_half(x)*sin, with
    inv_freq[i] = 1 / theta^(2i/D) computed in float32 (HF Qwen2RotaryEmbedding),
    cos/sin = cos/sin(cat(pos*inv_freq, pos*inv_freq));
  * grouped-query attention by `repeat_kv`: query head h reads kv head h // (H / Hkv);
  * scores scaled by D^-0.5, causal mask, softmax in float32, no dropout;
  * RMSNorm: x * rsqrt(mean(x^2) + eps) * weight (eps inside the sqrt).
Variants selected by the config dict (defaults = Qwen2, so the qwen2 fixtures are unchanged):
  * model_type "qwen3": q_norm / k_norm, an RMSNorm over each head's D values of the projected
    query and key, applied before RoPE (Qwen3Attention); registered after o_proj, so
    named_parameters() lists them after o_proj.weight as HF's module order does;
  * head_dim: the per-head width when it is not hidden_size / num_attention_heads (Qwen3);
  * attention_bias: False drops the q/k/v biases (Llama, Qwen3; True there would also put a bias
    on o_proj, which neither this reference nor the engine implements);
  * no_rope_layers (SmolLM3, model_type "smollm3"): layer l applies RoPE only where the entry is
    1; a 0 makes it a NoPE layer (SmolLM3Attention's use_rope);
  * rope_scaling {"rope_type": "llama3", factor, low_freq_factor, high_freq_factor,
    original_max_position_embeddings}: Llama 3.x frequency scaling of inv_freq, in float32
    (modeling_rope_utils._compute_llama3_parameters; attention factor 1).
What it is not: a copy of HF code, or a KV-cache/generation implementation.
Reference: transformers/models/qwen2/modeling_qwen2.py (v4.4x), its Qwen2RMSNorm,
Qwen2RotaryEmbedding, rotate_half, apply_rotary_pos_emb, repeat_kv, eager_attention_forward;
models/qwen3/modeling_qwen3.py (Qwen3Attention's q_norm/k_norm); modeling_rope_utils.py.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class RMSNorm(nn.Module):
    def __init__(self, dim, eps):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(dim))
        self.eps = eps

    def forward(self, x):
        variance = x.pow(2).mean(-1, keepdim=True)
        return self.weight * (x * torch.rsqrt(variance + self.eps))


def head_dim_of(cfg):
    return cfg.get("head_dim") or cfg["hidden_size"] // cfg["num_attention_heads"]


def rope_inv_freq(head_dim, theta, scaling=None):
    """[D/2] float32 inverse frequencies: HF's default, then the llama3 scaling when given."""
    inv_freq = 1.0 / (theta ** (torch.arange(0, head_dim, 2, dtype=torch.int64).float() / head_dim))
    if scaling is None:
        return inv_freq
    assert scaling["rope_type"] == "llama3", scaling
    factor, low, high = scaling["factor"], scaling["low_freq_factor"], scaling["high_freq_factor"]
    old_context = scaling["original_max_position_embeddings"]
    low_freq_wavelen, high_freq_wavelen = old_context / low, old_context / high
    wavelen = 2 * math.pi / inv_freq
    # long wavelengths (low frequencies) are slowed down by `factor`, short ones kept,
    # the band between interpolated smoothly
    scaled = torch.where(wavelen > low_freq_wavelen, inv_freq / factor, inv_freq)
    smooth = (old_context / wavelen - low) / (high - low)
    smoothed = (1 - smooth) * scaled / factor + smooth * scaled
    medium = ~(wavelen < high_freq_wavelen) * ~(wavelen > low_freq_wavelen)
    return torch.where(medium, smoothed, scaled)


def rope_cos_sin(head_dim, theta, seq_len, scaling=None):
    """[T, D] cos and sin tables, computed the HF way (float32 inv_freq and angles)."""
    inv_freq = rope_inv_freq(head_dim, theta, scaling)
    pos = torch.arange(seq_len, dtype=torch.int64).float()
    freqs = torch.outer(pos, inv_freq)          # [T, D/2]
    emb = torch.cat((freqs, freqs), dim=-1)     # [T, D]
    return emb.cos(), emb.sin()


def rotate_half(x):
    x1 = x[..., : x.shape[-1] // 2]
    x2 = x[..., x.shape[-1] // 2:]
    return torch.cat((-x2, x1), dim=-1)


def repeat_kv(x, groups):
    """[B, Hkv, T, D] -> [B, Hkv*groups, T, D]; kv head j serves query heads j*groups .. j*groups+groups-1."""
    b, hkv, t, d = x.shape
    if groups == 1:
        return x
    return x[:, :, None, :, :].expand(b, hkv, groups, t, d).reshape(b, hkv * groups, t, d)


class Attention(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        c, h, hkv = cfg["hidden_size"], cfg["num_attention_heads"], cfg["num_key_value_heads"]
        self.h, self.hkv, self.d = h, hkv, head_dim_of(cfg)
        bias = cfg.get("attention_bias", True)
        self.q_proj = nn.Linear(c, h * self.d, bias=bias)
        self.k_proj = nn.Linear(c, hkv * self.d, bias=bias)
        self.v_proj = nn.Linear(c, hkv * self.d, bias=bias)
        self.o_proj = nn.Linear(h * self.d, c, bias=False)
        self.qk_norm = cfg.get("model_type", "qwen2") == "qwen3"
        if self.qk_norm:
            self.q_norm = RMSNorm(self.d, cfg["rms_norm_eps"])
            self.k_norm = RMSNorm(self.d, cfg["rms_norm_eps"])

    def project(self, x):
        """q [B, T, H, D], k and v [B, T, Hkv, D]; q and k per-head normalised for qwen3."""
        b, t, _ = x.shape
        q = self.q_proj(x).view(b, t, self.h, self.d)
        k = self.k_proj(x).view(b, t, self.hkv, self.d)
        v = self.v_proj(x).view(b, t, self.hkv, self.d)
        if self.qk_norm:
            q, k = self.q_norm(q), self.k_norm(k)
        return q, k, v

    def forward(self, x, cos, sin, use_rope=True):
        b, t, _ = x.shape
        q, k, v = (y.transpose(1, 2) for y in self.project(x))            # [B, H or Hkv, T, D]
        if use_rope:                                                      # SmolLM3's NoPE layers skip it
            q = q * cos + rotate_half(q) * sin                            # cos/sin: [T, D] broadcast
            k = k * cos + rotate_half(k) * sin
        k = repeat_kv(k, self.h // self.hkv)
        v = repeat_kv(v, self.h // self.hkv)
        scores = torch.matmul(q, k.transpose(2, 3)) * (self.d ** -0.5)    # [B, H, T, T]
        causal = torch.full((t, t), float("-inf")).triu(1)
        # HF upcasts the softmax to float32; promote_types keeps float64 for the self-check model.
        probs = torch.softmax(scores + causal, dim=-1, dtype=torch.promote_types(q.dtype, torch.float32)).to(q.dtype)
        y = torch.matmul(probs, v).transpose(1, 2).reshape(b, t, self.h * self.d)
        return self.o_proj(y)


class MLP(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        c, f = cfg["hidden_size"], cfg["intermediate_size"]
        self.gate_proj = nn.Linear(c, f, bias=False)
        self.up_proj = nn.Linear(c, f, bias=False)
        self.down_proj = nn.Linear(f, c, bias=False)

    def forward(self, x):
        return self.down_proj(F.silu(self.gate_proj(x)) * self.up_proj(x))


class DecoderLayer(nn.Module):
    def __init__(self, cfg, index=0):
        super().__init__()
        self.use_rope = (cfg.get("no_rope_layers") or [1] * (index + 1))[index] == 1
        self.input_layernorm = RMSNorm(cfg["hidden_size"], cfg["rms_norm_eps"])
        self.self_attn = Attention(cfg)
        self.post_attention_layernorm = RMSNorm(cfg["hidden_size"], cfg["rms_norm_eps"])
        self.mlp = MLP(cfg)

    def forward(self, x, cos, sin):
        x = x + self.self_attn(self.input_layernorm(x), cos, sin, self.use_rope)
        return x + self.mlp(self.post_attention_layernorm(x))


class Qwen2Body(nn.Module):
    """HF's `Qwen2Model` (parameter names under the `model.` prefix)."""

    def __init__(self, cfg):
        super().__init__()
        self.embed_tokens = nn.Embedding(cfg["vocab_size"], cfg["hidden_size"])
        self.layers = nn.ModuleList([DecoderLayer(cfg, i) for i in range(cfg["num_hidden_layers"])])
        self.norm = RMSNorm(cfg["hidden_size"], cfg["rms_norm_eps"])


class Qwen2ForCausalLM(nn.Module):
    """Parameter names equal HF's: model.embed_tokens.weight, model.layers.{i}.…, model.norm.weight,
    lm_head.weight (absent from named_parameters when tied, as HF's state dict saving drops it)."""

    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        self.model = Qwen2Body(cfg)
        self.tied = cfg["tie_word_embeddings"]
        if not self.tied:
            self.lm_head = nn.Linear(cfg["hidden_size"], cfg["vocab_size"], bias=False)

    def forward(self, ids):
        t = ids.shape[1]
        cos, sin = rope_cos_sin(head_dim_of(self.cfg), self.cfg["rope_theta"], t, self.cfg.get("rope_scaling"))
        x = self.model.embed_tokens(ids)
        for layer in self.model.layers:
            x = layer(x, cos, sin)
        x = self.model.norm(x)
        w = self.model.embed_tokens.weight if self.tied else self.lm_head.weight
        return F.linear(x, w)                                                # [B, T, V]


def naive_attention(attn, x, cos, sin):
    """Loop-per-head reference (no repeat_kv, no batching over heads) to self-check `Attention`."""
    b, t, _ = x.shape
    g = attn.h // attn.hkv
    q, k, v = attn.project(x)
    out = torch.zeros(b, t, attn.h, attn.d)
    for h in range(attn.h):
        j = h // g
        qh = q[:, :, h] * cos + rotate_half(q[:, :, h]) * sin
        kh = k[:, :, j] * cos + rotate_half(k[:, :, j]) * sin
        s = qh @ kh.transpose(1, 2) / math.sqrt(attn.d)
        s = s.masked_fill(torch.ones(t, t, dtype=torch.bool).triu(1), float("-inf"))
        out[:, :, h] = torch.softmax(s, -1) @ v[:, :, j]
    return attn.o_proj(out.reshape(b, t, attn.h * attn.d))
