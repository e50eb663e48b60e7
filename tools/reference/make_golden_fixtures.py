"""Writes the golden fixtures that ReasonRL's C# Transformer is checked against.

What it is: for a tiny Qwen2-shaped model (GQA 4 query / 2 kv heads, q/k/v bias, RoPE), once
with tied and once with untied embeddings, and for two variants of the same size — `qwen3`
(per-head q/k RMSNorm, head_dim 16 != hidden/heads, no biases, tied, rope_theta 1e6) and
`llama3` (Llama, no biases, untied, rope_theta 5e5, rope_scaling of type llama3 whose three
frequency bands all occur at head_dim 8), and a smaller `smollm3` (Llama with a NoPE layer:
no_rope_layers [1, 0], V 48, C 16, H 2, Hkv 1) — it writes under <out>/<name>/:
  config.json, model.safetensors   the initial weights as a Hugging Face model directory
  golden.safetensors               input_ids, targets, logits, loss, grad.<param> for every
                                   parameter, adamw_losses[10]; __metadata__ carries the format
                                   tag, version, hyper-parameters and the regenerate command;
                                   the variants also hold rope_inv_freq [D/2] (after scaling).
Every tensor and convention is described in tests/ReasonRL.Models.Tests/Fixtures/README.md.
What it is not: a build or test dependency (run on demand; the outputs are committed).
Run from the repository root with Debian's PyTorch (not the pyenv python first on PATH):
    /usr/bin/python3 tools/reference/make_golden_fixtures.py
Add --out DIR to write elsewhere (e.g. to compare a regeneration byte for byte).
"""
import argparse
import json
import math
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import safetensors_io  # noqa: E402
from qwen2_reference import Qwen2ForCausalLM, head_dim_of, naive_attention, rope_cos_sin, rope_inv_freq  # noqa: E402

FORMAT, VERSION = "reasonrl-golden", "1"
REGENERATE = "/usr/bin/python3 tools/reference/make_golden_fixtures.py"
DEFAULT_OUT = "tests/ReasonRL.Models.Tests/Fixtures"

CONFIG = dict(vocab_size=96, hidden_size=32, intermediate_size=96, num_hidden_layers=2,
              num_attention_heads=4, num_key_value_heads=2, rope_theta=10000.0, rms_norm_eps=1e-6,
              max_position_embeddings=64)
# The variants: config overrides on CONFIG, and the fixed config.json fields of their model_type.
VARIANTS = {
    "qwen3": dict(model_type="qwen3", head_dim=16, attention_bias=False, rope_theta=1000000.0, intermediate_size=48,
                  tie_word_embeddings=True),
    "llama3": dict(model_type="llama", attention_bias=False, rope_theta=500000.0, intermediate_size=48,
                   tie_word_embeddings=False,
                   rope_scaling=dict(rope_type="llama3", factor=8.0, low_freq_factor=1.0, high_freq_factor=4.0,
                                     original_max_position_embeddings=256)),
    # smaller than the others so that all fixtures stay under 1 MB: layer 0 rotates, layer 1 is NoPE
    "smollm3": dict(model_type="smollm3", vocab_size=48, hidden_size=16, intermediate_size=32,
                    num_attention_heads=2, num_key_value_heads=1, attention_bias=False, rope_theta=2000000.0,
                    tie_word_embeddings=True, no_rope_layers=[1, 0]),
}
BATCH, SEQ = 2, 12
SEED = 20240607
INIT = dict(weight_std=0.2, bias_std=0.1, norm_jitter=0.1)   # see init_weights
ADAMW = dict(lr=1e-3, beta1=0.9, beta2=0.95, eps=1e-8, weight_decay=0.1, steps=10)


def init_weights(model, gen):
    """Matrices ~ N(0, 0.2^2) (larger than HF's 0.02 so activations and logits are O(1) and every
    term matters in the comparison), biases ~ N(0, 0.1^2) (non-zero, so bias handling is tested),
    RMSNorm weights 1 + N(0, 0.1^2) (non-unit, so the norm scale is tested)."""
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("norm.weight"):
                p.copy_(1.0 + INIT["norm_jitter"] * torch.randn(p.shape, generator=gen))
            elif name.endswith(".bias"):
                p.copy_(INIT["bias_std"] * torch.randn(p.shape, generator=gen))
            else:
                p.copy_(INIT["weight_std"] * torch.randn(p.shape, generator=gen))


