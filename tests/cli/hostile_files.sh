#!/usr/bin/env bash
# Hostile files a .args case cannot hold (class "files" of tests/hostile/): FIFOs where riskoff
# expects a file (a snapshot, a rule file, an import, a manifest, a data file) are refused at
# once instead of blocking forever, and `snapshot build -o` on a full disk (a file-size limit:
# the write fails like ENOSPC) leaves neither the output nor a temporary file behind.
set -u
riskoff=$1
source_dir=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
cd "$source_dir" || exit 1

mkfifo "$tmp/fifo"
# run EXPECTED-EXIT MESSAGE ARGS...: must finish within 20 s (a blocked read never would).
run() {
  local expected=$1 message=$2
  shift 2
  timeout 20 "$riskoff" "$@" >"$tmp/out" 2>"$tmp/err"
  local status=$?
  [ "$status" -eq 124 ] && { fail "riskoff $* blocked on a FIFO"; return; }
  [ "$status" -eq "$expected" ] || fail "riskoff $*: exit $status, expected $expected: $(cat "$tmp/err")"
  grep -qF "$message" "$tmp/err" || fail "riskoff $*: expected \`$message\` in: $(cat "$tmp/err")"
}
run 2 "$tmp/fifo: is not a regular file (a FIFO); only regular files are read" \
  eval -r rulesets/riskoff.rules -s "$tmp/fifo"
run 2 "$tmp/fifo: is not a regular file or a directory" check "$tmp/fifo"
run 2 "$tmp/fifo: is not a regular file or a directory" fmt "$tmp/fifo"
run 1 "$tmp/fifo: is not a regular file (a FIFO)" snapshot build --sources "$tmp/fifo"
printf 'ruleset demo version "0.1.0" "imports a FIFO"\nimport "fifo" as f\n' >"$tmp/imports.rules"
run 1 "is not a regular file (a FIFO)" check "$tmp/imports.rules"
printf '{"format": "riskoff.sources/1", "inputs": {"us10y": {"reader": "fred_csv", "unit": "percent", "path": "fifo"}}}\n' >"$tmp/sources.json"
run 1 "$tmp/fifo: is not a regular file (a FIFO)" snapshot build --sources "$tmp/sources.json" --as-of 2026-02-04

# A FIFO and a folder named like test parts beside a ruleset are no parts: skipped, never opened.
mkdir -p "$tmp/parts/demo_test_folder.rules"
mkfifo "$tmp/parts/demo_test_fifo.rules"
printf 'ruleset demo version "0.1.0"\ninput x : scalar number "X"\nsignal up "Up" = x > 0\nprofile p {\n  decide\n    wait otherwise\n}\n' >"$tmp/parts/demo.rules"
printf 'tests demo\ntest "t" {\n  given x = 1\n  expect up is true\n}\n' >"$tmp/parts/demo_test_real.rules"
timeout 20 "$riskoff" test "$tmp/parts/demo.rules" >"$tmp/out" 2>"$tmp/err"
status=$?
[ "$status" -eq 124 ] && fail "riskoff test blocked on a FIFO named like a test part"
[ "$status" -eq 0 ] || fail "test parts beside a FIFO: exit $status, expected 0: $(cat "$tmp/err")"
grep -qx "1 passed, 0 failed" "$tmp/out" || fail "the one regular test part runs: $(cat "$tmp/out")"

# A full disk: writes past 1 KiB fail (EFBIG, with SIGXFSZ ignored as a full disk raises none).
(
  trap '' XFSZ
  ulimit -f 1
  exec "$riskoff" snapshot build --sources tests/data/sources.json --as-of 2020-03-16T21:00:00Z --allow-missing -o "$tmp/snap.json"
) >"$tmp/out" 2>"$tmp/err"
status=$?
[ "$status" -eq 2 ] || fail "snapshot build on a full disk: exit $status, expected 2: $(cat "$tmp/err")"
grep -q "snap.json: cannot write: File too large" "$tmp/err" || fail "full disk explained: $(cat "$tmp/err")"
[ -e "$tmp/snap.json" ] && fail "a partial snapshot was left"
[ -e "$tmp/snap.json.riskoff-tmp" ] && fail "the temporary file was left: $(ls -la "$tmp")"

# An output that exists and is not a regular file (here a FIFO; /dev/null and /dev/stdout alike)
# is written in place, never renamed over: as root, `-o /dev/null` used to replace the device with
# a plain file for every process on the machine.
mkfifo "$tmp/out.fifo"
cat "$tmp/out.fifo" >"$tmp/from-fifo" &
reader=$!
timeout 20 "$riskoff" snapshot build --sources tests/data/sources.json --as-of 2020-03-16T21:00:00Z --allow-missing \
  -o "$tmp/out.fifo" >"$tmp/out" 2>"$tmp/err"
status=$?
wait "$reader"
[ "$status" -eq 0 ] || fail "snapshot build -o FIFO: exit $status, expected 0: $(cat "$tmp/err")"
[ -p "$tmp/out.fifo" ] || fail "snapshot build -o FIFO replaced the FIFO: $(ls -la "$tmp/out.fifo")"
grep -q '"format": "riskoff.snapshot/' "$tmp/from-fifo" || fail "the snapshot did not come through the FIFO: $(head -c 200 "$tmp/from-fifo")"
[ -e "$tmp/out.fifo.riskoff-tmp" ] && fail "a temporary file was left beside the FIFO"
mkdir "$tmp/folder"
run 2 "$tmp/folder: cannot write: it is a folder" snapshot build --sources tests/data/sources.json \
  --as-of 2020-03-16T21:00:00Z --allow-missing -o "$tmp/folder"

if [ "$failures" -ne 0 ]; then echo "$failures hostile file checks failed"; exit 1; fi
echo "all hostile file checks passed"
