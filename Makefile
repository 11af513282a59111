# The two commands of the README's quick start. Both install missing Debian packages first and
# show the build's progress (scripts/build-progress keeps the whole log under build/).
.PHONY: demo test install deps deps-dev deps-test build-release build-dev clean fuzz bench bench-build bench-peers bench-snapshot tsan

# What the command builds with (make demo, make install); deps-test adds what the tests and
# benchmarks run (a PostgreSQL server, Chromium, Neovim, Python's data stack).
deps:
	@./scripts/install-deps

deps-test:
	@./scripts/install-deps test

# What the sanitizer build compiles with (Catch2, lld, pybind11): make test installs the rest while
# it builds.
deps-dev:
	@./scripts/install-deps dev

# The demo needs the `riskoff` command and the library it links, nothing else (no tests, no
# benchmarks, no static archive).
build-release: deps
	@mkdir -p build
	@cmake --preset release -DRISKOFF_BUILD_BENCH=OFF >build/release-configure.log 2>&1 || (cat build/release-configure.log; exit 1)
	@echo "building the riskoff command (release)"
	@./scripts/build-progress build/release-build.log cmake --build --preset release --target riskoff

# The test packages (a browser, a database server, Python's data stack: minutes on a fresh machine)
# install in the background during the build; the tests start once they are in. Chromium and
# Neovim found only then register their tests: configure again and build the browser test.
build-dev: deps-dev
	@mkdir -p build
	@./scripts/deps-in-background start build/deps-test.log
	@cmake --preset dev >build/dev-configure.log 2>&1 || (cat build/dev-configure.log; exit 1)
	@echo "building riskoff and its tests (ASan + UBSan)"
	@./scripts/build-progress build/dev-build.log cmake --build --preset dev
	@./scripts/deps-in-background wait build/deps-test.log
	@if grep -q '^install-deps: installing' build/deps-test.log; then \
	    cmake --preset dev >build/dev-configure.log 2>&1 || { cat build/dev-configure.log; exit 1; }; \
	    ./scripts/build-progress build/dev-build.log cmake --build --preset dev; fi

# After the demo the command is build/release/cli/riskoff.
demo: build-release
	@./build/release/cli/riskoff check rulesets/
	@echo
	@./build/release/cli/riskoff eval --ruleset rulesets/riskoff.rules \
	    --snapshot examples/snapshots/2026-02-04.json --profile swing

# Each test has a 60 s limit (tests/CMakeLists.txt); one that hits it is run once more, alone
# in its slot, so that a machine busy with other work does not fail a test that fits when idle.
test: build-dev
	@cd build/dev && ctest --output-on-failure -j2 --repeat after-timeout:2

# The command, the libraries, the headers and the CMake and pkg-config files under PREFIX
# (docs/embedding.md). The installed command finds the installed library by its run path.
PREFIX ?= $(HOME)/.local
install: deps
	@mkdir -p build
	@cmake --preset release -DRISKOFF_BUILD_BENCH=OFF >build/release-configure.log 2>&1 || (cat build/release-configure.log; exit 1)
	@echo "building riskoff and libriskoff (release)"
	@./scripts/build-progress build/release-build.log cmake --build --preset release
	@cmake --install build/release --prefix "$(PREFIX)" >build/install.log 2>&1 || (cat build/install.log; exit 1)
	@echo "installed $(PREFIX)/bin/riskoff (and lib/, include/riskoff/ under $(PREFIX))"
	@case ":$$PATH:" in *":$(PREFIX)/bin:"*) ;; *) echo "not on PATH yet: export PATH=\"$(PREFIX)/bin:\$$PATH\"";; esac

clean:
	rm -rf build

# libFuzzer targets (tests/fuzz/README.md): every provider reader, the sources manifest, snapshot
# JSON and rule files, each for FUZZ_SECONDS (default 60) on corpora generated from the fixtures;
# nonzero exit on any finding. Only the fuzz targets are built (clang, -O1, ASan + UBSan).
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?=
FUZZ_JOBS ?= 1
fuzz:
	@./scripts/install-deps fuzz
	@CC=clang CXX=clang++ cmake -S . -B build/fuzz -DRISKOFF_FUZZ=ON -DCMAKE_BUILD_TYPE=Debug \
	    "-DCMAKE_CXX_FLAGS_DEBUG=-O1 -gline-tables-only" "-DCMAKE_C_FLAGS_DEBUG=-O1 -gline-tables-only" >/dev/null
	@cmake --build build/fuzz -j2 --target riskoff_fuzz_all
	@./tests/fuzz/corpora.sh . build/fuzz/corpora >/dev/null
	@FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_JOBS=$(FUZZ_JOBS) ./tests/fuzz/run.sh build/fuzz build/fuzz/corpora $(FUZZ_TARGETS)