def hf_config_json(tied):
    c = dict(architectures=["Qwen2ForCausalLM"], model_type="qwen2", hidden_act="silu",
             **CONFIG, tie_word_embeddings=tied, use_sliding_window=False, rope_scaling=None,
             attention_dropout=0.0, initializer_range=0.02, use_cache=True,
             bos_token_id=0, eos_token_id=1, torch_dtype="float32")
    return json.dumps(c, indent=2) + "\n"


def variant_config_json(cfg):
    arch = {"qwen3": "Qwen3ForCausalLM", "llama": "LlamaForCausalLM", "smollm3": "SmolLM3ForCausalLM"}[cfg["model_type"]]
    extra = {"llama": dict(mlp_bias=False), "qwen3": dict(use_sliding_window=False),
             "smollm3": dict(mlp_bias=False, use_sliding_window=False)}[cfg["model_type"]]
    c = dict(architectures=[arch], hidden_act="silu", **cfg, **extra, attention_dropout=0.0,
             initializer_range=0.02, use_cache=True, bos_token_id=0, eos_token_id=1, torch_dtype="float32")
    if "rope_scaling" not in c:
        c["rope_scaling"] = None
    return json.dumps(c, indent=2) + "\n"


def loss_of(model, ids, targets):
    logits = model(ids)
    return logits, F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1))


def self_check(model, ids, targets):
    """Checks the reference model against independent formulations before anything is written."""
    cfg = model.cfg
    t = ids.shape[1]
    cos, sin = rope_cos_sin(head_dim_of(cfg), cfg["rope_theta"], t, cfg.get("rope_scaling"))
    layer = model.model.layers[0]
    with torch.no_grad():
        x = layer.input_layernorm(model.model.embed_tokens(ids))
        err = (layer.self_attn(x, cos, sin) - naive_attention(layer.self_attn, x, cos, sin)).abs().max().item()
    assert err < 1e-5, f"attention disagrees with the per-head loop reference ({err})"
    with torch.no_grad():
        changed = ids.clone()
        changed[:, -1] = (changed[:, -1] + 1) % cfg["vocab_size"]
        leak = (model(changed)[:, :-1] - model(ids)[:, :-1]).abs().max().item()
    assert leak == 0.0, "causal mask leaks future tokens"
    # Finite differences in float64 on a few coordinates of every parameter.
    m64 = Qwen2ForCausalLM(cfg).double()
    m64.load_state_dict(model.state_dict())
    _, loss = loss_of(m64, ids, targets)
    grads = torch.autograd.grad(loss, list(m64.parameters()))
    gen = torch.Generator().manual_seed(1)
    worst = 0.0
    for (name, p), g in zip(m64.named_parameters(), grads):
        for _ in range(3):
            i = int(torch.randint(p.numel(), (1,), generator=gen))
            with torch.no_grad():
                old = p.view(-1)[i].item()
                p.view(-1)[i] = old + 1e-6
                up = loss_of(m64, ids, targets)[1].item()
                p.view(-1)[i] = old - 1e-6
                down = loss_of(m64, ids, targets)[1].item()
                p.view(-1)[i] = old
            fd = (up - down) / 2e-6
            worst = max(worst, abs(fd - g.view(-1)[i].item()) / max(1e-4, abs(fd)))
    assert worst < 1e-4, f"autograd vs finite differences: worst relative error {worst}"
    scaling = cfg.get("rope_scaling")
    if scaling:
        # every llama3 band must occur: kept (high frequencies), divided by factor (low), interpolated (middle)
        ratio = rope_inv_freq(head_dim_of(cfg), cfg["rope_theta"]) / rope_inv_freq(head_dim_of(cfg), cfg["rope_theta"], scaling)
        kept, divided = torch.isclose(ratio, torch.tensor(1.0)), torch.isclose(ratio, torch.tensor(scaling["factor"]))
        assert kept.any() and divided.any() and (~kept & ~divided).any(), f"llama3 bands not all exercised: {ratio}"
    return err, worst


