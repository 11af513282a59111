#!/usr/bin/env bash
# The package as a consumer meets it: a clean release build installed into a temporary prefix,
# then, from outside the source tree, the C++ example built with find_package(riskoff), the C
# example with pkg-config (shared and static), and the Python example through ctypes. Also checks
# that only public headers are installed and that no private dependency reaches consumers.
#
#   package_test.sh SOURCE_DIR
set -euo pipefail
source_dir=$(cd "$1" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/riskoff-package.XXXXXX")
[[ -n "${RISKOFF_KEEP_WORK:-}" ]] || trap 'rm -rf "$work"' EXIT
prefix=$work/prefix
fail() { echo "FAILED: $*" >&2; exit 1; }

echo "== build and install (release, tests off) into $prefix"
cmake -S "$source_dir" -B "$work/build" -DCMAKE_BUILD_TYPE=Release -DRISKOFF_BUILD_TESTS=OFF \
      -DCMAKE_INSTALL_PREFIX="$prefix" >"$work/configure.log" 2>&1 || { cat "$work/configure.log"; fail "configure"; }
cmake --build "$work/build" -j2 >"$work/build.log" 2>&1 || { tail -50 "$work/build.log"; fail "build"; }
cmake --install "$work/build" >"$work/install.log" 2>&1 || { cat "$work/install.log"; fail "install"; }

libdir=$(find "$prefix" -name 'libriskoff.so' -printf '%h\n' | head -1)
[[ -n "$libdir" ]] || fail "libriskoff.so not installed"
for file in bin/riskoff include/riskoff/riskoff.hpp include/riskoff/riskoff.h; do
  [[ -e "$prefix/$file" ]] || fail "$file not installed"
done
[[ -e "$libdir/libriskoff.a" ]] || fail "libriskoff.a not installed"
[[ -e "$libdir/cmake/riskoff/riskoffConfig.cmake" ]] || fail "CMake package not installed"
[[ -e "$libdir/pkgconfig/riskoff.pc" ]] || fail "riskoff.pc not installed"
headers=$(cd "$prefix/include/riskoff" && ls | sort | tr '\n' ' ')
public="audit.hpp authoring.hpp backtest.hpp explanation.hpp export.h history.hpp registry.hpp result.hpp riskoff.h riskoff.hpp sources.hpp values.hpp version.h "
[[ "$headers" == "$public" ]] || fail "installed headers are '$headers', expected only the public API: '$public'"
"$prefix/bin/riskoff" --version | grep -q "riskoff 0\." || fail "installed CLI does not run"

echo "== no private dependency reaches consumers"
needed=$(readelf -d "$libdir/libriskoff.so" | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p' | tr '\n' ' ')
for lib in $needed; do
  # SQLite (the audit and history stores) and nettle (SHA-256) are libriskoff's run-time dependencies (docs/embedding.md).
  case $lib in libstdc++* | libm.so* | libgcc_s* | libc.so* | ld-linux* | libsqlite3.so* | libnettle.so*) ;; *) fail "libriskoff.so needs $lib" ;; esac
