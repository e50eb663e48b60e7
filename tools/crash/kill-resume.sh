#!/usr/bin/env bash
# kill-resume.sh: crash-resume proven by force. Runs `reasonrl train` (a micro model, a checkpoint
# every step, TensorBoard on) once uninterrupted, then again while killing it with SIGKILL at seeded
# random moments (so some kills land in a checkpoint write), resuming after each kill. After every
# kill a copy of the killed folder is resumed to the end and compared with the uninterrupted run:
# the final weights byte for byte, metrics.jsonl without the wall-clock fields
# (ReasonRL.Runs.WallClockFields, via tools/lab/compare-runs.py), and every step exactly once in
# metrics.jsonl and in TensorBoard. With --lab-kills M it does the same for `reasonrl lab --quick`
# (one design, one seed, few steps), killing it M times and comparing the resumed lab at the end.
#
# Usage: tools/crash/kill-resume.sh [--kills N] [--lab-kills M] [--seed S] [--steps T] [--work DIR]
#   --kills N      SIGKILLs of the train run (default 20; 0 skips the train part); each is verified on its own
#   --lab-kills M  SIGKILLs of the lab run (default 0; a lab run takes minutes)
#   --seed S       seed of the kill moments (default 1)
#   --steps T      PPO steps of the train run (default 12)
#   --work DIR     scratch folder (default a new temp folder, deleted at the end)
# REASONRL (env) is the command that runs the CLI (default: the Release build's apphost; it is built
# when missing). Prints one line per kill and ends with "train: K/N kills resumed bit-identical" (and
# "lab: ..."); exits 0 only when every comparison held.
set -uo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
kills=20; lab_kills=0; seed=1; steps=12; work=""
while [ $# -gt 0 ]; do
  case "$1" in
    --kills) kills="$2"; shift 2 ;;
    --lab-kills) lab_kills="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --steps) steps="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    *) echo "kill-resume.sh: unknown argument '$1' (see the usage at the top of the script)" >&2; exit 2 ;;
  esac
done
if [ -z "${REASONRL:-}" ]; then
  REASONRL="$repo/src/ReasonRL.Cli/bin/Release/net10.0/reasonrl"
  [ -x "$REASONRL" ] || dotnet build "$repo/src/ReasonRL.Cli" -c Release >/dev/null || { echo "kill-resume.sh: build failed" >&2; exit 2; }
fi
if [ -z "$work" ]; then work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT; fi
mkdir -p "$work"
compare="$repo/tools/lab/compare-runs.py"
rrl() { $REASONRL "$@"; }

# delays SEED N LO HI: N seeded numbers in [LO, HI) from awk's generator, so a rerun with the same
# --seed kills at the same moments (what the process is doing then still varies a little).
delays() { awk -v s="$1" -v n="$2" -v lo="$3" -v hi="$4" 'BEGIN { srand(s); for (i = 0; i < n; i++) printf "%.2f\n", lo + rand() * (hi - lo) }'; }

# steps_once DIR: every step of metrics.jsonl once, and TensorBoard holding exactly those steps once.
steps_once() {
  python3 - "$1" <<'PY'
import json, pathlib, struct, sys
run = pathlib.Path(sys.argv[1])
steps = [json.loads(l)["step"] for l in (run / "metrics.jsonl").read_text().splitlines() if l.strip()]
def varint(b, p):
    v = s = 0
    while True:
        c = b[p]; p += 1; v |= (c & 0x7F) << s; s += 7
        if c < 0x80: return v, p
tb = []
for f in sorted((run / "tb").glob("*tfevents*")):
    b = f.read_bytes(); p = 0
    while p < len(b):
        n = struct.unpack_from("<Q", b, p)[0]; d = b[p + 12:p + 12 + n]; p += 16 + n
        q = 0; step = 0; has_summary = False
        while q < len(d):
            key, q = varint(d, q); field, wire = key >> 3, key & 7
            if wire == 0: val, q = varint(d, q); step = val if field == 2 else step
            elif wire == 1: q += 8
            elif wire == 5: q += 4
            elif wire == 2:
                ln, q = varint(d, q); has_summary |= field == 5; q += ln
        if has_summary: tb.append(step)
ok = steps == sorted(set(steps)) and sorted(tb) == steps
print(("" if ok else "STEPS ") + f"metrics {len(steps)} steps, tensorboard {len(tb)} step events, each once: {ok}")
sys.exit(0 if ok else 1)
PY
}