def make_fixture(out_dir, name):
    tied = name == "tied"
    variant = VARIANTS.get(name)
    torch.manual_seed(SEED)
    gen = torch.Generator().manual_seed(SEED)
    cfg = dict(CONFIG, **variant) if variant else dict(CONFIG, tie_word_embeddings=tied)
    model = Qwen2ForCausalLM(cfg)
    init_weights(model, gen)
    tokens = torch.randint(0, cfg["vocab_size"], (BATCH, SEQ + 1), generator=gen, dtype=torch.int64)
    ids, targets = tokens[:, :-1].contiguous(), tokens[:, 1:].contiguous()
    attn_err, fd_err = self_check(model, ids, targets)

    names = [n for n, _ in model.named_parameters()]
    weights = [(n, p.detach().clone()) for n, p in model.named_parameters()]

    model.zero_grad()
    logits, loss = loss_of(model, ids, targets)
    loss.backward()
    grads = [("grad." + n, p.grad.detach().clone()) for n, p in model.named_parameters()]

    opt = torch.optim.AdamW(model.parameters(), lr=ADAMW["lr"], betas=(ADAMW["beta1"], ADAMW["beta2"]),
                            eps=ADAMW["eps"], weight_decay=ADAMW["weight_decay"], foreach=False)
    losses = []
    for _ in range(ADAMW["steps"]):
        opt.zero_grad(set_to_none=True)
        _, step_loss = loss_of(model, ids, targets)
        step_loss.backward()
        losses.append(step_loss.item())
        opt.step()
    assert losses[0] == loss.item(), "first AdamW loss must equal the golden loss"

    d = os.path.join(out_dir, name)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "config.json"), "w", encoding="utf-8") as f:
        f.write(variant_config_json(cfg) if variant else hf_config_json(tied))
    safetensors_io.save(os.path.join(d, "model.safetensors"), weights, {"format": "pt"})
    meta = {
        "format": FORMAT, "version": VERSION, "regenerate": REGENERATE,
        "fixture": name, "seed": str(SEED), "torch": torch.__version__,
        "compute_dtype": "float32", "batch": str(BATCH), "seq_len": str(SEQ),
        "loss": "mean token cross-entropy over all batch*seq_len targets (F.cross_entropy, reduction=mean)",
        "init": json.dumps(INIT, sort_keys=True),
        "adamw_lr": repr(ADAMW["lr"]), "adamw_beta1": repr(ADAMW["beta1"]),
        "adamw_beta2": repr(ADAMW["beta2"]), "adamw_eps": repr(ADAMW["eps"]),
        "adamw_weight_decay": repr(ADAMW["weight_decay"]), "adamw_steps": str(ADAMW["steps"]),
        "adamw_decay_applies_to": "every parameter (weights, biases, norm weights, embeddings), "
                                  "torch.optim.AdamW default with one param group",
        "adamw_losses": "adamw_losses[k] = loss of the forward at the weights after k AdamW steps "
                        "(k = 0..steps-1; adamw_losses[0] == loss), same input_ids/targets every step",
        "parameters": ",".join(names),
    }
    golden = [("input_ids", ids), ("targets", targets), ("logits", logits.detach()),
              ("loss", loss.detach().reshape(())), *grads,
              ("adamw_losses", torch.tensor(losses, dtype=torch.float32))]
    if variant:
        golden.append(("rope_inv_freq", rope_inv_freq(head_dim_of(cfg), cfg["rope_theta"], cfg.get("rope_scaling"))))
    path = os.path.join(d, "golden.safetensors")
    safetensors_io.save(path, golden, meta)
    back, back_meta = safetensors_io.load(path)
    assert back_meta == meta and all(torch.equal(back[n], t) for n, t in golden), "round trip failed"
    print(f"{d}: params={sum(w.numel() for _, w in weights)} loss={loss.item():.6f} "
          f"adamw_losses[-1]={losses[-1]:.6f} ln(V)={math.log(cfg['vocab_size']):.4f} "
          f"attn-vs-loop={attn_err:.1e} fd-rel-err={fd_err:.1e}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=DEFAULT_OUT, help=f"output folder (default {DEFAULT_OUT})")
    args = ap.parse_args()
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(1)
    for name in ("tied", "untied", *VARIANTS):
        make_fixture(args.out, name)


if __name__ == "__main__":
    main()
