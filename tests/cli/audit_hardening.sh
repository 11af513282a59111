#!/usr/bin/env bash
# Stored records are not trusted (docs/security.md, "The audit trail"): an edited record is
# refused by recheck/show/diff and flagged by list/export; an archived read-only store verifies;
# a copy that lost its -wal is caught against the head kept elsewhere; an existing empty file is
# not silently made a new chain; a head of -5 is refused; look-alike stores exit 1.
#
#   audit_hardening.sh RISKOFF SOURCE_DIR [PART]   (PART: edits, archive, files; none: all)
set -u
riskoff=$1
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$2"
only=${3:-all}
part() { [ "$only" = all ] || [ "$only" = "$1" ]; }
case $only in all | edits | archive | files) ;; *) echo "audit_hardening.sh: no part $only"; exit 2 ;; esac
tmp=$(mktemp -d)
chmod 755 "$tmp"  # the read-only checks below run as another user when this runs as root
trap 'chmod -R u+w "$tmp"; rm -rf "$tmp"' EXIT
failures=0

source "$here/lib.sh"

rules=rulesets/riskoff.rules
record() {  # record DB SNAPSHOT-DAY [options]
  local db=$1 day=$2
  shift 2
  "$riskoff" eval -r $rules -s "examples/snapshots/$day.json" -p swing --record --db "$db" "$@"
}

db=$tmp/audit.sqlite
for day in 2026-02-04 2020-03-16 2019-11-15; do
  run 0 "record $day" -- record "$db" $day
done
contains "$tmp/err" "head 3:" "eval --record prints the new head as ID:HASH"
run 0 "publish the ruleset" -- "$riskoff" ruleset publish $rules --db "$db"
run 0 "verify before copying" -- "$riskoff" audit verify --db "$db"
cp "$db" "$tmp/clean.sqlite"

# One part per ctest test (tests/CMakeLists.txt), each well under the time limit, each from the
# clean store above; no part argument runs them all. The parts are not indented, to keep their
# history readable.
if part edits; then
# The registry's reading commands open the store read-only: the file is left byte for byte as it
# was (a read-write open could migrate it). SQLite may still create the -wal and -shm it reads
# through when the folder is writable.
mkdir "$tmp/registry"
cp "$tmp/clean.sqlite" "$tmp/registry/audit.sqlite"
before=$(sha256sum "$tmp/registry/audit.sqlite")
run 0 "ruleset list reads" -- "$riskoff" ruleset list --db "$tmp/registry/audit.sqlite"
contains "$tmp/out" "riskoff" "ruleset list shows the published ruleset"
run 0 "ruleset show reads" -- "$riskoff" ruleset show riskoff@0.2.0 --db "$tmp/registry/audit.sqlite"
run 0 "ruleset diff reads" -- "$riskoff" ruleset diff riskoff@0.2.0 $rules --db "$tmp/registry/audit.sqlite"
[ "$(sha256sum "$tmp/registry/audit.sqlite")" = "$before" ] || fail "ruleset list/show/diff changed the store"

