"""Loads a Qwen2, Qwen3, Llama or SmolLM3 model directory (e.g. one written by ReasonRL's HfCheckpoint.Save) the way
transformers' from_pretrained would, into the reference PyTorch model, and compares its logits
with a golden fixture.

What it checks: config.json maps onto the reference config; model.safetensors or the shards
named by model.safetensors.index.json parse; every shard carries __metadata__ {"format": "pt"}
(transformers refuses others); the tensor names and shapes load with load_state_dict(strict=True)
(no missing or unexpected keys); the index's total_size equals the stored bytes; and, given
--golden, max |logits - golden logits| on the golden input_ids.
What it is not: transformers itself (not installed here), so this is a strong proxy, not proof.
Usage (repository root):
    /usr/bin/python3 tools/reference/check_hf_dir.py DIR [--golden tests/ReasonRL.Models.Tests/Fixtures/tied/golden.safetensors]
"""
import argparse
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import safetensors_io  # noqa: E402
from qwen2_reference import Qwen2ForCausalLM  # noqa: E402


def load_dir(d):
    single, index = os.path.join(d, "model.safetensors"), os.path.join(d, "model.safetensors.index.json")
    if os.path.exists(single):
        files = ["model.safetensors"]
        total = None
    else:
        with open(index, encoding="utf-8") as f:
            idx = json.load(f)
        files = sorted(set(idx["weight_map"].values()))
        total = idx["metadata"]["total_size"]
    state, stored = {}, 0
    for name in files:
        tensors, meta = safetensors_io.load(os.path.join(d, name))
        assert meta.get("format") == "pt", f"{name}: __metadata__ format must be 'pt', got {meta}"
        for k, t in tensors.items():
            assert k not in state, f"{k} stored twice"
            state[k] = t.float()
            stored += t.numel() * t.element_size()
    if total is not None:
        assert total == stored, f"index total_size {total} != stored bytes {stored}"
        assert set(idx["weight_map"]) == set(state), "index and shards disagree"
    return state, files


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dir")
    ap.add_argument("--golden")
    args = ap.parse_args()
    with open(os.path.join(args.dir, "config.json"), encoding="utf-8") as f:
        c = json.load(f)
    arch = {"qwen2": "Qwen2ForCausalLM", "qwen3": "Qwen3ForCausalLM", "llama": "LlamaForCausalLM",
            "smollm3": "SmolLM3ForCausalLM"}
    assert c["model_type"] in arch and c["architectures"] == [arch[c["model_type"]]], c
    cfg = {k: c[k] for k in ("model_type", "vocab_size", "hidden_size", "intermediate_size", "num_hidden_layers",
                             "num_attention_heads", "num_key_value_heads", "rope_theta", "rms_norm_eps",
                             "tie_word_embeddings")}
    cfg["head_dim"] = c.get("head_dim")
    cfg["attention_bias"] = c["model_type"] == "qwen2" or c.get("attention_bias", False)
    cfg["rope_scaling"] = c.get("rope_scaling")
    cfg["no_rope_layers"] = c.get("no_rope_layers")
    model = Qwen2ForCausalLM(cfg)
    state, files = load_dir(args.dir)
    model.load_state_dict(state, strict=True)
    print(f"{args.dir}: {len(state)} tensors from {len(files)} file(s) load strictly into the reference {arch[c['model_type']]}")
    if args.golden:
        golden, _ = safetensors_io.load(args.golden)
        with torch.no_grad():
            logits = model(golden["input_ids"])
        diff = (logits - golden["logits"]).abs().max().item()
        print(f"max |logits - golden| = {diff:.3e} (max |golden| = {golden['logits'].abs().max().item():.3f})")


if __name__ == "__main__":
    main()