# same_run REF RUN: weights byte-identical, metrics (minus wall clock) equal, each step once.
same_run() {
  local ref="$1" run="$2" ok=0 f
  while IFS= read -r f; do
    cmp -s "$ref/$f" "$run/$f" || { echo "WEIGHTS differ: $f"; ok=1; }
  done < <(cd "$ref" && find . -name '*.safetensors' -not -path '*/checkpoints/*' | sort)
  python3 "$compare" "$ref" "$run" | grep -v '^same' || ok=1
  while IFS= read -r f; do steps_once "$run/$(dirname "$f")" >/dev/null || { steps_once "$run/$(dirname "$f")"; ok=1; }; done \
    < <(cd "$run" && find . -name metrics.jsonl -path '*' | sort)
  return $ok
}

status=0
# --- train -------------------------------------------------------------------------------------
if [ "$kills" -gt 0 ]; then
setup="$work/setup"
if [ ! -d "$setup/sft/model" ]; then
  rrl data lab --out "$setup/data" --sft 16 --train 8 --test 4 >/dev/null || exit 2
  rrl sft run.output_dir="$setup/sft" model.size=micro model.tokenizer=char:lab data.train="$setup/data/sft.jsonl" \
    sft.batch_size=8 sft.epochs=1 run.tensorboard=false >/dev/null || exit 2
fi
train_args=(model.policy="$setup/sft/model" data.prompts="$setup/data/train.jsonl" data.prompts_per_step=2 algorithm.group_size=2
  rollout.max_new_tokens=8 run.total_steps="$steps" run.checkpoint_every=1 run.keep_checkpoints=2 optim.lr=0.001 run.seed=7)
# continue DIR: resume when a checkpoint exists, otherwise (killed before the first one) start again.
# It execs the CLI, so `(continue_train DIR) &` gives the CLI's own pid to kill (not a subshell's, which
# would leave the CLI running as an orphan).
continue_train() { if [ -f "$1/checkpoints/latest" ]; then exec $REASONRL resume "$1"; else exec $REASONRL train run.output_dir="$1" "${train_args[@]}"; fi; }

# The uninterrupted reference (kept when --work already holds a finished one).
[ -f "$work/train-ref/policy/model.safetensors" ] || rrl train run.output_dir="$work/train-ref" "${train_args[@]}" >/dev/null \
  || { echo "uninterrupted train run failed" >&2; exit 2; }
