#!/usr/bin/env bash
# A user's first own ruleset (examples/rulesets/first.rules reads 3 of the 14 inputs) evaluates
# on every shipped snapshot and manifest: inputs it does not read are ignored and listed once as
# "not used"; `snapshot build --ruleset` writes only what it reads; a date-only --as-of is the
# end of that UTC day. examples/sources.json needs the network: only its offline behaviour is
# tested (the unused URL sources are never fetched, failures name the source).
set -u
riskoff=$1
root=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
. "$root/tests/cli/lib.sh"
cd "$root" || exit 2
rules=examples/rulesets/first.rules

for snapshot in examples/snapshots/*.json; do
  run 0 "eval $snapshot" -- "$riskoff" eval -r "$rules" -s "$snapshot"
  contains "$tmp/out" "not used: " "eval $snapshot: the unused inputs, once"
  [ "$(grep -c 'not used' "$tmp/out")" -eq 1 ] || fail "eval $snapshot: \`not used\` more than once"
  contains "$tmp/out" "breadth50" "eval $snapshot: names an unused input"
  [ -s "$tmp/err" ] && fail "eval $snapshot: unexpected stderr: $(head -3 "$tmp/err")"
  run 0 "eval $snapshot --format json" -- "$riskoff" eval -r "$rules" -s "$snapshot" --format json
  python3 - "$tmp/out" <<'PY' || fail "eval $snapshot --format json: unused_inputs"
import json, sys
doc = json.load(open(sys.argv[1]))
unused = doc["unused_inputs"]
assert "breadth50" in unused and "us10y" not in unused and len(unused) == len(set(unused)), unused
assert [i["name"] for i in doc["inputs"]] == ["us10y", "vix", "spx"], doc["inputs"]
PY
done

# The local manifest, at several instants; a date alone is the end of that UTC day, a full
# timestamp keeps its meaning.
for as_of in 2020-03-16 2025-04-04T21:00:00Z 2026-02-04T00:00:00Z 2026-02-04; do
  run 0 "eval --sources --as-of $as_of" -- "$riskoff" eval -r "$rules" --sources examples/sources-local.json --as-of "$as_of"
  contains "$tmp/err" "note: not used" "eval --sources --as-of $as_of: the note"
  contains "$tmp/err" "btc_funding" "eval --sources --as-of $as_of: names an unused input"
  case $as_of in
    *T*) resolved=$as_of ;;
    *) resolved=${as_of}T23:59:59Z ;;
  esac
  contains "$tmp/out" "as of $resolved" "--as-of $as_of is $resolved"
done

# snapshot build --ruleset writes only what the ruleset reads.
run 0 "snapshot build --ruleset" -- "$riskoff" snapshot build --sources examples/sources-local.json --as-of 2026-02-04 \
  --ruleset "$rules" -o "$tmp/first.json"
python3 - "$tmp/first.json" <<'PY' || fail "snapshot build --ruleset: only the three inputs"
import json, sys
doc = json.load(open(sys.argv[1]))
assert sorted(doc["inputs"]) == ["spx", "us10y", "vix"], sorted(doc["inputs"])
assert doc["as_of"] == "2026-02-04T23:59:59Z", doc["as_of"]
PY
contains "$tmp/err" "note: not used" "snapshot build --ruleset: the note"
run 0 "eval the built snapshot" -- "$riskoff" eval -r "$rules" -s "$tmp/first.json"
grep -q "not used" "$tmp/out" && fail "the built snapshot has nothing unused"

# replay reads the same manifest (only the series the ruleset uses).
run 0 "replay the manifest" -- "$riskoff" replay -r "$rules" --sources examples/sources-local.json --from 2026-01-01 --to 2026-02-04 --quiet

# A snapshot that lacks a required input names its file (standard input included) and the input.
python3 - "$tmp/first.json" "$tmp/no_vix.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
del doc["inputs"]["vix"]
json.dump(doc, open(sys.argv[2], "w"))
PY
run 1 "a required input missing" -- "$riskoff" eval -r "$rules" -s "$tmp/no_vix.json"
contains "$tmp/err" "riskoff eval: $tmp/no_vix.json: required input \`vix\` is missing from the snapshot" "names the file"
"$riskoff" eval -r "$rules" -s - <"$tmp/no_vix.json" >"$tmp/out" 2>"$tmp/err"
contains "$tmp/err" "riskoff eval: standard input: required input \`vix\`" "names standard input"

# Long after the data ends: the message says where each file's data ends.
run 1 "--as-of after the data" -- "$riskoff" eval -r "$rules" --sources examples/sources-local.json --as-of 2030-01-01
contains "$tmp/err" "riskoff eval: examples/sources-local.json: 3 inputs could not be read (--allow-missing decides without them" "the hint fits eval"
contains "$tmp/err" "the data of \`spx\` ends on " "where the data of spx ends"
contains "$tmp/err" "days before the as-of" "how long before the as-of"

# The network manifest, offline: the inputs the ruleset does not read are never fetched, and a
# source that cannot be fetched is named with its URL (redacted).
# A copy, so that its HTTP cache (beside the manifest) lands in the scratch folder.
cp examples/sources.json "$tmp/sources.json"
"$riskoff" eval -r "$rules" --sources "$tmp/sources.json" --as-of 2026-02-04 --fetch-deadline 20 >"$tmp/out" 2>"$tmp/err"
code=$?
if [ "$code" -eq 0 ]; then
  contains "$tmp/err" "note: not used" "eval --sources sources.json (online): the note"
else
  [ "$code" -eq 1 ] || fail "eval --sources sources.json offline: expected exit 1, got $code"
  grep -q "btc_funding" "$tmp/err" && fail "an input the ruleset does not read was fetched: $(cat "$tmp/err")"
  contains "$tmp/err" "sources.json:" "offline: the manifest is named"
  contains "$tmp/err" "input \`us10y\`" "offline: the source is named"
fi

echo "$failures failure(s)"
[ "$failures" -eq 0 ]
