#!/usr/bin/env bash
# docs/README.md is the index of docs/: every file there is linked from it.
set -u
root=$1
failures=0
for file in "$root"/docs/*; do
  name=$(basename "$file")
  [ "$name" = README.md ] && continue
  grep -qF "($name)" "$root/docs/README.md" || { echo "FAIL: docs/README.md does not link $name"; failures=$((failures + 1)); }
done
echo "$failures failure(s)"
[ "$failures" -eq 0 ]
