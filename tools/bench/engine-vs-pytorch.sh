#!/usr/bin/env bash
# Engine vs PyTorch on this machine, in one session: runs the PyTorch anchor of ../shared/anchors
# (a quick SGEMM peak for MFU, then training and sampling in PyTorch's default setting and with
# OMP_WAIT_POLICY=PASSIVE) into a scratch copy, then `reasonrl bench engine` against those files.
# The engine table prints each figure beside PyTorch's default run and its best run, as ratios.
#
#   tools/bench/engine-vs-pytorch.sh            # all sizes (about 20 min on an idle 2-core machine)
#   SIZE=small tools/bench/engine-vs-pytorch.sh # one size
#
# Needs Debian's python3-torch, python3-numpy and libopenblas0-pthread (apt-get install -y ...).
# Run it on an otherwise idle machine: both engines use every core.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
anchors="${ANCHORS:-$root/../shared/anchors}"
work="${WORK:-/tmp/reasonrl-anchors}"
size="${SIZE:-all}"
py="${PYTHON:-$(PATH="$(getconf PATH)" command -v python3)}"
if ! "$py" -c "import torch, numpy" 2>/dev/null; then
  echo "$py cannot import torch and numpy: apt-get install -y python3-torch python3-numpy libopenblas0-pthread" >&2
  exit 1
fi
[ -f "$anchors/train_bench.py" ] || { echo "no PyTorch anchor scripts in $anchors (set ANCHORS=...)" >&2; exit 1; }
rm -rf "$work"
cp -r "$anchors" "$work"
rm -f "$work"/results/*.json
cd "$work"
"$py" sgemm_bench.py --quick
cp results/sgemm_quick.json results/sgemm.json   # bench engine's MFU denominator
for setting in default passive; do
  tag=""; env=()
  if [ "$setting" = passive ]; then tag="--tag _passive"; env=(OMP_WAIT_POLICY=PASSIVE); fi
  env "${env[@]}" "$py" train_bench.py --size "$size" $tag
  env "${env[@]}" "$py" sample_bench.py --size "$size" --batch 64 --reps 3 $tag
  env "${env[@]}" "$py" sample_bench.py --size "$size" --batch 1 --reps 5 $tag
done
cd "$root"
dotnet build src/ReasonRL.Cli -c Release -v quiet -nologo
src/ReasonRL.Cli/bin/Release/net10.0/reasonrl bench engine --size "$size" --anchors "$work/results"
