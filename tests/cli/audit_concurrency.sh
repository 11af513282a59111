#!/usr/bin/env bash
# Four `riskoff eval --record` processes writing to one new store at once: every acknowledged
# record is there exactly once and the chain verifies (busy timeout, immediate transactions).
set -u
riskoff=$1
cd "$2"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
db=$tmp/audit.sqlite
per_writer=${RISKOFF_AUDIT_RECORDS:-12}
snapshots=(examples/snapshots/2026-02-04.json examples/snapshots/2020-03-16.json examples/snapshots/2019-11-15.json)

writer() {  # writer N: records per_writer decisions, logging each acknowledgement
  local n=$1 k
  for ((k = 0; k < per_writer; k++)); do
    "$riskoff" eval -r rulesets/riskoff.rules -s "${snapshots[$(((n + k) % 3))]}" --record --db "$db" \
      >/dev/null 2>>"$tmp/ack.$n" || echo "writer $n: eval failed" >>"$tmp/errors"
  done
}
# The store does not exist yet: the four race to create it too.
for n in 1 2 3 4; do writer $n & done
wait

status=0
if [ -s "$tmp/errors" ]; then
  cat "$tmp/errors" "$tmp"/ack.* | grep -v '^recorded' | head -20
  status=1
fi
expected=$((4 * per_writer))
acknowledged=$(cat "$tmp"/ack.* | grep -c '^recorded decision')
[ "$acknowledged" -eq "$expected" ] || { echo "FAIL: $acknowledged of $expected writes acknowledged"; status=1; }
# Ids handed out are unique and are exactly 1..N.
ids=$(cat "$tmp"/ack.* | sed -n 's/^recorded decision \([0-9]*\) .*/\1/p' | sort -n | uniq | tr '\n' ' ')
[ "$ids" = "$(seq -s ' ' 1 $expected) " ] || { echo "FAIL: ids are not 1..$expected once each: $ids"; status=1; }
"$riskoff" audit verify --db "$db" >"$tmp/verify" 2>&1 || { echo "FAIL: verify"; cat "$tmp/verify"; status=1; }
grep -q "$expected records, chain intact" "$tmp/verify" || { echo "FAIL: expected $expected records:"; cat "$tmp/verify"; status=1; }
[ "$status" -eq 0 ] && echo "four parallel writers: $expected records, chain intact"
exit $status
