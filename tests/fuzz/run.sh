#!/usr/bin/env bash
# Runs every fuzz target of targets.txt (or the ones named) for FUZZ_SECONDS each (default 60) on its corpus and
# dictionary, with bounded memory and input length; prints each target's executions per second
# and exits nonzero if any target found something (a crash, an uncaught exception, a sanitizer
# report, a broken promise, a leak, a timeout or running out of memory). The input that found it
# is kept under BUILD/findings/<target>/.
# Usage: run.sh BUILD_DIR CORPORA_DIR [target...]
set -uo pipefail
build=$1
corpora=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
seconds=${FUZZ_SECONDS:-60}
targets=${*:-$(grep -v '^#' "$here/targets.txt")}

# Longest input per target: provider files and manifests are cut at 4 KiB (enough for a header
# and dozens of rows) and rule files (a few dozen declarations), snapshots at 8 KiB (a few series),
# history stores at 8 KiB (16 pages of 512 bytes: the seeds are 8).
max_len() {
  case $1 in
    snapshot | store) echo 8192 ;;
    *) echo 4096 ;;
  esac
}

# One target: its summary line in logs/<target>.result; the exit status is libFuzzer's.
run_one() {
  local target=$1
  local binary=$build/tests/fuzz/riskoff_fuzz_$target findings=$build/findings/$target log=$build/logs/$target.log
  mkdir -p "$findings" "$build/logs" "$corpora/$target"
  # -entropic=0: libFuzzer's default entropic schedule spends most of the time updating feature
  # frequencies when an input reaches ~100k features (the rule checker does): 5x fewer runs.
  "$binary" "$corpora/$target" -dict="$here/dict/$target.dict" -max_total_time="$seconds" \
      -max_len="$(max_len "$target")" -rss_limit_mb=2048 -timeout=10 -entropic=0 \
      -print_final_stats=1 -artifact_prefix="$findings/" >"$log" 2>&1
  local status=$?
  local runs rate
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
  printf '%-28s %8s runs  %6s exec/s  %s\n' "$target" "${runs:-?}" "${rate:-?}" \
      "$([ $status -eq 0 ] && echo ok || echo "FINDING (exit $status), see $log")" | tee "$build/logs/$target.result"
  if [ $status -ne 0 ]; then
    grep -E '^==[0-9]+==ERROR|^SUMMARY|runtime error|Test unit written' "$log" | head -5
  fi
  return $status
}

# FUZZ_JOBS targets at a time (default 1): CI runs two, one per core.
jobs=${FUZZ_JOBS:-1}
failed=()
for target in $targets; do
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
  run_one "$target" &
done
wait
echo
for target in $targets; do
  cat "$build/logs/$target.result"
  grep -q ' ok$' "$build/logs/$target.result" || failed+=("$target")
done
if [ ${#failed[@]} -ne 0 ]; then
  echo "fuzzing found something in: ${failed[*]} (inputs under $build/findings/)" >&2
  exit 1
fi