# a. An edited action or explanation: recheck, show and diff refuse it (exit 1); list and export
# flag it.
sql "$db" "UPDATE decisions SET action = 'wait' WHERE id = 1"
run 1 "recheck of an edited action" -- "$riskoff" audit recheck 1 --db "$db"
contains "$tmp/err" "record 1 was edited after it was written: its hash does not match" "recheck refuses"
grep -q "same decision" "$tmp/out" && fail "recheck called an edited record the same decision"
run 1 "show of an edited action" -- "$riskoff" audit show 1 --db "$db"
contains "$tmp/err" "record 1 was edited after it was written" "show refuses"
run 1 "diff with an edited record" -- "$riskoff" audit diff 1 2 --db "$db"
contains "$tmp/err" "record 1 was edited after it was written" "diff refuses"
run 0 "list flags the edited record" -- "$riskoff" audit list --db "$db"
[ "$(awk '$1 == 1 {print $NF}' "$tmp/out")" = TAMPERED ] || fail "list: record 1 not flagged TAMPERED"
[ "$(awk '$1 == 2 {print $NF}' "$tmp/out")" = ok ] || fail "list: record 2 flagged"
contains "$tmp/err" "1 tampered" "list counts the tampered records"
run 0 "export flags the edited record" -- "$riskoff" audit export --db "$db"
python3 -c 'import json, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
assert [r["tampered"] for r in rows] == [True, False, False], [r["tampered"] for r in rows]
assert rows[0]["problem"].startswith("record 1 was edited after it was written")' "$tmp/out" || fail "export: tampered flags"
cp "$tmp/clean.sqlite" "$db"
sql "$db" "UPDATE decisions SET explanation_text = 'all is well' WHERE id = 2"
run 1 "recheck of an edited explanation" -- "$riskoff" audit recheck 2 --db "$db"
contains "$tmp/err" "record 2 was edited after it was written" "explanation edit refused"
fi

cp "$tmp/clean.sqlite" "$db"
rm -f "$db-wal" "$db-shm"

if part archive; then
# b. An archived store: file 0444 in a folder 0555, no -wal or -shm beside it. Root ignores
# permissions, so as root the reads run as `nobody`.
mkdir "$tmp/archive"
cp "$tmp/clean.sqlite" "$tmp/archive/audit.sqlite"
chmod 0444 "$tmp/archive/audit.sqlite"
chmod 0555 "$tmp/archive"
as_reader=()
if [ "$(id -u)" -eq 0 ]; then
  as_reader=(setpriv --reuid=65534 --regid=65534 --clear-groups)
fi
run 0 "verify a read-only archive" -- "${as_reader[@]}" "$riskoff" audit verify --db "$tmp/archive/audit.sqlite"
contains "$tmp/out" "3 records, chain intact" "read-only verify"
run 0 "list a read-only archive" -- "${as_reader[@]}" "$riskoff" audit list --db "$tmp/archive/audit.sqlite"
[ "$(grep -c ' ok$' "$tmp/out")" -eq 3 ] || fail "read-only list: expected 3 rows"
run 0 "recheck from a read-only archive" -- "${as_reader[@]}" "$riskoff" audit recheck 2 --db "$tmp/archive/audit.sqlite"
run 2 "record into a read-only archive" -- "${as_reader[@]}" "$riskoff" eval -r $rules \
  -s examples/snapshots/2026-02-04.json --record --db "$tmp/archive/audit.sqlite"
contains "$tmp/err" "cannot be written" "read-only record names why"

# c. A copy made without its -wal: it verifies on its own, but not against the head kept
# elsewhere; verify mentions a -wal beside the store.
run 0 "record 4" -- record "$db" 2026-02-04
cp "$db" "$tmp/copy.sqlite"  # the main file only: record 4 is in the WAL
run 0 "record 5" -- record "$db" 2020-03-16
head5=$(sed -n 's/^head //p' "$tmp/err")
case "$head5" in 5:????????????????????????????????????????????????????????????????) ;; *) fail "eval --record head: \`$head5\`" ;; esac
run 0 "the copy verifies on its own" -- "$riskoff" audit verify --db "$tmp/copy.sqlite"
run 1 "the copy against the head kept elsewhere" -- "$riskoff" audit verify --db "$tmp/copy.sqlite" --expect-head "$head5"
contains "$tmp/out" "the anchored head $head5 is record 5, but the store ends at record 3: records 4..5 are missing" "truncated copy"
run 0 "the store against its head" -- "$riskoff" audit verify --db "$db" --expect-head "$head5"
contains "$tmp/err" "audit.sqlite-wal held the newest records" "verify mentions the WAL"
contains "$tmp/out" "head $head5" "verify prints the head as ID:HASH"
run 2 "a malformed --expect-head" -- "$riskoff" audit verify --db "$db" --expect-head 5:abc
fi

