#!/usr/bin/env bash
# `riskoff replay --sweep` through the shipped binary: every row of a sweep's CSV equals
# `riskoff replay --set` with the row's values (the replay's JSON summary, the same number
# policy), and a heatmap needs exactly two --sweep (usage error, exit 2, as docs/cli.md says).
set -u
riskoff=$1
root=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
. "$root/tests/cli/lib.sh"
cd "$root" || exit 2
replay() {
  "$riskoff" replay --quiet --ruleset tests/golden/replay/new.rules --sources tests/golden/replay/data/sources.json \
    --from 2022-04-01 --to 2022-05-31 "$@"
}

run 0 "a sweep as CSV" -- replay --sweep dollar_jump=0.6%,0.8%,1% --sweep spx_drop=-3%,-2% --format csv
cp "$tmp/out" "$tmp/sweep.csv"
rows=0
while IFS=, read -r dollar_jump spx_drop own total annual volatility drawdown sharpe off_wait changes turnover; do
  [ "$dollar_jump" = dollar_jump ] && continue
  rows=$((rows + 1))
  run 0 "replay --set dollar_jump=$dollar_jump spx_drop=$spx_drop" -- \
    replay --set "dollar_jump=$dollar_jump" --set "spx_drop=$spx_drop" --format json
  got=$(python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))["summary"]
o = s["overlay"]
print(",".join(json.dumps(v) for v in (o["total_return"], o["annual_return"], o["volatility"], o["max_drawdown"])) +
      "," + str(s["changes"]) + "," + json.dumps(s["turnover"]))' "$tmp/out")
  want="$total,$annual,$volatility,$drawdown,$changes,$turnover"
  [ "$got" = "$want" ] || fail "point dollar_jump=$dollar_jump spx_drop=$spx_drop: sweep $want, replay --set $got"
done <"$tmp/sweep.csv"
[ "$rows" -eq 6 ] || fail "expected 6 points in the CSV, read $rows"

run 2 "a heatmap of one parameter" -- replay --sweep dollar_jump=0.6%,1% --chart "$tmp/one.svg"
contains "$tmp/err" "give exactly two --sweep" "the heatmap's usage error"
run 0 "a heatmap of two" -- replay --sweep dollar_jump=0.6%,0.8% --sweep spx_drop=-3%,-2% --chart "$tmp/two.svg"
contains "$tmp/two.svg" 'class="cell own"' "the own point framed"
run 2 "a sweep against another ruleset" -- replay --sweep dollar_jump=1% --against tests/golden/replay/old.rules
contains "$tmp/err" "no --against" "the --against usage error"

exit "$failures"