# Benchmarks (bench/README.md): release build, the peers' data generated once into build/.
bench: deps-test
	@cmake --preset release -DRISKOFF_BUILD_BENCH=ON -DRISKOFF_PYTHON=ON >/dev/null
	@cmake --build --preset release --target riskoff_bench riskoff_scaling_bench riskoff_replay_bench riskoff_sweep_bench riskoff \
	    riskoff_decide_baseline riskoff_python riskoff_python_files riskoff_audit_store_bench
	@test -f build/peer-data/features.csv || python3 ../shared/bench/peers/gen_data.py --out build/peer-data
	@./build/release/bench/riskoff_bench
	@./build/release/bench/riskoff_scaling_bench
	@./build/release/bench/riskoff_replay_bench
	@./build/release/bench/riskoff_sweep_bench
	@./build/release/bench/riskoff_audit_store_bench
	@/usr/bin/python3 bench/python_bench.py --build build/release

# The peer benchmark (../shared/bench/peers/run_all.sh, read-only there: run from a copy in
# build/peers) with riskoff's four ways of evaluating as extra engines; its table gives each as a
# ratio to the hand-written C++ loop of the same run. PEER_ENGINES picks the peers (all by default).
PEER_ENGINES ?=
# Every benchmark program built (release, not run): CI's guard that a change to a header the
# benchmarks use does not leave them broken, since make test builds none of them.
bench-build: deps-test
	@cmake --preset release -DRISKOFF_BUILD_BENCH=ON >/dev/null
	@./scripts/build-progress build/release-build.log cmake --build --preset release

bench-peers: deps-test
	@cmake --preset release -DRISKOFF_BUILD_BENCH=ON >/dev/null
	@cmake --build --preset release --target riskoff_peer_engines
	@mkdir -p build/peers && cp -r ../shared/bench/peers/. build/peers/ && chmod -R u+w build/peers
	@cd build/peers && ENGINES="$(PEER_ENGINES)" \
	    EXTRA_ENGINES="$(CURDIR)/build/release/bench/riskoff_peer_engines data/features.csv" ./run_all.sh

# Snapshot JSON by size (1e4-1e6 observations), then `riskoff eval` of a snapshot and of the
# sources manifest against /bin/true (hyperfine): bench/README.md.
bench-snapshot: deps-test
	@cmake --preset release -DRISKOFF_BUILD_BENCH=ON >/dev/null
	@cmake --build --preset release --target riskoff_snapshot_size_bench riskoff
	@./build/release/bench/riskoff_snapshot_size_bench --benchmark_repetitions=3 --benchmark_report_aggregates_only=true
	@./bench/eval_startup.sh build/release/cli/riskoff

# ThreadSanitizer build running the threading tests: one compiled ruleset evaluated from 8
# threads through the engine and through the public C++ API, the batch evaluator, and
# `riskoff serve`'s concurrency (a reload under concurrent decides, SIGTERM while recording, the
# schedule, the alerts queue drained at exit, parallel reads on cached connections, the rule
# watcher). The server runs as its own process: a race there ends it with TSan's exit code 66,
# which the tests' `stop(SIGTERM) == 0` catches. tests/tsan.supp says why reports from inside
# Debian's uninstrumented libcpp-httplib.so are dropped.
TSAN_SERVE_TESTS = serve: (a reload while|SIGTERM while recording|--schedule .every|--alert-(webhook is|command gets)|reads reuse|--watch-rules reloads)
tsan: deps-test
	@cmake --preset tsan >/dev/null
	@cmake --build --preset tsan --target riskoff_engine_tests riskoff_api_tests riskoff_serve_tests
	@cd build/tsan && TSAN_OPTIONS="suppressions=$(CURDIR)/tests/tsan.supp $$TSAN_OPTIONS" \
	    ctest --output-on-failure -R "threads|batch|$(TSAN_SERVE_TESTS)"
