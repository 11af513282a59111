#!/usr/bin/env bash
# `riskoff eval` as whole processes, against /bin/true on the same machine in the same run
# (hyperfine, alternating nothing: each command's runs back to back, warm caches):
#   true       /bin/true: the cost of starting any process here
#   snapshot   eval of examples/snapshots/2026-02-04.json (issue 19: within 5x /bin/true)
#   sources    eval --sources examples/sources-local.json as of the same instant, reading the CSV
#              files of ../shared/data (issue 19: within 2x the snapshot)
# Prints the median wall time of each and the ratios. Usage: bench/eval_startup.sh [RISKOFF]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
riskoff=${1:-build/release/cli/riskoff}
runs=${RUNS:-40}
command -v hyperfine >/dev/null || { echo "eval_startup.sh needs hyperfine (scripts/install-deps test)" >&2; exit 2; }
out=$(mktemp)
trap 'rm -f "$out"' EXIT
rules=rulesets/riskoff.rules
# eval exits 0 for every decision; -N runs each command without a shell in between.
hyperfine -N --warmup 5 --runs "$runs" --export-json "$out" \
  -n true /bin/true \
  -n snapshot "$riskoff eval --ruleset $rules --snapshot examples/snapshots/2026-02-04.json" \
  -n sources "$riskoff eval --ruleset $rules --sources examples/sources-local.json --as-of 2026-02-04T21:00:00Z" \
  >/dev/null
python3 - "$out" <<'PY'
import json, sys
results = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
median = {name: results[name]["median"] * 1000 for name in ("true", "snapshot", "sources")}
user_sys = {name: (results[name]["user"] + results[name]["system"]) * 1000 for name in median}
for name, ms in median.items():
    print(f"{name:9s} median {ms:7.2f} ms wall, mean {user_sys[name]:6.2f} ms CPU")
print(f"snapshot / true    {median['snapshot'] / median['true']:.2f}  (goal <= 5)")
print(f"sources / snapshot {median['sources'] / median['snapshot']:.2f}  (goal <= 2)")
PY
