#!/usr/bin/env bash
# What `riskoff eval` maps at start (bench/HISTORY.md, the start-up passes): of a snapshot, neither the
# PostgreSQL plugin and libpq, nor libzip and libcrypto, nor libcurl, nor Abseil's time zones (libabsl_time_zone); they are loaded
# when a postgresql:// store, a zipped dump, a URL or a time zone other than UTC needs them (the
# sources of examples/sources-local.json close in New York). Then a store on a closed port: the
# plugin is loaded and says why it cannot connect, with the password hidden.
# Usage: lazy_libraries.sh RISKOFF SOURCE_DIR
set -euo pipefail
riskoff=$1
cd "$2"
args=(eval --ruleset rulesets/riskoff.rules --snapshot examples/snapshots/2026-02-04.json)
# LD_DEBUG=libs names each library as its initialisers run ("calling init: PATH").
loaded=$(LD_DEBUG=libs "$riskoff" "${args[@]}" 2>&1 >/dev/null | sed -n 's/.*calling init: //p')
[[ -n "$loaded" ]] || { echo "expected LD_DEBUG=libs to list the libraries initialised, got nothing"; exit 1; }
# Every library is looked for by an absolute path, never in the working directory: an empty entry
# in the run path (CMake's padding for an install run path, `::::`) sent ld.so there for each one.
if relative=$(LD_DEBUG=libs "$riskoff" --version 2>&1 >/dev/null | grep -E 'trying file=[^/]'); then
  echo "expected ld.so to look for riskoff's libraries by absolute paths only; it tried:"
  echo "$relative" | head -5
  exit 1
fi
if unwanted=$(grep -E 'libpq|libriskoff-pg|libzip|libcrypto|libcurl|libabsl_time_zone' <<<"$loaded"); then
  echo "expected eval of a snapshot to load none of libpq, libriskoff-pg, libzip, libcrypto, libcurl, libabsl_time_zone; it loaded:"
  echo "$unwanted"
  exit 1
fi
sources=(eval --ruleset rulesets/riskoff.rules --sources examples/sources-local.json --as-of 2026-02-04T21:00:00Z)
with_zones=$(LD_DEBUG=libs "$riskoff" "${sources[@]}" 2>&1 >/dev/null | sed -n 's/.*calling init: //p')
grep -q 'libabsl_time_zone' <<<"$with_zones" || { echo "expected eval --sources (New York closes) to load libabsl_time_zone, it loaded:"; echo "$with_zones"; exit 1; }
# It reads the one zone file it needs, not the whole tz database (bench/HISTORY.md, session 11):
# date/tz, before it, listed /usr/share/zoneinfo (~740 stat calls) on the first zone.
if command -v strace >/dev/null; then
  zone_files=$(strace -f -e trace=openat,open,stat,newfstatat,lstat,statx "$riskoff" "${sources[@]}" 2>&1 >/dev/null | grep -c '/usr/share/zoneinfo' || true)
  [[ $zone_files -eq 1 ]] || { echo "expected eval --sources to touch one file of /usr/share/zoneinfo (America/New_York), it touched $zone_files"; exit 1; }
fi
# An Abseil time-zone library that cannot be loaded (a stand-in found first on LD_LIBRARY_PATH): a snapshot is
# still evaluated; sources fail, naming the package, rather than read New York's closes as UTC.
fake=$(mktemp -d)
trap 'rm -rf "$fake"' EXIT
echo "not a library" >"$fake/libabsl_time_zone.so.20220623"
LD_LIBRARY_PATH=$fake "$riskoff" "${args[@]}" >/dev/null || { echo "expected eval of a snapshot to run without libabsl_time_zone"; exit 1; }
set +e
broken=$(LD_LIBRARY_PATH=$fake "$riskoff" "${sources[@]}" 2>&1 >/dev/null)
code=$?
set -e
[[ $code -eq 2 ]] || { echo "expected eval --sources without libabsl_time_zone to exit 2 (docs/cli.md), it exited $code"; echo "$broken" | head -5; exit 1; }
grep -q 'libabsl_time_zone.so.20220623 is not available (install the libabsl20220623 package)' <<<"$broken" ||
  { echo "expected eval --sources without libabsl_time_zone to name the package, got:"; echo "$broken" | head -5; exit 1; }
set +e
err=$(LD_DEBUG=libs "$riskoff" "${args[@]}" --record --db 'postgresql://alice:s3cretpw@127.0.0.1:1/audit' 2>&1 >/dev/null)
code=$?
set -e
[[ $code -ne 0 ]] || { echo "expected eval --record on a closed port to fail, it exited 0"; exit 1; }
grep -q 'calling init: .*libriskoff-pg.so' <<<"$err" || { echo "expected libriskoff-pg.so to be loaded for --db postgresql://, got:"; echo "$err" | grep -v '^ *[0-9]*:' ; exit 1; }
grep -q 'postgresql://alice:\*\*\*@127.0.0.1:1/audit: cannot connect to PostgreSQL' <<<"$err" ||
  { echo "expected 'postgresql://alice:***@127.0.0.1:1/audit: cannot connect to PostgreSQL', got:"; echo "$err" | grep -v '^ *[0-9]*:'; exit 1; }
if grep -q 's3cretpw' <<<"$err"; then echo "expected the password hidden, it was shown"; exit 1; fi
echo "ok: eval maps no lazy library; --sources loads libabsl_time_zone and one zone file; --db postgresql:// loads the plugin"