if part files; then
# d. An existing empty file is not a new chain without --create; a missing one is created.
: >"$tmp/empty.sqlite"
run 1 "record into an empty file" -- record "$tmp/empty.sqlite" 2026-02-04
contains "$tmp/err" "empty file, not a riskoff audit store (truncated?); to start a new store in it, give --create" "empty file"
[ -s "$tmp/empty.sqlite" ] && fail "the empty file was written"
run 0 "record into an empty file with --create" -- record "$tmp/empty.sqlite" 2026-02-04 --create
contains "$tmp/err" "recorded decision 1" "--create starts a chain"
run 0 "record into a missing file" -- record "$tmp/new/audit.sqlite" 2026-02-04
run 2 "--create without --record" -- "$riskoff" eval -r $rules -s examples/snapshots/2026-02-04.json --create

# e. A head edited to -5 is refused, not continued as "decision -4".
cp "$tmp/clean.sqlite" "$tmp/head.sqlite"
sql "$tmp/head.sqlite" "UPDATE riskoff_store SET value = '-5' WHERE key = 'head_id'"
run 1 "record after a head of -5" -- record "$tmp/head.sqlite" 2026-02-04
contains "$tmp/err" "the chain head in riskoff_store (\`-5\`) is not a record id" "negative head"
grep -q "decision -4" "$tmp/err" && fail "recorded decision -4"
run 1 "verify names the edited head" -- "$riskoff" audit verify --db "$tmp/head.sqlite"
contains "$tmp/out" "the head was edited" "verify of a negative head"

# f, g. History stores: a schema_version that is not a number, and stores of the other kind or
# not riskoff stores at all, are data problems (exit 1) named with the file.
"$riskoff" data import --db "$tmp/history.sqlite" --sources tests/golden/replay/data/sources.json >/dev/null 2>&1 ||
  fail "data import"
cp "$tmp/history.sqlite" "$tmp/bad-version.sqlite"
sql "$tmp/bad-version.sqlite" "UPDATE riskoff_store SET value = 'abc' WHERE key = 'schema_version'"
run 1 "data list, schema_version not a number" -- "$riskoff" data list --db "$tmp/bad-version.sqlite"
contains "$tmp/err" "bad-version.sqlite: riskoff_store \`schema_version\` is \`abc\`, not a number" "schema_version"
run 1 "data list of an audit store" -- "$riskoff" data list --db "$tmp/clean.sqlite"
contains "$tmp/err" "clean.sqlite: a riskoff audit store, not a history store" "audit store as history"
run 1 "replay from an audit store" -- "$riskoff" replay -q -r $rules --db "$tmp/clean.sqlite" --from 2022-01-01
python3 -c 'import sqlite3, sys; sqlite3.connect(sys.argv[1]).execute("CREATE TABLE t (x)")' "$tmp/other.sqlite"
run 1 "data list of another SQLite file" -- "$riskoff" data list --db "$tmp/other.sqlite"
contains "$tmp/err" "not a riskoff history store" "foreign SQLite file"
run 1 "audit verify of a history store" -- "$riskoff" audit verify --db "$tmp/history.sqlite"
run 1 "audit list of another SQLite file" -- "$riskoff" audit list --db "$tmp/other.sqlite"
: >"$tmp/empty-history.sqlite"
run 1 "data import into an empty file" -- "$riskoff" data import --db "$tmp/empty-history.sqlite" --sources tests/golden/replay/data/sources.json
contains "$tmp/err" "give --create" "data import --create hint"
run 2 "data list of a missing store" -- "$riskoff" data list --db "$tmp/absent.sqlite"
fi

if [ "$failures" -ne 0 ]; then
  echo "$failures failure(s)"
  exit 1
fi
echo "audit hardening: all checks passed"
