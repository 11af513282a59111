#!/usr/bin/env bash
# The documented exit codes of `riskoff check` and `riskoff fmt` (docs/cli.md):
# 0 clean, 1 problems in the user's files, 2 usage or I/O error.
#
#   exit_codes.sh RISKOFF SOURCE_DIR [PART]   (PART: check, eval, data, test, replay, replay_store)
set -u
riskoff=$1
cd "$2"
only=${3:-all}
part() { [ "$only" = all ] || [ "$only" = "$1" ]; }
case $only in all | check | eval | data | test | replay | replay_store) ;; *) echo "exit_codes.sh: no part $only"; exit 2 ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0

expect() {  # expect CODE DESCRIPTION -- COMMAND...
  local want=$1 what=$2
  shift 3
  "$@" >"$tmp/out" 2>"$tmp/err"
  local got=$?
  if [ "$got" -ne "$want" ]; then
    echo "FAIL: $what: expected exit $want, got $got: $*"
    sed 's/^/  stdout: /' "$tmp/out" | head -5
    sed 's/^/  stderr: /' "$tmp/err" | head -5
    failures=$((failures + 1))
  fi
}

printf 'ruleset ok version "0.1.0"\ninput x : scalar number "x"\nsignal s "S" = x > 1\nprofile p { decide hedge when s wait otherwise }\n' >"$tmp/good.rules"
printf 'ruleset bad version "0.1.0"\nsignal s "S" = missing_name > 1\n' >"$tmp/bad.rules"
printf 'ruleset warn version "0.1.0"\ninput unused : scalar number "u"\n' >"$tmp/warn.rules"
printf 'ruleset syntax version "0.1.0"\nlet = 1\n' >"$tmp/syntax.rules"
printf 'ruleset  ok   version "0.1.0"\ninput x:scalar number "x"\n' >"$tmp/ugly.rules"
snap=examples/snapshots/2026-02-04.json

# One part per ctest test (tests/CMakeLists.txt), each well under the time limit; no part
# argument runs them all. The parts are not indented, to keep their history readable.
if part check; then
expect 0 "clean file" -- "$riskoff" check "$tmp/good.rules"
expect 1 "errors found" -- "$riskoff" check "$tmp/bad.rules"
expect 0 "warnings only" -- "$riskoff" check "$tmp/warn.rules"
expect 1 "warnings denied" -- "$riskoff" check --deny-warnings "$tmp/warn.rules"
expect 2 "missing file" -- "$riskoff" check "$tmp/nope.rules"
expect 2 "unknown option" -- "$riskoff" check --bogus "$tmp/good.rules"
expect 2 "no subcommand" -- "$riskoff"
expect 0 "help" -- "$riskoff" check --help
expect 1 "json with errors" -- "$riskoff" check --format json "$tmp/bad.rules"
expect 0 "fmt prints" -- "$riskoff" fmt "$tmp/good.rules"
expect 1 "fmt --check on non-canonical" -- "$riskoff" fmt --check "$tmp/ugly.rules"
expect 1 "fmt on a syntax error" -- "$riskoff" fmt "$tmp/syntax.rules"
expect 0 "fmt --write" -- "$riskoff" fmt --write "$tmp/ugly.rules"
expect 0 "fmt --check after --write" -- "$riskoff" fmt --check "$tmp/ugly.rules"
expect 2 "fmt missing file" -- "$riskoff" fmt "$tmp/nope.rules"
# `make demo` builds the command alone: `riskoff serve` without riskoff-serve beside it says how
# to get it (a build tree's run path is absolute, so the copy still finds its library).
mkdir -p "$tmp/alone" && cp "$riskoff" "$tmp/alone/riskoff"
expect 2 "serve without riskoff-serve beside it" -- "$tmp/alone/riskoff" serve --help
grep -q "riskoff-serve.*make install" "$tmp/err" || { echo "FAIL: serve alone: expected how to build riskoff-serve, got: $(cat "$tmp/err")"; failures=$((failures + 1)); }

