#!/usr/bin/env bash
# Smoke run of issue 6 on the lab task (CPU, ~25 min on 2 busy cores): data → SFT → SFT on easier
# (1–2 operation) problems → PPO with the success reward. Run from the repository root after
# `dotnet build ReasonRL.slnx -c Release`. Every run folder holds metrics.jsonl, tb/ (TensorBoard),
# checkpoints/ and config.resolved.yaml; `reasonrl resume runs/<name>` continues any of them.
set -euo pipefail
R="dotnet src/ReasonRL.Cli/bin/Release/net10.0/reasonrl.dll"
$R data lab --out data/lab --sft 1000 --train 500 --test 64
$R data lab --out data/lab-easy --sft 1500 --train 500 --test 64 --min-ops 1 --max-ops 2
$R sft --config examples/sft-lab.yaml sft.epochs=4 run.output_dir=runs/sft-lab
$R sft --config examples/sft-lab.yaml model.init=runs/sft-lab/model model.tokenizer=null \
  data.train=data/lab-easy/sft.jsonl data.eval=data/lab-easy/sft_test.jsonl \
  sft.epochs=1 sft.lr=0.002 sft.warmup_steps=5 run.eval_every=30 run.output_dir=runs/sft-lab-easy
$R train --config examples/train-lab.yaml model.policy=runs/sft-lab-easy/model \
  data.prompts=data/lab-easy/train.jsonl eval.data=data/lab-easy/test.jsonl \
  run.total_steps=30 optim.lr=0.0001 optim.critic_lr=0.0003 eval.every=15 run.output_dir=runs/train-lab

# Part 2 — a smoke run whose reward does rise within 30 steps (measured 2026-11-29: mean total reward
# −0.58 over steps 1–5 → −0.03 over steps 21–25): a policy given only 32 SFT updates on one-operation
# problems often leaves out "The answer is \boxed{N}"; the format term (−1 without a box) teaches it.
# Success itself barely moves at this size (0.02 → 0.03): see the closing note of issue 6.
$R data lab --out data/lab-1op --sft 500 --train 500 --test 50 --min-ops 1 --max-ops 1
$R sft --config examples/sft-lab.yaml data.train=data/lab-1op/sft.jsonl data.eval=data/lab-1op/sft_test.jsonl \
  sft.epochs=1 run.output_dir=runs/sft-lab-1op-short
$R train --config examples/train-lab-format.yaml model.policy=runs/sft-lab-1op-short/model \
  data.prompts=data/lab-1op/train.jsonl eval.data=data/lab-1op/test.jsonl eval.limit=50 \
  run.total_steps=30 data.prompts_per_step=8 algorithm.group_size=8 optim.lr=0.0002 optim.critic_lr=0.0005 \
  eval.every=15 rollout.max_new_tokens=64 run.output_dir=runs/train-lab-format
