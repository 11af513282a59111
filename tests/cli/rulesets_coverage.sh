#!/usr/bin/env bash
# The shipped ruleset's tests drive every condition to each of its outcomes (issue 17): the
# coverage report of rulesets/ ends with the line it prints only when nothing is left uncovered.
set -u
riskoff=$1
cd "$2" || exit 2
out=$("$riskoff" test --coverage rulesets/)
status=$?
printf '%s\n' "$out"
[ "$status" -eq 0 ] || { echo "FAIL: riskoff test --coverage rulesets/ exited $status"; exit 1; }
grep -qx 'every condition was driven to each of its outcomes' <<<"$out" || { echo "FAIL: rulesets/ is not fully covered"; exit 1; }
