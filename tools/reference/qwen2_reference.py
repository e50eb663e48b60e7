"""Qwen2 causal LM in plain PyTorch, written to follow Hugging Face transformers'
`modeling_qwen2.py` semantics exactly (transformers itself is not installed here).

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
What it is not: a copy of HF code, or a KV-cache/generation implementation.
Reference: transformers/models/qwen2/modeling_qwen2.py (v4.4x), its Qwen2RMSNorm,
Qwen2RotaryEmbedding, rotate_half, apply_rotary_pos_emb, repeat_kv, eager_attention_forward.
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


def rope_cos_sin(head_dim, theta, seq_len):
    """[T, D] cos and sin tables, computed the HF way (float32 inv_freq and angles)."""
    inv_freq = 1.0 / (theta ** (torch.arange(0, head_dim, 2, dtype=torch.int64).float() / head_dim))
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
        self.h, self.hkv, self.d = h, hkv, c // h
        self.q_proj = nn.Linear(c, h * self.d, bias=True)
        self.k_proj = nn.Linear(c, hkv * self.d, bias=True)
        self.v_proj = nn.Linear(c, hkv * self.d, bias=True)
        self.o_proj = nn.Linear(h * self.d, c, bias=False)

    def forward(self, x, cos, sin):
        b, t, _ = x.shape
        q = self.q_proj(x).view(b, t, self.h, self.d).transpose(1, 2)     # [B, H, T, D]
        k = self.k_proj(x).view(b, t, self.hkv, self.d).transpose(1, 2)   # [B, Hkv, T, D]
        v = self.v_proj(x).view(b, t, self.hkv, self.d).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin                                # cos/sin: [T, D] broadcast
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
    def __init__(self, cfg):
        super().__init__()
        self.input_layernorm = RMSNorm(cfg["hidden_size"], cfg["rms_norm_eps"])
        self.self_attn = Attention(cfg)
        self.post_attention_layernorm = RMSNorm(cfg["hidden_size"], cfg["rms_norm_eps"])
        self.mlp = MLP(cfg)

    def forward(self, x, cos, sin):
        x = x + self.self_attn(self.input_layernorm(x), cos, sin)
        return x + self.mlp(self.post_attention_layernorm(x))


class Qwen2Body(nn.Module):
    """HF's `Qwen2Model` (parameter names under the `model.` prefix)."""

    def __init__(self, cfg):
        super().__init__()
        self.embed_tokens = nn.Embedding(cfg["vocab_size"], cfg["hidden_size"])
        self.layers = nn.ModuleList([DecoderLayer(cfg) for _ in range(cfg["num_hidden_layers"])])
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
        cos, sin = rope_cos_sin(self.cfg["hidden_size"] // self.cfg["num_attention_heads"],
                                self.cfg["rope_theta"], t)
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
    q = attn.q_proj(x).view(b, t, attn.h, attn.d)
    k = attn.k_proj(x).view(b, t, attn.hkv, attn.d)
    v = attn.v_proj(x).view(b, t, attn.hkv, attn.d)
    out = torch.zeros(b, t, attn.h, attn.d)
    for h in range(attn.h):
        j = h // g
        qh = q[:, :, h] * cos + rotate_half(q[:, :, h]) * sin
        kh = k[:, :, j] * cos + rotate_half(k[:, :, j]) * sin
        s = qh @ kh.transpose(1, 2) / math.sqrt(attn.d)
        s = s.masked_fill(torch.ones(t, t, dtype=torch.bool).triu(1), float("-inf"))
        out[:, :, h] = torch.softmax(s, -1) @ v[:, :, j]
    return attn.o_proj(out.reshape(b, t, attn.h * attn.d))
