# Helpers shared by the CLI scripts in this folder. The script sets `tmp` (a scratch folder)
# and `failures=0` before sourcing this, and exits with the count at the end.

fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

# run CODE DESCRIPTION -- COMMAND...: stdout in $tmp/out, stderr in $tmp/err.
run() {
  local want=$1 what=$2
  shift 3
  "$@" >"$tmp/out" 2>"$tmp/err"
  local got=$?
  if [ "$got" -ne "$want" ]; then
    fail "$what: expected exit $want, got $got: $*"
    sed 's/^/  stdout: /' "$tmp/out" | head -8
    sed 's/^/  stderr: /' "$tmp/err" | head -8
  fi
}

contains() {  # contains FILE TEXT DESCRIPTION
  grep -qF -- "$2" "$1" || { fail "$3: expected \`$2\` in:"; head -8 "$1" | sed 's/^/  /'; }
}

# sql DB STATEMENTS: edits a store as an attacker would (Python's sqlite3: no extra package).
sql() { python3 -c 'import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.executescript(sys.argv[2]); c.commit()' "$@"; }
