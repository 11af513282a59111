#!/usr/bin/env bash
# The audit trail end to end (docs/audit.md): eval --record, then audit list/show/replay/verify/
# diff/export; the ruleset registry; tampered, truncated and foreign stores exit 1 with a clear
# error naming the file.
#
#   audit.sh RISKOFF SOURCE_DIR [PART]   (PART: record, registry, imports, tamper, stores; none: all)
set -u
riskoff=$1
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$2"
only=${3:-all}
part() { [ "$only" = all ] || [ "$only" = "$1" ]; }
case $only in all | record | registry | imports | tamper | stores) ;; *) echo "audit.sh: no part $only"; exit 2 ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
db=$tmp/audit.sqlite
export RISKOFF_DB=$db

source "$here/lib.sh"

rules=rulesets/riskoff.rules
# The three decisions the record and tamper parts start from.
record_three() {
  run 0 "eval --record" -- "$riskoff" eval -r $rules -s examples/snapshots/2026-02-04.json -p swing --record
  [ -f "$tmp/plain.txt" ] && { cmp -s "$tmp/out" "$tmp/plain.txt" || fail "eval --record changed standard output"; }
  contains "$tmp/err" "recorded decision 1 in $db" "record acknowledgement"
  run 0 "eval --record json with an override" -- "$riskoff" eval -r $rules -s examples/snapshots/2020-03-16.json \
    --set yield_jump=20bp -f json --record
  run 0 "eval --record --db" -- "$riskoff" eval -r $rules -s examples/snapshots/2019-11-15.json -p long_term --record --db "$db"
  contains "$tmp/err" "recorded decision 3" "third record"
}
# The edited copy of the ruleset that the registry and recheck checks use.
cp -r rulesets "$tmp/rulesets"
sed -i 's/param yield_jump = 15bp/param yield_jump = 1bp/' "$tmp/rulesets/riskoff.rules"

# One part per ctest test (tests/CMakeLists.txt), each well under the time limit; no part
# argument runs them all, in one store. The parts are not indented, to keep their history readable.
if part record; then
# 1. Record three decisions; stdout is exactly what eval prints without --record.
"$riskoff" eval -r $rules -s examples/snapshots/2026-02-04.json -p swing >"$tmp/plain.txt"
record_three

run 0 "audit list" -- "$riskoff" audit list
[ "$(grep -c riskoff@0.2.0 "$tmp/out")" -eq 3 ] || fail "audit list: expected 3 rows"
run 0 "audit list --action" -- "$riskoff" audit list --action HEDGE --from 2020-01-01 --to 2020-03-16
[ "$(grep -c hedge "$tmp/out")" -eq 1 ] || fail "audit list --action HEDGE --to 2020-03-16: expected 1 row"

# 2. show prints the explanation as it was.
run 0 "audit show" -- "$riskoff" audit show 1
cmp -s "$tmp/out" "$tmp/plain.txt" || fail "audit show 1 differs from what eval printed"
"$riskoff" eval -r $rules -s examples/snapshots/2020-03-16.json --set yield_jump=20bp -f markdown >"$tmp/plain.md"
run 0 "audit show markdown" -- "$riskoff" audit show 2 --format markdown
cmp -s "$tmp/out" "$tmp/plain.md" || fail "audit show 2 --format markdown differs from eval's"
run 1 "audit show unknown id" -- "$riskoff" audit show 42
contains "$tmp/err" "no decision 42" "unknown id"

# 3. replay: same decision, byte-identical trace, override included.
for id in 1 2 3; do
  run 0 "audit replay $id" -- "$riskoff" audit recheck $id
  contains "$tmp/out" "trace byte-identical" "replay $id"
done
# ... and the replay uses the stored ruleset, not the file: editing the file changes nothing.
run 0 "replay ignores later edits" -- "$riskoff" audit recheck 1

# 4. verify, diff, export.
run 0 "audit verify" -- "$riskoff" audit verify
contains "$tmp/out" "3 records, chain intact" "verify"
head_hash=$(sed -n 's/^head //p' "$tmp/out")
run 0 "verify against the anchored head" -- "$riskoff" audit verify --head "$head_hash"
run 1 "verify against a head not in the chain" -- "$riskoff" audit verify --head 0123abcd0123abcd0123abcd0123abcd0123abcd0123abcd0123abcd0123abcd
contains "$tmp/out" "the anchored head 0123abcd0123abcd0123abcd0123abcd0123abcd0123abcd0123abcd0123abcd is not in the chain" "anchored head"
run 0 "audit diff" -- "$riskoff" audit diff 1 2
contains "$tmp/out" "overrides: none -> yield_jump=20bp" "diff overrides"
contains "$tmp/out" "~ signal vix_spike: false -> true" "diff signals"
run 0 "audit export" -- "$riskoff" audit export
[ "$(wc -l <"$tmp/out")" -eq 3 ] || fail "export: expected 3 lines"
python3 -c 'import json, sys
for line in open(sys.argv[1]): json.loads(line)' "$tmp/out" || fail "export is not JSON Lines"
fi

