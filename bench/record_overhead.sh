#!/usr/bin/env bash
# Usage: bench/record_overhead.sh [RISKOFF_BINARY] [RUNS] from the repository root, after `make build-release`.
# Wall time of `riskoff eval` with and without --record (release build), runs alternated so both
# see the same machine load; prints the medians and their ratio.
set -u
R=${1:-build/release/cli/riskoff}
N=${2:-50}
dir=$(mktemp -d)
db=$dir/audit.sqlite
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
once() {
  local t0=$(date +%s%N)
  "$R" eval -r rulesets/riskoff.rules -s examples/snapshots/2026-02-04.json -p swing "$@" >/dev/null 2>&1
  local t1=$(date +%s%N)
  echo $(((t1 - t0) / 1000))
}
once --record --db "$db" >/dev/null  # creates the store
for ((k = 0; k < N; k++)); do
  once >>"$dir/plain"
  once --record --db "$db" >>"$dir/record"
done
plain=$(median <"$dir/plain")
record=$(median <"$dir/record")
# The minimum is the least disturbed by other work on the machine; the median is typical.
plain_min=$(sort -n "$dir/plain" | head -1)
record_min=$(sort -n "$dir/record" | head -1)
echo "$N runs each: median plain ${plain} us, --record ${record} us, ratio $(awk -v a=$record -v b=$plain 'BEGIN {printf "%.3f", a/b}');" \
  "minimum plain ${plain_min} us, --record ${record_min} us, ratio $(awk -v a=$record_min -v b=$plain_min 'BEGIN {printf "%.3f", a/b}')"
echo "records in store: $("$R" audit list --db "$db" 2>/dev/null | tail -n +2 | wc -l)"
rm -rf "$dir"
