#!/usr/bin/env bash
# The package as a consumer meets it: the build ctest already has, installed into a temporary
# prefix (no second build of the project), then, from outside the source tree, the C++ example
# built with find_package(riskoff), the C example with pkg-config (shared and static), and the
# Python example through ctypes. Also checks that only public headers are installed, that no
# private dependency reaches consumers, and that the installed CLI and pkg-config programs run
# without LD_LIBRARY_PATH.
#
#   package_test.sh SOURCE_DIR BUILD_DIR SANITIZED(ON|OFF) [PART]   (PART: install, cmake, cmake_static, pkgconfig, python)
#
# A sanitized build (the dev preset) installs a library that needs the ASan/UBSan run-times: the
# consumers are then built with the same -fsanitize flags, and Python preloads libasan.
set -euo pipefail
source_dir=$(cd "$1" && pwd)
build_dir=$(cd "$2" && pwd)
sanitized=${3:-OFF}
only=${4:-all}
part() { [[ $only == all || $only == "$1" ]]; }
case $only in all | install | cmake | cmake_static | pkgconfig | python) ;; *) echo "package_test.sh: no part $only" >&2; exit 2 ;; esac
work=$(mktemp -d "${TMPDIR:-/tmp}/riskoff-package.XXXXXX")
[[ -n "${RISKOFF_KEEP_WORK:-}" ]] || trap 'rm -rf "$work"' EXIT
prefix=$work/prefix
fail() { echo "FAILED: $*" >&2; exit 1; }
unset LD_LIBRARY_PATH
san_flags=()
python_env=()
case $sanitized in
  ON | on | 1 | TRUE | true)
    san_flags=(-fsanitize=address,undefined)
    # Python is not built with ASan: its run-time must be loaded first, and Python's own
    # allocations at exit are not our leaks.
    python_env=(LD_PRELOAD="$(gcc -print-file-name=libasan.so)" ASAN_OPTIONS=detect_leaks=0) ;;
esac

echo "== install $build_dir into $prefix"
cmake --install "$build_dir" --prefix "$prefix" >"$work/install.log" 2>&1 || { cat "$work/install.log"; fail "install"; }

libdir=$(find "$prefix" -name 'libriskoff.so' -printf '%h\n' | head -1)
[[ -n "$libdir" ]] || fail "libriskoff.so not installed"
# One part per ctest test (tests/CMakeLists.txt), each under the time limit; every part installs.
if part install; then
for file in bin/riskoff include/riskoff/riskoff.hpp include/riskoff/riskoff.h; do
  [[ -e "$prefix/$file" ]] || fail "$file not installed"
done
[[ -e "$libdir/libriskoff.a" ]] || fail "libriskoff.a not installed"
[[ -e "$libdir/cmake/riskoff/riskoffConfig.cmake" ]] || fail "CMake package not installed"
[[ -e "$libdir/pkgconfig/riskoff.pc" ]] || fail "riskoff.pc not installed"
headers=$(cd "$prefix/include/riskoff" && ls | sort | tr '\n' ' ')
public="audit.hpp authoring.hpp backtest.hpp coverage.hpp evidence.hpp explanation.hpp export.h history.hpp prepared.hpp registry.hpp result.hpp riskoff.h riskoff.hpp sources.hpp values.hpp version.h "
[[ "$headers" == "$public" ]] || fail "installed headers are '$headers', expected only the public API: '$public'"
"$prefix/bin/riskoff" --version | grep -q "riskoff 0\." || fail "installed CLI does not run"