if part registry; then
# 5. The registry: publish, refuse a changed text under the same version, show, diff.
run 0 "publish" -- "$riskoff" ruleset publish $rules
contains "$tmp/out" "published riskoff 0.2.0" "publish"
run 0 "publish again" -- "$riskoff" ruleset publish $rules
contains "$tmp/out" "already published with this content" "publish twice"
run 1 "publish changed text, same version" -- "$riskoff" ruleset publish "$tmp/rulesets/riskoff.rules"
contains "$tmp/err" "already published with different content" "publish conflict"
run 0 "publish 0.3.0" -- "$riskoff" ruleset publish tests/golden/ruleset_diff/riskoff-0.3.0.rules
run 0 "ruleset list" -- "$riskoff" ruleset list
[ "$(grep -c '^riskoff' "$tmp/out")" -eq 2 ] || fail "ruleset list: expected 2 versions"
run 0 "ruleset show" -- "$riskoff" ruleset show riskoff@0.2.0
"$riskoff" fmt $rules | cmp -s - "$tmp/out" || fail "ruleset show is not the canonical text"
run 0 "ruleset show latest" -- "$riskoff" ruleset show riskoff
contains "$tmp/out" 'version "0.3.0"' "show without version gives the highest"
run 0 "ruleset diff of files (golden)" -- "$riskoff" ruleset diff $rules tests/golden/ruleset_diff/riskoff-0.3.0.rules
cmp -s "$tmp/out" tests/golden/ruleset_diff/riskoff-0.3.0.expected || fail "CLI diff differs from the golden file"
run 0 "ruleset diff of published versions" -- "$riskoff" ruleset diff riskoff@0.2.0 riskoff@0.3.0
contains "$tmp/out" "~ yield_jump: 15bp -> 12bp  [minor]" "published diff"
run 1 "ruleset diff unknown version" -- "$riskoff" ruleset diff riskoff@0.2.0 riskoff@7.0.0
contains "$tmp/err" "versions: 0.2.0 0.3.0" "unknown version lists the known ones"
run 2 "ruleset diff with a version that is not SemVer" -- "$riskoff" ruleset diff riskoff@0.2.0 riskoff@1.0.0-alpha.01
contains "$tmp/err" "\`1.0.0-alpha.01\` is not a semantic version" "malformed version refused"
# A long version keeps its own column: the hash never runs into it.
mkdir -p "$tmp/long"
sed 's/^ruleset riskoff version "0.2.0"/ruleset riskoff version "0.3.0-rc.1.a-very-long-pre-release-name"/' $rules >"$tmp/long/riskoff.rules"
run 0 "publish a long version" -- "$riskoff" ruleset publish "$tmp/long/riskoff.rules"
run 0 "ruleset list with a long version" -- "$riskoff" ruleset list
grep -qE '^riskoff +0\.3\.0-rc\.1\.a-very-long-pre-release-name  +[0-9a-f]{12}  ' "$tmp/out" || fail "ruleset list: long version glued to the hash: $(cat "$tmp/out")"
run 1 "ruleset diff to a lower version" -- "$riskoff" ruleset diff riskoff@0.3.0 riskoff@0.2.0
contains "$tmp/out" "warning: the declared version goes down" "downgrade named"
run 2 "ruleset diff with a file that is not there" -- "$riskoff" ruleset diff $rules "$tmp/nope/new.rules"
contains "$tmp/err" "cannot read" "missing file is a usage error"
fi

if part imports; then
# 5a. Snapshots from standard input and built from a sources manifest replay too.
run 0 "record from stdin" -- sh -c "\"$riskoff\" eval -r $rules -s - --record <examples/snapshots/2020-03-16.json"
stdin_id=$(sed -n 's/^recorded decision \([0-9]*\) .*/\1/p' "$tmp/err")
run 0 "record from sources" -- "$riskoff" eval -r $rules --sources examples/sources-local.json --as-of 2026-02-04T21:00:00Z --record
sources_id=$(sed -n 's/^recorded decision \([0-9]*\) .*/\1/p' "$tmp/err")
for id in "$stdin_id" "$sources_id"; do
  run 0 "replay ($id)" -- "$riskoff" audit recheck "$id"
  contains "$tmp/out" "trace byte-identical" "replay of stdin / sources snapshots"
