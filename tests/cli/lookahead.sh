#!/usr/bin/env bash
# `riskoff replay --lookahead-check N` on the shipped manifest (examples/sources-local.json, the
# real files in ../shared/data) over a short period: no look-ahead, one line, exit 0. The same
# manifest with the S&P 500 closes brought a day forward (`shift_hours: -24`, the mistake the
# check exists for) is caught: exit 1, the input and the observation named. Usage errors exit 2.
set -u
riskoff=$1
root=$2
part=${3:-all}  # shipped, shifted: one ctest each, under the time limit
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
. "$root/tests/cli/lib.sh"
cd "$root" || exit 2
check() { "$riskoff" replay -r rulesets/riskoff.rules --from 2020-02-01 --to 2020-03-31 --lookahead-check 4 "$@"; }

if [ "$part" = shipped ] || [ "$part" = all ]; then
run 0 "the shipped manifest" -- check --sources examples/sources-local.json
[ "$(cat "$tmp/out")" = "4 steps re-decided from cut files: no look-ahead" ] ||
  fail "the shipped manifest: expected the one line, got: $(head -3 "$tmp/out")"
[ -s "$tmp/err" ] && fail "the shipped manifest: unexpected stderr: $(head -3 "$tmp/err")"

fi

if [ "$part" = shifted ] || [ "$part" = all ]; then
# The manifest's relative paths resolve against its folder: the copy stays beside it.
shifted=examples/.lookahead-test-$$.json
trap 'rm -rf "$tmp" "$shifted"' EXIT
python3 - examples/sources-local.json "$shifted" <<'PY'
import json, sys
manifest = json.load(open(sys.argv[1]))
manifest["inputs"]["spx"]["shift_hours"] = -24
json.dump(manifest, open(sys.argv[2], "w"), indent=1)
PY
run 1 "closes brought a day forward" -- check --sources "$shifted"
contains "$tmp/out" "spx: replay " "the figure that differs"
contains "$tmp/out" "input \`spx\`: the whole files give " "the input named"
contains "$tmp/err" "4 steps re-decided from cut files: " "the summary"
contains "$tmp/err" "(look-ahead)" "called look-ahead"

run 2 "with --db" -- "$riskoff" replay -r rulesets/riskoff.rules --db "$tmp/none.sqlite" --from 2020-02-01 --lookahead-check 4
run 2 "zero steps" -- check --sources examples/sources-local.json --lookahead-check 0
fi
exit $failures