chain="$work/train-killed"; rm -rf "$chain"
# latest_step DIR: the step of the newest checkpoint (0 when there is none).
latest_step() { local l; l="$(cat "$1/checkpoints/latest" 2>/dev/null)"; l="${l#step-}"; echo $((10#${l:-0})); }
# run_and_kill DELAY TARGET MODE: continue the chain until it prints "step TARGET/", then SIGKILL it
# DELAY seconds later (MODE "time") or the moment a checkpoint folder is being written, i.e. a
# checkpoints/step-*.tmp exists (MODE "write"). Returns 1 when the run finished first.
run_and_kill() {
  local delay="$1" target="$2" mode="$3" pid
  rm -f "$work/chain.log"
  (continue_train "$chain") >"$work/chain.log" 2>&1 & pid=$!
  until grep -q "^step $target/" "$work/chain.log" 2>/dev/null; do
    kill -0 "$pid" 2>/dev/null || { wait "$pid"; return 1; }
    sleep 0.05
  done
  if [ "$mode" = write ]; then
    until compgen -G "$chain/checkpoints/step-*.tmp" >/dev/null; do kill -0 "$pid" 2>/dev/null || { wait "$pid"; return 1; }; done
  else
    sleep "$delay"
  fi
  kill -0 "$pid" 2>/dev/null || { wait "$pid"; return 1; }
  kill -KILL "$pid"; wait "$pid" 2>/dev/null
  return 0
}
identical=0; done_kills=0; mid_write=0; i=0; bad_chain=0
# Seeded kill moments: after a step 1 or 2 past the newest checkpoint has been printed, a seeded delay
# of 0 to 1.5 s (a step takes a second or more), so kills land in generation, the update and the
# metrics write; every third kill instead waits for a checkpoint folder being written and kills then.
mapfile -t moments < <(delays "$seed" $((kills * 4)) 0 1.5)
while [ "$done_kills" -lt "$kills" ] && [ "$i" -lt "${#moments[@]}" ]; do
  d="${moments[$i]}"; i=$((i + 1))
  target=$(( $(latest_step "$chain") + 1 + i % 2 )); [ "$target" -lt "$steps" ] || target=$((steps - 1))
  mode=time; [ $((i % 3)) -eq 0 ] && mode=write
  if ! run_and_kill "$d" "$target" "$mode"; then   # finished before the kill: check it, then start a new chain
    same_run "$work/train-ref" "$chain" >/dev/null || { echo "a chain that finished before its kill differs"; bad_chain=1; }
    rm -rf "$chain"; continue
  fi
  done_kills=$((done_kills + 1))
  left="$(find "$chain" \( -name '*.tmp' -o -name '*.old' -o -name '*.del' \) 2>/dev/null | wc -l)"
  [ "$left" -gt 0 ] && mid_write=$((mid_write + 1))
  at="$(cat "$chain/checkpoints/latest" 2>/dev/null || echo none)"
  rm -rf "$work/verify"; cp -a "$chain" "$work/verify"; out=""
  if (continue_train "$work/verify") >"$work/verify.log" 2>&1 && out="$(same_run "$work/train-ref" "$work/verify")"; then
    identical=$((identical + 1)); verdict="bit-identical"
  else
    verdict="DIFFERS: ${out:-} $(tail -3 "$work/verify.log")"
  fi
  moment="${d}s"; [ "$mode" = write ] && moment="during the step $((target + 1)) checkpoint write"
  echo "train kill $done_kills after step $target + $moment: latest checkpoint $at, $left write leftover(s); resumed copy: $verdict"
done
(continue_train "$chain") >"$work/chain.log" 2>&1 || { echo "final resume failed: $(tail -3 "$work/chain.log")"; }
final="differs"; same_run "$work/train-ref" "$chain" >/dev/null && final="bit-identical"
echo "train: $identical/$done_kills kills resumed bit-identical ($mid_write kill(s) left a checkpoint or model write half done); the killed chain resumed to the end: $final"
[ "$identical" -eq "$done_kills" ] && [ "$done_kills" -eq "$kills" ] && [ "$final" = "bit-identical" ] && [ "$bad_chain" -eq 0 ] || status=1
fi

# --- lab ---------------------------------------------------------------------------------------
if [ "$lab_kills" -gt 0 ]; then
  lab_args=(lab --quick --designs success --seeds 1 --steps 3)
  [ -f "$work/lab-ref/summary.json" ] || rrl "${lab_args[@]}" --out "$work/lab-ref" >/dev/null 2>&1 \
    || { echo "uninterrupted lab run failed" >&2; exit 2; }
  lab="$work/lab-killed"; rm -rf "$lab"; lab_done=0
  mapfile -t lab_moments < <(delays "$((seed + 1000))" "$lab_kills" 20 150)
  for d in "${lab_moments[@]}"; do
    (exec $REASONRL "${lab_args[@]}" --out "$lab") >"$work/lab.log" 2>&1 & pid=$!
    sleep "$d"
    kill -0 "$pid" 2>/dev/null || { wait "$pid"; echo "lab finished before the kill at ${d}s"; continue; }
    kill -KILL "$pid"; wait "$pid" 2>/dev/null; lab_done=$((lab_done + 1))
    echo "lab kill $lab_done at ${d}s: stages done: $(ls "$lab/stages" 2>/dev/null | tr '\n' ' ')"
  done
  rrl "${lab_args[@]}" --out "$lab" >"$work/lab.log" 2>&1 || echo "lab resume failed: $(tail -3 "$work/lab.log")"
  if out="$(same_run "$work/lab-ref" "$lab")"; then labv="bit-identical"; else labv="DIFFERS: $out"; status=1; fi
  echo "lab: $lab_done kill(s), resumed lab $labv to the uninterrupted one"
fi
exit $status
