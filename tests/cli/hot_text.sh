#!/usr/bin/env bash
# The start-up code of `riskoff` linked first (cmake/HotText.cmake, cli/hot_text.ld, issue 19):
# (1) the mechanism: a probe linked with a list naming its second function has that function
# first in its text; (2) the list is not stale: most of the functions it names are still
# functions of the program (a renamed or removed function only drops out of the list, silently,
# so the code a start runs would spread out again unnoticed).
# Usage: hot_text.sh PROBE RISKOFF SOURCE_DIR
set -euo pipefail
probe=$1
riskoff=$2
list=$3/cli/hot_text.ld
address() { nm "$1" | awk -v name="$2" '$3 == name { print $1 }'; }
hot=$(address "$probe" hot_second)
cold=$(address "$probe" cold_first)
[[ -n "$hot" && -n "$cold" ]] || { echo "expected the probe to define hot_second and cold_first"; exit 1; }
if [[ ! "$hot" < "$cold" ]]; then
  echo "expected hot_second (listed) before cold_first in the probe's text: $hot, $cold"
  exit 1
fi
# Names of the list (the symbol after `.text.`), against the program's functions. The dev build
# is not optimised (no .isra or .constprop clones, other inlining), so only a part is expected.
listed=$(sed -n 's/^ *\*(\.text\.\([^ )]*\))$/\1/p' "$list" | sort -u)
count=$(wc -l <<<"$listed")
(( count >= 300 )) || { echo "expected cli/hot_text.ld to name at least 300 functions, it names $count"; exit 1; }
present=$(comm -12 <(echo "$listed") <(nm "$riskoff" | awk '$2 ~ /^[tTwW]$/ { print $3 }' | sort -u) | wc -l)
if (( present * 2 < count )); then
  echo "expected most functions cli/hot_text.ld names in $riskoff, found $present of $count:"
  echo "regenerate it with scripts/hot-text on a release build"
  exit 1
fi
