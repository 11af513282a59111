#!/usr/bin/env bash
# Seed corpora for the fuzz targets, generated from the project's fixtures (tests/data,
# tests/golden, tests/hostile, examples, rulesets) plus the small hand-written seeds under
# tests/fuzz/seeds/<target>/ and the ones generated_seeds.py makes. Usage: corpora.sh SOURCE_DIR
# OUT_DIR; writes OUT_DIR/<target>/ for every target of targets.txt. Big fixtures are cut to their
# first 40 lines (CSV) or 5 values per series (snapshots): the fuzzer mutates small inputs faster,
# and -max_len would cut them anyway.
set -euo pipefail
src=$(cd "$1" && pwd)
out=$2
mkdir -p "$out"
cd "$src"

targets=$(grep -v '^#' tests/fuzz/targets.txt)
for target in $targets; do
  mkdir -p "$out/$target"
  for seed in tests/fuzz/seeds/"$target"/*; do [ -f "$seed" ] && cp "$seed" "$out/$target/"; done
done

# name: a flat, unique file name for a fixture path
name() { echo "$1" | tr '/' '_'; }
csv_seed() {  # csv_seed TARGET FILE...
  local target=$1; shift
  for file in "$@"; do head -n 40 "$file" >"$out/$target/$(name "$file")"; done
}
shopt -s nullglob globstar
csv_seed fred_csv tests/data/fred/*.csv tests/hostile/**/fred*.csv tests/hostile/manifest/dgs10.csv
csv_seed yahoo_csv tests/data/yahoo/*.csv tests/data/yfinance/*.csv tests/hostile/**/yahoo_csv*.csv
csv_seed stooq_csv tests/data/yahoo/*.csv tests/data/yfinance/*.csv
csv_seed cboe_csv tests/data/cboe/*.csv
csv_seed binance_funding_csv tests/data/binance/fundingRate/**/*.csv tests/data/providers/binance-vision/*fundingRate*.csv
csv_seed binance_klines_csv tests/data/providers/binance-vision/*-1h-*.csv

# The dumps as data.binance.vision ships them (zip); the CSV inside each comes from generated_seeds.py.
for file in tests/data/providers/binance-vision/*.zip tests/hostile/**/*.zip; do
  cp "$file" "$out/zip/$(name "$file")"
done
# The JSON answers of tests/data/providers (real files, SOURCES.md), by provider.
for file in tests/data/providers/alphavantage/*.json; do cp "$file" "$out/alphavantage_json/$(name "$file")"; done
for file in tests/data/providers/tiingo/*.json; do cp "$file" "$out/tiingo_json/$(name "$file")"; done
for file in tests/data/providers/polygon/*.json; do cp "$file" "$out/polygon_aggs_json/$(name "$file")"; done

# The generic reader's first three bytes choose its mapping and clock (reader_fuzz.cpp): every
# CSV fixture with each of the 8 date formats, columns by number (byte 1 = 0) and by name (0x20);
# with the ISO date format, each zone, header: false, each `missing` list and each clock.
for file in tests/data/**/*.csv tests/hostile/**/*.csv; do
  for format in 0 1 2 3 4 5 6 7; do
    for columns in 00 20; do
      { printf "\\x0$format\\x$columns\\x00"; head -n 40 "$file"; } >"$out/csv/$(name "$file").$format.$columns"
    done
  done
  for third in 01 02 03 04 05 06 07 08 10 20 30 41 82 c1; do
    { printf "\\x00\\x20\\x$third"; head -n 40 "$file"; } >"$out/csv/$(name "$file").0.20.$third"
  done
done

# Provider JSON from the hostile cases (their data files), by provider.
for file in tests/hostile/**/*.data.json tests/hostile/**/*.json; do
  case "$(basename "$file")" in
    yahoo_*.data.json) cp "$file" "$out/yahoo_chart_json/$(name "$file")" ;;
    funding_*.data.json) cp "$file" "$out/binance_funding_json/$(name "$file")" ;;
    alphavantage_*.data.json) cp "$file" "$out/alphavantage_json/$(name "$file")" ;;
    coingecko_*.data.json) cp "$file" "$out/coingecko_market_chart_json/$(name "$file")" ;;
    tiingo_*.data.json) cp "$file" "$out/tiingo_json/$(name "$file")" ;;
    polygon_*.data.json) cp "$file" "$out/polygon_aggs_json/$(name "$file")" ;;
    deribit_*.data.json) cp "$file" "$out/deribit_dvol_json/$(name "$file")" ;;
  esac
  if grep -q 'riskoff.sources/1' "$file"; then cp "$file" "$out/manifest/$(name "$file")"; fi
  if grep -q '"as_of"' "$file"; then cp "$file" "$out/snapshot/$(name "$file")"; fi
done
for file in examples/*.json tests/data/*.json tests/hostile/**/*.sources.json; do
  cp "$file" "$out/manifest/$(name "$file")"
done

# Snapshots: the examples with each series cut to its last 5 values.
for file in examples/snapshots/*.json; do
  python3 - "$file" >"$out/snapshot/$(name "$file")" <<'PY'
import json, sys
snapshot = json.load(open(sys.argv[1]))
for entry in snapshot.get("inputs", {}).values():
    for key in ("times", "values"):
        if isinstance(entry.get(key), list):
            entry[key] = entry[key][-5:]
print(json.dumps(snapshot, indent=1, sort_keys=True))
PY
done

# Rule files: the shipped rulesets, every golden and hostile rule file (imports stay as they
# are: the target's in-memory loader answers them with "cannot open").
for file in rulesets/*.rules tests/golden/**/*.rules tests/hostile/**/*.rules; do
  head -c 4096 "$file" >"$out/rules/$(name "$file")"
done

# The zip members, the clock's times and the history stores (generated_seeds.py says which).
python3 tests/fuzz/generated_seeds.py "$src" "$out"

for target in $targets; do
  printf '%-28s %4d seeds\n' "$target" "$(ls "$out/$target" | wc -l)"
done
