#!/usr/bin/env bash
# Writers killed with SIGKILL at random moments while recording: the store always opens and
# verifies, and every record a writer acknowledged (after its commit) is present.
#
#   audit_kill.sh RISKOFF SOURCE_DIR [FIRST [ROUNDS]]   rounds FIRST to FIRST+ROUNDS-1 (default 0, 30)
# ctest runs rounds 0-9, 10-19 and 20-29 as three tests, each under the time limit: the same 30
# kill moments as one run of 30 (the moment depends on the round number).
set -u
riskoff=$1
cd "$2"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
db=$tmp/audit.sqlite
first=${3:-0}
rounds=${4:-${RISKOFF_AUDIT_KILLS:-30}}
status=0

for ((round = first; round < first + rounds; round++)); do
  # Two writers per round: one is killed, one may be mid-transaction beside it.
  "$riskoff" eval -r rulesets/riskoff.rules -s examples/snapshots/2026-02-04.json --record --db "$db" \
    >/dev/null 2>>"$tmp/ack" &
  victim=$!
  "$riskoff" eval -r rulesets/riskoff.rules -s examples/snapshots/2020-03-16.json --record --db "$db" \
    >/dev/null 2>>"$tmp/ack" &
  other=$!
  # A different moment each round: from process start to after the commit.
  sleep "0.$(printf '%03d' $(((round * 53) % 700)))"
  kill -9 $victim 2>/dev/null
  wait $victim 2>/dev/null
  wait $other
  if ! "$riskoff" audit verify --db "$db" >"$tmp/verify" 2>&1; then
    echo "FAIL: round $round: store does not verify after SIGKILL"
    cat "$tmp/verify"
    status=1
    break
  fi
done

# Every acknowledged id is in the store.
"$riskoff" audit list --db "$db" 2>/dev/null | awk 'NR > 1 {print $1}' | sort -n >"$tmp/stored"
sed -n 's/^recorded decision \([0-9]*\) .*/\1/p' "$tmp/ack" | sort -n >"$tmp/acked"
missing=$(comm -23 "$tmp/acked" "$tmp/stored" | tr '\n' ' ')
[ -z "$missing" ] || { echo "FAIL: acknowledged but missing: $missing"; status=1; }
killed=$((rounds * 2 - $(wc -l <"$tmp/acked")))
[ "$status" -eq 0 ] && echo "$rounds rounds from $first: $(wc -l <"$tmp/acked") records acknowledged and present, $killed writers killed before acknowledging; chain intact"
exit $status