fi
if part eval; then
# riskoff eval: 0 on a decision, 1 on a ruleset or snapshot error, 2 on usage errors.
expect 0 "eval decides" -- "$riskoff" eval --ruleset rulesets/riskoff.rules --snapshot "$snap"
expect 0 "eval from stdin" -- bash -c "\"$riskoff\" eval -r rulesets/riskoff.rules -s - -f json < $snap"
expect 0 "eval markdown" -- "$riskoff" eval -r rulesets/riskoff.rules -s "$snap" -f markdown
expect 1 "eval with a broken ruleset" -- "$riskoff" eval -r "$tmp/bad.rules" -s "$snap"
expect 2 "eval with an unknown profile" -- "$riskoff" eval -r rulesets/riskoff.rules -s "$snap" -p nope
expect 2 "eval with a bad --set" -- "$riskoff" eval -r rulesets/riskoff.rules -s "$snap" --set yield_jump=1%
expect 2 "eval with a bad format" -- "$riskoff" eval -r rulesets/riskoff.rules -s "$snap" -f yaml
expect 2 "eval without --snapshot" -- "$riskoff" eval -r rulesets/riskoff.rules
head -c 300 "$snap" >"$tmp/truncated.json"
expect 1 "eval on a truncated snapshot" -- "$riskoff" eval -r rulesets/riskoff.rules -s "$tmp/truncated.json"
# A NUL inside the file would end the JSON parser's input early: the junk after it must not pass.
{ cat examples/snapshots/2026-02-04.json; printf '\0{"junk"'; } >"$tmp/nul.json"
expect 1 "eval on a snapshot with a NUL byte" -- "$riskoff" eval -r rulesets/riskoff.rules -s "$tmp/nul.json"
sed 's/"as_of": "2026-02-04T21:00:00Z"/"as_of": "2026-01-04T21:00:00Z"/' "$snap" >"$tmp/lookahead.json"
expect 1 "eval on look-ahead data" -- "$riskoff" eval -r rulesets/riskoff.rules -s "$tmp/lookahead.json"
printf '{"format": "riskoff.snapshot/1", "as_of": "2026-02-04T21:00:00Z", "inputs": {"us10y": {"unit": "percent", "times": ["2026-02-03", "2026-02-02"], "values": [4.2, 4.3]}}}' >"$tmp/unsorted.json"
expect 1 "eval on unsorted data" -- "$riskoff" eval -r rulesets/riskoff.rules -s "$tmp/unsorted.json"
head -c 104857600 /dev/zero | tr '\0' ' ' >"$tmp/spaces.json"
expect 1 "eval on 100 MB of whitespace" -- "$riskoff" eval -r rulesets/riskoff.rules -s "$tmp/spaces.json"
expect 2 "eval on a missing snapshot file" -- "$riskoff" eval -r rulesets/riskoff.rules -s "$tmp/nope.json"
expect 0 "eval --help" -- "$riskoff" eval --help

fi
if part data; then
# riskoff snapshot build: 0 written, 1 sources that cannot be read, 2 usage.
expect 0 "snapshot build" -- "$riskoff" snapshot build --sources examples/sources-local.json --as-of 2026-02-04T21:00:00Z \
    --ruleset rulesets/riskoff.rules -o "$tmp/built.json"
expect 0 "eval the built snapshot" -- "$riskoff" eval -r rulesets/riskoff.rules -s "$tmp/built.json"
expect 0 "eval --sources" -- "$riskoff" eval -r rulesets/riskoff.rules --sources examples/sources-local.json \
    --as-of 2020-03-16T21:00:00Z
expect 1 "snapshot build without the optional inputs' data and no ruleset" -- "$riskoff" snapshot build \
    --sources examples/sources-local.json --as-of 2026-02-04T21:00:00Z
