#!/usr/bin/env python3
"""Compare lab run folders (or train/sft run folders): summary.json (when the first run has one) and
every metrics.jsonl, with the wall-clock fields removed.

Usage: tools/lab/compare-runs.py RUN_A RUN_B [RUN_C ...]

The wall-clock fields are those named by ReasonRL.Runs.WallClockFields (docs/architecture.md,
"Determinism"): wall_time, created_at, completed_at, keys under time/ and keys ending in _seconds.
summary.json's "command" (the rerun command line, which names the run's own --out folder) is left out too.
Prints one line per compared file and exits 1 when any file differs or is missing.
"""
import json
import pathlib
import sys


def is_wall_clock(key: str) -> bool:
    return key in ("wall_time", "created_at", "completed_at") or key.startswith("time/") or key.endswith("_seconds")


def strip(node, top=True):
    if isinstance(node, dict):
        return {k: strip(v, False) for k, v in node.items() if not is_wall_clock(k) and not (top and k == "command")}
    if isinstance(node, list):
        return [strip(v, False) for v in node]
    return node


def load(path: pathlib.Path):
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".jsonl":
        return [strip(json.loads(line)) for line in text.splitlines() if line.strip()]
    return strip(json.loads(text))


def main(argv):
    if len(argv) < 3:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    runs = [pathlib.Path(a) for a in argv[1:]]
    first = runs[0]
    # summary.json is a lab's; a train or sft run folder has only metrics.jsonl files
    summary = [pathlib.Path("summary.json")] if (first / "summary.json").exists() else []
    files = sorted([p.relative_to(first) for p in first.rglob("metrics.jsonl")] + summary)
    bad = 0
    for rel in files:
        reference = load(first / rel)
        for other in runs[1:]:
            target = other / rel
            if not target.exists():
                print(f"MISSING  {target}")
                bad += 1
            elif load(target) != reference:
                print(f"DIFFERS  {rel}: {first} vs {other}")
                bad += 1
            else:
                print(f"same     {rel}: {first} = {other}")
    print(f"{len(files)} files x {len(runs) - 1} comparisons, {bad} differing or missing")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
