#!/usr/bin/env bash
# The documented exit codes of `riskoff check` and `riskoff fmt` (docs/cli.md):
# 0 clean, 1 problems in the user's files, 2 usage or I/O error.
set -u
riskoff=$1
cd "$2"
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

# JSON output is machine-readable and names the code.
"$riskoff" check --format json "$tmp/bad.rules" >"$tmp/json" 2>/dev/null
grep -q '"code": "E0201"' "$tmp/json" || { echo "FAIL: json output lacks E0201"; failures=$((failures + 1)); }

if [ "$failures" -ne 0 ]; then
  echo "$failures exit-code checks failed"
  exit 1
fi
echo "all exit-code checks passed"