done

# 5b. A ruleset with imports: the record keeps every file; editing the imported one makes a new
# ruleset identity, and each decision still replays under its own.
mkdir -p "$tmp/imp/rules" "$tmp/imp/shared"
printf 'ruleset macro version "1.0.0"\ninput vix : scalar number "vix"\nparam stress = 25 "stress"\nsignal fear "Fear" = vix > stress\n' \
  >"$tmp/imp/shared/macro.rules"
printf 'ruleset root version "1.0.0"\nimport "../shared/macro.rules" as macro\nprofile p "P" {\n  decide\n    hedge when macro.fear\n    wait otherwise\n}\n' \
  >"$tmp/imp/rules/root.rules"
printf '{"format": "riskoff.snapshot/1", "as_of": "2026-02-04T21:00:00Z", "inputs": {"macro.vix": {"unit": "number", "source": "test", "time": "2026-02-04T21:00:00Z", "value": 30}}}\n' \
  >"$tmp/imp/snap.json"
run 0 "record with imports" -- "$riskoff" eval -r "$tmp/imp/rules/root.rules" -s "$tmp/imp/snap.json" --record
imp1=$(sed -n 's/^recorded decision \([0-9]*\) .*/\1/p' "$tmp/err")
sed -i 's/param stress = 25/param stress = 35/' "$tmp/imp/shared/macro.rules"
run 0 "record after editing the import" -- "$riskoff" eval -r "$tmp/imp/rules/root.rules" -s "$tmp/imp/snap.json" --record
imp2=$(sed -n 's/^recorded decision \([0-9]*\) .*/\1/p' "$tmp/err")
run 0 "list both" -- "$riskoff" audit list --ruleset root
[ "$(awk 'NR > 1 {print $6}' "$tmp/out" | sort -u | wc -l)" -eq 2 ] || fail "an edited import must give a new ruleset hash"
for id in "$imp1" "$imp2"; do
  run 0 "replay with imports ($id)" -- "$riskoff" audit recheck "$id"
  contains "$tmp/out" "trace byte-identical" "replay with imports"
done
run 0 "diff of the two" -- "$riskoff" audit diff "$imp1" "$imp2"
contains "$tmp/out" "action: hedge -> wait" "import edit changed the decision"
fi

if part tamper; then
# The three records and both published versions the edits below aim at (in the full run they
# are already there, with the records of the other parts after them).
if [ "$only" = tamper ]; then
  record_three
  run 0 "publish" -- "$riskoff" ruleset publish $rules
  run 0 "publish 0.3.0" -- "$riskoff" ruleset publish tests/golden/ruleset_diff/riskoff-0.3.0.rules