expect 0 "snapshot build --allow-missing" -- "$riskoff" snapshot build --sources examples/sources-local.json \
    --as-of 2026-02-04T21:00:00Z --allow-missing -o "$tmp/partial.json"
expect 2 "snapshot build with a bad time" -- "$riskoff" snapshot build --sources examples/sources-local.json --as-of yesterday
expect 2 "eval with both --snapshot and --sources" -- "$riskoff" eval -r rulesets/riskoff.rules -s "$snap" \
    --sources examples/sources-local.json

# riskoff data: the history store.
expect 0 "data import" -- "$riskoff" data import --db "$tmp/history.sqlite" --sources examples/sources-local.json
expect 0 "data list" -- "$riskoff" data list --db "$tmp/history.sqlite"
expect 0 "data show" -- "$riskoff" data show --db "$tmp/history.sqlite" us10y --from 2026-01-01
expect 1 "data show of an unknown series" -- "$riskoff" data show --db "$tmp/history.sqlite" nope
expect 1 "data list of a file that is not a store" -- "$riskoff" data list --db "$tmp/good.rules"

fi
if part test; then
# riskoff test: 0 all passed, 1 a failure.
expect 0 "test passes" -- "$riskoff" test rulesets/
printf 'ruleset t version "0.1.0"\ninput x : scalar number "x"\nsignal s "S" = x > 1\nprofile p { decide hedge when s wait otherwise }\ntest "wrong on purpose" { given x = 5 expect p -> wait }\n' >"$tmp/failing.rules"
expect 1 "test fails" -- "$riskoff" test "$tmp/failing.rules"
"$riskoff" test "$tmp/failing.rules" >"$tmp/test-out" 2>&1
grep -q "expected p -> wait, got p -> hedge" "$tmp/test-out" || { echo "FAIL: test output lacks expected vs actual"; failures=$((failures + 1)); }
tail -1 "$tmp/test-out" | grep -qx "0 passed, 1 failed" || { echo "FAIL: test output lacks the summary line"; failures=$((failures + 1)); }

