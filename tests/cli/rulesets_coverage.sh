#!/usr/bin/env bash
# The shipped ruleset's tests drive every condition to each of its outcomes (issue 17): the
# coverage report of rulesets/ ends with the line it prints only when nothing is left uncovered.
set -u
riskoff=$1
cd "$2" || exit 2
out=$("$riskoff" test --coverage rulesets/) || { printf '%s\n' "$out"; echo "FAIL: riskoff test --coverage rulesets/ exited $?"; exit 1; }
printf '%s\n' "$out"
grep -qx 'every condition was driven to each of its outcomes' <<<"$out" || { echo "FAIL: rulesets/ is not fully covered"; exit 1; }