done
if grep -Eq "nlohmann|pegtl|CLI11|curl" "$libdir"/cmake/riskoff/*.cmake "$libdir/pkgconfig/riskoff.pc"; then
  fail "the installed package files mention a private dependency"
fi
# Internals stay hidden (only RISKOFF_API is exported; std:: template instantiations are weak
# and always visible, as in every C++ shared library).
exported=$(nm -D --defined-only "$libdir/libriskoff.so" | awk '{print $3}' | c++filt |
           grep -E 'riskoff::(engine|dsl|explain|adapters|audit|backtest|support)|tao::|nlohmann|SQLite|CLI::' || true)
[[ -z "$exported" ]] || fail "libriskoff.so exports internals: $(echo "$exported" | head -5)"
api=$(nm -D --defined-only "$libdir/libriskoff.so" | awk '{print $3}' | grep -c '^riskoff_' || true)
[[ $api -ge 30 ]] || fail "libriskoff.so exports $api C functions, expected the whole C API"

echo "== the public headers stand alone (C++17, C99)"
printf '#include <riskoff/riskoff.hpp>\nint main() { return riskoff::library_version().empty(); }\n' >"$work/alone.cpp"
g++ -std=c++17 -Wall -Wextra -Wpedantic -Werror -I"$prefix/include" "$work/alone.cpp" -L"$libdir" -lriskoff \
    -o "$work/alone" || fail "riskoff.hpp does not compile alone with -std=c++17"
# The README's C++ snippet, as printed there (C++20 designated initialisers, -Wextra clean).
{ echo '#include <riskoff/riskoff.hpp>'; echo '#include <iostream>'; echo 'int main() {'
  sed -n '/^auto ruleset = riskoff::Ruleset::load/,/^std::cout << decision->action()/p' "$source_dir/README.md"
  echo '}'; } >"$work/readme.cpp"
g++ -std=c++20 -Wall -Wextra -Werror -I"$prefix/include" "$work/readme.cpp" -L"$libdir" -lriskoff -o "$work/readme" ||
  fail "the README's C++ snippet does not compile"
out=$(cd "$source_dir" && LD_LIBRARY_PATH=$libdir "$work/readme") || fail "the README's C++ snippet exited $?"
grep -q "^## REDUCE" <<<"$out" || fail "the README's C++ snippet printed: $out"
printf '#include <riskoff/riskoff.h>\nint main(void) { return riskoff_version_number() != RISKOFF_VERSION_NUMBER; }\n' >"$work/alone.c"
gcc -std=c99 -Wall -Wextra -Wpedantic -Werror -I"$prefix/include" "$work/alone.c" -L"$libdir" -lriskoff \
    -o "$work/alone_c" || fail "riskoff.h does not compile alone with -std=c99"
LD_LIBRARY_PATH=$libdir "$work/alone_c" || fail "run-time and compile-time versions differ"

rules=$source_dir/rulesets/riskoff.rules
snapshot=$source_dir/examples/snapshots/2026-02-04.json

echo "== C++ consumer with find_package(riskoff)"
cp -r "$source_dir/examples/embed" "$work/consumer"
cmake -S "$work/consumer" -B "$work/consumer/build" -DCMAKE_PREFIX_PATH="$prefix" >"$work/consumer.log" 2>&1 ||
  { cat "$work/consumer.log"; fail "consumer configure"; }
cmake --build "$work/consumer/build" -j2 >>"$work/consumer.log" 2>&1 || { cat "$work/consumer.log"; fail "consumer build"; }
out=$("$work/consumer/build/decide" "$rules" "$snapshot" swing) || fail "decide exited $?"
grep -q "^decision: reduce$" <<<"$out" || fail "decide printed: $out"
grep -q "^because:" <<<"$out" || fail "decide printed no reasons: $out"
# The because-chain down to a comparison, and no empty reason line (any/all steps show their subject).
grep -q "^  - any(count(drivers) >= 2" <<<"$out" || fail "decide printed no top reason: $out"
grep -q "^    - count(drivers) 2 >= 2, margin +0$" <<<"$out" || fail "decide printed no comparison: $out"
if grep -q "^ *- *$" <<<"$out"; then fail "decide printed an empty reason: $out"; fi
out=$("$work/consumer/build/decide_static" "$rules" "$snapshot" long_term) || fail "decide_static exited $?"
grep -q "^decision: wait" <<<"$out" || fail "decide_static printed: $out"
echo "$out" | head -4
out=$("$work/consumer/build/decide_c_static" "$rules" "$snapshot" swing) || fail "decide_c_static (C, static, CMake) exited $?"
grep -q "^decision: reduce" <<<"$out" || fail "decide_c_static printed: $out"

echo "== C consumer with pkg-config (shared, then static)"
export PKG_CONFIG_PATH=$libdir/pkgconfig
gcc -std=c99 -Wall -Wextra -Werror "$source_dir/examples/embed/decide.c" $(pkg-config --cflags --libs riskoff) \
    -o "$work/decide_c" || fail "C consumer does not build with pkg-config"
out=$(LD_LIBRARY_PATH=$libdir "$work/decide_c" "$rules" "$source_dir/examples/snapshots/2020-03-16.json") ||
  fail "decide_c exited $?"
grep -q "^decision: hedge (profile short_term)" <<<"$out" || fail "decide_c printed: $out"
gcc -std=c99 "$source_dir/examples/embed/decide.c" $(pkg-config --cflags riskoff) "$libdir/libriskoff.a" \
    $(pkg-config --static --libs-only-l riskoff | sed 's/-lriskoff//') -o "$work/decide_c_static" ||
  fail "C consumer does not link the static library"
out=$("$work/decide_c_static" "$rules" "$snapshot" swing) || fail "static C consumer exited $?"
grep -q "^decision: reduce" <<<"$out" || fail "static C consumer printed: $out"
# A malformed snapshot: an error code and a message, exit 1, never an abort.
echo '{"format": "riskoff.snapshot/1"' >"$work/broken.json"
set +e
err=$(LD_LIBRARY_PATH=$libdir "$work/decide_c" "$rules" "$work/broken.json" 2>&1)
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

echo "== Python consumer with ctypes"
out=$(RISKOFF_LIBRARY=$libdir/libriskoff.so python3 "$source_dir/examples/embed/decide.py" "$rules" "$snapshot" swing) ||
  fail "decide.py exited $?"
grep -q "^decision: reduce (profile swing)" <<<"$out" || fail "decide.py printed: $out"
grep -q "^because:" <<<"$out" || fail "decide.py printed no reasons: $out"
out=$(RISKOFF_LIBRARY=$libdir/libriskoff.so python3 "$source_dir/examples/embed/decide.py" "$rules" "$snapshot" swing \
      --set dollar_jump=5% --set yield_jump=20bp) || fail "decide.py with overrides exited $?"
grep -q "^decision: reduce (profile swing)" <<<"$out" || fail "decide.py with overrides printed: $out"
set +e
err=$(RISKOFF_LIBRARY=$libdir/libriskoff.so python3 "$source_dir/examples/embed/decide.py" "$rules" "$snapshot" nobody 2>&1)
code=$?
set -e
[[ $code -eq 1 ]] && grep -q "RISKOFF_ERROR_OPTIONS: unknown profile" <<<"$err" || fail "decide.py with a bad profile: $code $err"
echo "package test passed"