fi
if part replay; then
# riskoff replay: 0 replayed, 1 ruleset or data problem, 2 usage or I/O error.
g=tests/golden/replay
rp() { "$riskoff" replay --quiet "$@"; }
expect 0 "replay" -- rp -r $g/new.rules --sources $g/data/sources.json --from 2022-04-01
expect 0 "replay from the store" -- bash -c "\"$riskoff\" data import --db $tmp/h.sqlite --sources $g/data/sources.json && \"$riskoff\" replay -q -r $g/new.rules --db $tmp/h.sqlite --from 2022-04-01 -f csv -o $tmp/steps.csv --chart $tmp/chart.svg"
grep -q '^2022-05-09T00:00:00Z,reduce,' "$tmp/steps.csv" || { echo "FAIL: replay --db -o lacks the 2022-05-09 reduce row"; failures=$((failures + 1)); }
grep -q '</svg>' "$tmp/chart.svg" || { echo "FAIL: replay --chart wrote no SVG"; failures=$((failures + 1)); }
expect 1 "replay with a broken ruleset" -- rp -r "$tmp/bad.rules" --sources $g/data/sources.json --from 2022-04-01
expect 1 "replay with no step in the period" -- rp -r $g/new.rules --sources $g/data/sources.json --from 2030-01-01
expect 1 "replay with an input missing from the store" -- rp -r rulesets/riskoff.rules --db "$tmp/h.sqlite" --from 2022-04-01
expect 2 "replay with a bad date" -- rp -r $g/new.rules --sources $g/data/sources.json --from 2022-13-01
expect 2 "replay with --to before --from" -- rp -r $g/new.rules --sources $g/data/sources.json --from 2022-04-01 --to 2022-01-01
expect 2 "replay without data" -- rp -r $g/new.rules --from 2022-04-01
expect 2 "replay with an unknown profile" -- rp -r $g/new.rules --sources $g/data/sources.json --from 2022-04-01 -p nope
expect 2 "replay with a bad step" -- rp -r $g/new.rules --sources $g/data/sources.json --from 2022-04-01 --every 3w
expect 2 "replay with a bad reference" -- rp -r $g/new.rules --sources $g/data/sources.json --from 2022-04-01 --reference spx=x
expect 2 "replay with a reference that is not a price" -- rp -r rulesets/riskoff.rules --sources examples/sources-local.json --from 2020-01-01 --to 2020-03-01 --reference us10y
sed 's/^profile swing /profile other /' $g/old.rules >"$tmp/other-profile.rules"
expect 2 "replay --against a ruleset without the same profile" -- rp -r $g/new.rules --against "$tmp/other-profile.rules" --sources $g/data/sources.json --from 2022-04-01
expect 2 "replay with a grid of millions of steps" -- rp -r $g/new.rules --sources $g/data/sources.json --from 2000-01-01 --every 0.001h
expect 0 "replay hourly to the end of the data" -- rp -r $g/new.rules --sources $g/data/sources.json --from 2022-05-01 --every 1h -f csv -o "$tmp/hourly.csv"
expect 2 "replay with a hedge ratio past net short 100%" -- rp -r $g/new.rules --sources $g/data/sources.json --from 2022-04-01 --hedge-ratio 30
expect 2 "replay keeping 150% on REDUCE" -- rp -r $g/new.rules --sources $g/data/sources.json --from 2022-04-01 --reduce-to 150%
expect 0 "replay net short on HEDGE" -- rp -r $g/new.rules --sources $g/data/sources.json --from 2022-04-01 --hedge-ratio 2 --chart "$tmp/short.svg"
grep -q 'nan' "$tmp/short.svg" && { echo "FAIL: chart has NaN coordinates"; failures=$((failures + 1)); }
expect 2 "replay with an unknown figure" -- rp -r $g/new.rules --sources $g/data/sources.json --from 2022-04-01 --figures nope
expect 2 "replay with a missing ruleset" -- rp -r "$tmp/nope.rules" --sources $g/data/sources.json --from 2022-04-01
expect 2 "replay with a missing store" -- rp -r $g/new.rules --db "$tmp/nope.sqlite" --from 2022-04-01
fi
if part replay_store; then
g=tests/golden/replay
rp() { "$riskoff" replay --quiet "$@"; }
# The history store and the manifest it was imported from replay to the same bytes.
"$riskoff" data import --db "$tmp/real.sqlite" --sources examples/sources-local.json >/dev/null
rp -r rulesets/riskoff.rules --db "$tmp/real.sqlite" --from 2020-01-01 --to 2020-06-30 -f json -o "$tmp/from-db.json"
rp -r rulesets/riskoff.rules --sources examples/sources-local.json --from 2020-01-01 --to 2020-06-30 -f json -o "$tmp/from-files.json"
cmp -s "$tmp/from-db.json" "$tmp/from-files.json" || { echo "FAIL: replay --db and --sources differ"; failures=$((failures + 1)); }
# The progress bar never reaches a file or pipe.
"$riskoff" replay -r $g/new.rules --sources $g/data/sources.json --from 2022-04-01 >/dev/null 2>"$tmp/replay-err"
[ ! -s "$tmp/replay-err" ] || { echo "FAIL: replay wrote to a non-terminal stderr"; failures=$((failures + 1)); }

fi
if part check; then
# JSON output is machine-readable and names the code.
"$riskoff" check --format json "$tmp/bad.rules" >"$tmp/json" 2>/dev/null
grep -q '"code": "E0201"' "$tmp/json" || { echo "FAIL: json output lacks E0201"; failures=$((failures + 1)); }

fi

if [ "$failures" -ne 0 ]; then
  echo "$failures exit-code checks failed"
  exit 1
fi
echo "all exit-code checks passed"