echo "== no private dependency reaches consumers"
needed=$(readelf -d "$libdir/libriskoff.so" | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p' | tr '\n' ' ')
for lib in $needed; do
  # SQLite (the audit and history stores), nettle (SHA-256) and simdjson (the snapshot reader) are libriskoff's run-time dependencies (docs/embedding.md); libzip, libcurl and Abseil's time zones are loaded when used, libpqxx and libpq by the PostgreSQL plugin.
  case $lib in
    libstdc++* | libm.so* | libgcc_s* | libc.so* | ld-linux* | libsqlite3.so* | libnettle.so* | libsimdjson.so*) ;;
    libasan.so* | libubsan.so*) [[ ${#san_flags[@]} -gt 0 ]] || fail "libriskoff.so needs $lib" ;;  # only in a sanitized build
    *) fail "libriskoff.so needs $lib" ;;
  esac
done
# The PostgreSQL backend is a plugin beside the library, loaded only by a postgresql:// store
# (audit/pg_backend.hpp): it, not libriskoff, needs libpq.
[[ -e "$libdir/libriskoff-pg.so" ]] || fail "libriskoff-pg.so (the PostgreSQL plugin) not installed beside libriskoff.so"
readelf -d "$libdir/libriskoff-pg.so" | grep -q 'Shared library: \[libpqxx' || fail "libriskoff-pg.so does not need libpqxx"
if grep -Eq "nlohmann|pegtl|CLI11|curl|pqxx|zip" "$libdir"/cmake/riskoff/*.cmake "$libdir/pkgconfig/riskoff.pc"; then
  fail "the installed package files mention a private dependency"
fi
# Internals stay hidden (only RISKOFF_API is exported; std:: template instantiations are weak
# and always visible, as in every C++ shared library). Namespaces are matched with their `::`, so
# a public function such as riskoff::explain_value is not taken for the explain stage.
exported=$(nm -D --defined-only "$libdir/libriskoff.so" | awk '{print $3}' | c++filt |
           grep -E 'riskoff::(engine|dsl|explain|adapters|audit|backtest|support)::|tao::|nlohmann|SQLite|CLI::' || true)
[[ -z "$exported" ]] || fail "libriskoff.so exports internals: $(echo "$exported" | head -5)"
api=$(nm -D --defined-only "$libdir/libriskoff.so" | awk '{print $3}' | grep -c '^riskoff_' || true)
[[ $api -ge 30 ]] || fail "libriskoff.so exports $api C functions, expected the whole C API"

echo "== the public headers stand alone (C++17, C99)"
printf '#include <riskoff/riskoff.hpp>\nint main() { return riskoff::library_version().empty(); }\n' >"$work/alone.cpp"
g++ -std=c++17 -Wall -Wextra -Wpedantic -Werror "${san_flags[@]}" -I"$prefix/include" "$work/alone.cpp" -L"$libdir" -lriskoff \
    -o "$work/alone" || fail "riskoff.hpp does not compile alone with -std=c++17"
# The README's C++ snippet, as printed there, in the standard the docs state (C++17, pedantic).
{ echo '#include <riskoff/riskoff.hpp>'; echo '#include <iostream>'; echo 'int main() {'
  sed -n '/^auto ruleset = riskoff::Ruleset::load/,/^std::cout << decision->action()/p' "$source_dir/README.md"
  echo '}'; } >"$work/readme.cpp"
g++ -std=c++17 -Wall -Wextra -Wpedantic -Werror "${san_flags[@]}" -I"$prefix/include" "$work/readme.cpp" \
    -L"$libdir" -lriskoff -Wl,-rpath,"$libdir" -o "$work/readme" ||
  fail "the README's C++ snippet does not compile with -std=c++17"
out=$(cd "$source_dir" && "$work/readme") || fail "the README's C++ snippet exited $?"
grep -q "^## REDUCE" <<<"$out" || fail "the README's C++ snippet printed: $out"
printf '#include <riskoff/riskoff.h>\nint main(void) { return riskoff_version_number() != RISKOFF_VERSION_NUMBER; }\n' >"$work/alone.c"
gcc -std=c99 -Wall -Wextra -Wpedantic -Werror "${san_flags[@]}" -I"$prefix/include" "$work/alone.c" -L"$libdir" -lriskoff \
    -Wl,-rpath,"$libdir" -o "$work/alone_c" || fail "riskoff.h does not compile alone with -std=c99"
"$work/alone_c" || fail "run-time and compile-time versions differ"

fi
rules=$source_dir/rulesets/riskoff.rules
snapshot=$source_dir/examples/snapshots/2026-02-04.json

if part cmake || part cmake_static; then
echo "== C++ and C consumers with find_package(riskoff)"
cp -r "$source_dir/examples/embed" "$work/consumer"
cmake -S "$work/consumer" -B "$work/consumer/build" -DCMAKE_PREFIX_PATH="$prefix" \
      -DCMAKE_C_FLAGS="${san_flags[*]}" -DCMAKE_CXX_FLAGS="${san_flags[*]}" >"$work/consumer.log" 2>&1 ||
  { cat "$work/consumer.log"; fail "consumer configure"; }
fi
if part cmake; then
cmake --build "$work/consumer/build" -j2 --target decide decide_c >>"$work/consumer.log" 2>&1 ||
  { cat "$work/consumer.log"; fail "consumer build"; }
out=$("$work/consumer/build/decide" "$rules" "$snapshot" swing) || fail "decide exited $?"
grep -q "^decision: reduce$" <<<"$out" || fail "decide printed: $out"
grep -q "^because:" <<<"$out" || fail "decide printed no reasons: $out"
# The because-chain down to a comparison, and no empty reason line (any/all steps show their subject).
grep -q "^  - any(count(drivers) >= 3, count(drivers) >= 2 and market_stressed" <<<"$out" || fail "decide printed no top reason: $out"
grep -q "^      - count(drivers) 2 >= 2, margin +0$" <<<"$out" || fail "decide printed no comparison: $out"
if grep -q "^ *- *$" <<<"$out"; then fail "decide printed an empty reason: $out"; fi
out=$("$work/consumer/build/decide_c" "$rules" "$snapshot" swing) || fail "decide_c (C, shared, CMake) exited $?"
grep -q "^decision: reduce" <<<"$out" || fail "decide_c printed: $out"
fi
if part cmake_static; then
cmake --build "$work/consumer/build" -j2 --target decide_static decide_c_static >>"$work/consumer.log" 2>&1 ||
  { cat "$work/consumer.log"; fail "consumer build (static)"; }
out=$("$work/consumer/build/decide_static" "$rules" "$snapshot" long_term) || fail "decide_static exited $?"
grep -q "^decision: wait" <<<"$out" || fail "decide_static printed: $out"
echo "$out" | head -4
out=$("$work/consumer/build/decide_c_static" "$rules" "$snapshot" swing) || fail "decide_c_static (C, static, CMake) exited $?"
grep -q "^decision: reduce" <<<"$out" || fail "decide_c_static printed: $out"

fi
if part pkgconfig; then
echo "== C consumer with pkg-config (shared, then static)"
export PKG_CONFIG_PATH=$libdir/pkgconfig
# As docs/embedding.md shows it: the run path names the library's folder, no LD_LIBRARY_PATH.
gcc -std=c99 -Wall -Wextra -Werror "${san_flags[@]}" "$source_dir/examples/embed/decide.c" $(pkg-config --cflags --libs riskoff) \
    -Wl,-rpath,"$(pkg-config --variable=libdir riskoff)" -o "$work/decide_c" || fail "C consumer does not build with pkg-config"
out=$("$work/decide_c" "$rules" "$source_dir/examples/snapshots/2020-03-16.json") ||
  fail "decide_c exited $?"
grep -q "^decision: hedge (profile short_term)" <<<"$out" || fail "decide_c printed: $out"
gcc -std=c99 "${san_flags[@]}" "$source_dir/examples/embed/decide.c" $(pkg-config --cflags riskoff) "$libdir/libriskoff.a" \
    $(pkg-config --static --libs-only-l riskoff | sed 's/-lriskoff//') -o "$work/decide_c_static" ||
  fail "C consumer does not link the static library"
out=$("$work/decide_c_static" "$rules" "$snapshot" swing) || fail "static C consumer exited $?"
grep -q "^decision: reduce" <<<"$out" || fail "static C consumer printed: $out"
# A malformed snapshot: an error code and a message, exit 1, never an abort.
echo '{"format": "riskoff.snapshot/1"' >"$work/broken.json"
set +e
err=$("$work/decide_c" "$rules" "$work/broken.json" 2>&1)
code=$?
set -e
[[ $code -eq 1 ]] || fail "decide_c on a malformed snapshot exited $code: $err"
grep -q "RISKOFF_ERROR_SNAPSHOT: .*broken.json" <<<"$err" || fail "decide_c on a malformed snapshot said: $err"

echo "== the installed tree can move: riskoff.pc finds its prefix from its own place"
mv "$prefix" "$work/moved"
moved_pc=$work/moved/${libdir#"$prefix"/}/pkgconfig
[[ "$(PKG_CONFIG_PATH=$moved_pc pkg-config --variable=includedir riskoff)" -ef "$work/moved/include" ]] ||
  fail "riskoff.pc does not follow a moved prefix: $(PKG_CONFIG_PATH=$moved_pc pkg-config --cflags riskoff)"
mv "$work/moved" "$prefix"

fi
if part python; then
echo "== Python consumer with ctypes"
out=$(env "${python_env[@]}" RISKOFF_LIBRARY=$libdir/libriskoff.so python3 "$source_dir/examples/embed/decide.py" "$rules" "$snapshot" swing) ||
  fail "decide.py exited $?"
grep -q "^decision: reduce (profile swing)" <<<"$out" || fail "decide.py printed: $out"
grep -q "^because:" <<<"$out" || fail "decide.py printed no reasons: $out"
out=$(env "${python_env[@]}" RISKOFF_LIBRARY=$libdir/libriskoff.so python3 "$source_dir/examples/embed/decide.py" "$rules" "$snapshot" swing \
      --set dollar_jump=5% --set yield_jump=20bp) || fail "decide.py with overrides exited $?"
grep -q "^decision: reduce (profile swing)" <<<"$out" || fail "decide.py with overrides printed: $out"
set +e
err=$(env "${python_env[@]}" RISKOFF_LIBRARY=$libdir/libriskoff.so python3 "$source_dir/examples/embed/decide.py" "$rules" "$snapshot" nobody 2>&1)
code=$?
set -e
[[ $code -eq 1 ]] && grep -q "RISKOFF_ERROR_OPTIONS: unknown profile" <<<"$err" || fail "decide.py with a bad profile: $code $err"
fi
echo "package test passed ($only)"
