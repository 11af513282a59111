#!/usr/bin/env bash
# One golden case of `riskoff replay`: tests/golden/replay/<case>.args holds the arguments (one
# line, paths relative to the source tree); stdout must equal <case>.expected byte for byte, and
# a second run must give the same bytes. RISKOFF_UPDATE_GOLDEN=1 rewrites the expected file.
set -u
riskoff=$1
cd "$2"
case_file=$3
expected=${case_file%.args}.expected
read -r -a args <"$case_file"
actual=$("$riskoff" replay --quiet "${args[@]}"; echo "exit $?")
again=$("$riskoff" replay --quiet "${args[@]}"; echo "exit $?")
if [ "$actual" != "$again" ]; then
  echo "FAIL: two runs of $case_file gave different output"
  exit 1
fi
if [ -n "${RISKOFF_UPDATE_GOLDEN:-}" ]; then
  printf '%s\n' "$actual" >"$expected"
  echo "updated $expected"
  exit 0
fi
if ! diff -u "$expected" <(printf '%s\n' "$actual"); then
  echo "FAIL: $case_file: output differs from $expected (RISKOFF_UPDATE_GOLDEN=1 rewrites it; review the diff)"
  exit 1
fi