fi
# 6. Tampering: verify names the first bad record and exits 1; replay refuses an edited ruleset.
# Records are written to the WAL without checkpoints; verify folds it into the file, so the
# .sqlite file alone is then the whole store and can be copied.
run 0 "verify before copying" -- "$riskoff" audit verify
cp "$db" "$tmp/clean.sqlite"
[ -s "$db-wal" ] && fail "verify left a non-empty WAL"
sql "$db" "UPDATE decisions SET action = 'wait' WHERE id = 2"
run 1 "verify after an edit" -- "$riskoff" audit verify
contains "$tmp/out" "record 2: content does not match its hash" "edit named"
contains "$tmp/out" "first bad record: 2" "first bad record"
cp "$tmp/clean.sqlite" "$db"
sql "$db" "DELETE FROM decisions WHERE id = (SELECT max(id) FROM decisions)"
run 1 "verify after deleting the last record" -- "$riskoff" audit verify
contains "$tmp/out" "the last records were deleted" "deletion named"
cp "$tmp/clean.sqlite" "$db"
sql "$db" "UPDATE ruleset_files SET text = replace(text, '15bp', '25bp')"
run 1 "replay with an edited stored ruleset" -- "$riskoff" audit recheck 1
contains "$tmp/err" "is missing or was edited" "edited ruleset"
cp "$tmp/clean.sqlite" "$db"
# The stored rulesets are found by what was published, not by a hash prefix that changes with
# every edit of the shipped ruleset's text.
sql "$db" "UPDATE rulesets SET name = 'other', version = '9.9.9' WHERE hash = (SELECT ruleset_hash FROM published WHERE version = '0.2.0')"
run 1 "verify after renaming a stored ruleset" -- "$riskoff" audit verify
contains "$tmp/out" "published riskoff@0.2.0: its ruleset 491b6f3d7b13 is missing, was edited" "registry edit named"
cp "$tmp/clean.sqlite" "$db"
sql "$db" "UPDATE published SET ruleset_hash = (SELECT ruleset_hash FROM published WHERE version <> '0.2.0' LIMIT 1) WHERE version = '0.2.0'"
run 1 "verify after pointing a published version elsewhere" -- "$riskoff" audit verify
contains "$tmp/out" "published riskoff@0.2.0" "re-pointed version named"
cp "$tmp/clean.sqlite" "$db"
run 0 "list --ruleset with SQL wildcards" -- "$riskoff" audit list --ruleset %
contains "$tmp/err" "0 decisions" "wildcards are text, not patterns"
run 2 "verify --head that is not a hash" -- "$riskoff" audit verify --head deadbeef
sql "$db" "UPDATE decisions SET explanation_json = '{' WHERE id = 2"
run 1 "show of an edited record" -- "$riskoff" audit show 2 --format json
contains "$tmp/err" "record 2 was edited after it was written: its hash does not match" "edited record refused by show"
[ -s "$tmp/out" ] && fail "show printed an edited record as if it were the record"
cp "$tmp/clean.sqlite" "$db"
sql "$db" "UPDATE decisions SET trace = replace(trace, '\"false\"', '\"true\"') WHERE id = 1"
run 1 "recheck of an edited trace" -- "$riskoff" audit recheck 1
contains "$tmp/err" "record 1 was edited after it was written: its hash does not match" "recheck refuses an edited trace"
cp "$tmp/clean.sqlite" "$db"
fi

if part stores; then
# A verified store to cut short below (in the full run, the one the tamper part copied).
if [ "$only" = stores ]; then
  record_three
  run 0 "verify before copying" -- "$riskoff" audit verify
  cp "$db" "$tmp/clean.sqlite"
fi
# 7. Files that are not audit stores: exit 1, the file named, never a crash.
head -c 3000 /dev/urandom >"$tmp/random.sqlite"
run 1 "random bytes" -- "$riskoff" audit verify --db "$tmp/random.sqlite"
contains "$tmp/err" "$tmp/random.sqlite: not a riskoff audit store" "random bytes"
: >"$tmp/empty.sqlite"
run 1 "empty file" -- "$riskoff" audit list --db "$tmp/empty.sqlite"
contains "$tmp/err" "empty file, not a riskoff audit store" "empty file"
python3 -c 'import sqlite3, sys; sqlite3.connect(sys.argv[1]).execute("CREATE TABLE t (x)")' "$tmp/other.sqlite"
run 1 "another SQLite file" -- "$riskoff" audit verify --db "$tmp/other.sqlite"
contains "$tmp/err" "no riskoff_store table" "another database"
run 1 "eval --record into another SQLite file" -- "$riskoff" eval -r $rules -s examples/snapshots/2026-02-04.json \
  --record --db "$tmp/other.sqlite"
contains "$tmp/err" "not recorded" "eval refuses a foreign store"
"$riskoff" data import --db "$tmp/history.sqlite" --sources tests/golden/replay/data/sources.json >/dev/null 2>&1
run 1 "a history store" -- "$riskoff" audit verify --db "$tmp/history.sqlite"
contains "$tmp/err" "not an audit store" "history store"
cp "$tmp/clean.sqlite" "$tmp/cut.sqlite"
python3 -c 'import sqlite3, sys; sqlite3.connect(sys.argv[1]).execute("PRAGMA wal_checkpoint(TRUNCATE)")' "$tmp/cut.sqlite"
truncate -s 20000 "$tmp/cut.sqlite"
rm -f "$tmp/cut.sqlite-wal" "$tmp/cut.sqlite-shm"
run 1 "truncated store" -- "$riskoff" audit verify --db "$tmp/cut.sqlite"
grep -q "cut.sqlite" "$tmp/out" "$tmp/err" || fail "truncated store: the file is not named"
run 2 "missing store" -- "$riskoff" audit list --db "$tmp/absent.sqlite"
contains "$tmp/err" "no audit store here" "missing store"
run 2 "--db without --record" -- "$riskoff" eval -r $rules -s examples/snapshots/2026-02-04.json --db "$db"
fi

if [ "$failures" -ne 0 ]; then
  echo "$failures failure(s)"
  exit 1
fi
echo "audit end to end: all checks passed"
