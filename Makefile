# The two commands of the README's quick start. Both install missing Debian packages first.
.PHONY: demo test deps build-release build-dev clean fuzz bench tsan

deps:
	@./scripts/install-deps

# The demo's build is quiet (its log is kept); a failure prints the log.
build-release: deps
	@mkdir -p build
	@cmake --preset release -DRISKOFF_BUILD_BENCH=OFF >build/release-configure.log 2>&1 || (cat build/release-configure.log; exit 1)
	@echo "building riskoff (release)..." && cmake --build --preset release >build/release-build.log 2>&1 || \
	    (cat build/release-build.log; exit 1)

build-dev: deps
	@cmake --preset dev >/dev/null
	@cmake --build --preset dev

demo: build-release
	@./build/release/cli/riskoff check rulesets/
	@echo
	@./build/release/cli/riskoff eval --ruleset rulesets/riskoff.rules \
	    --snapshot examples/snapshots/2026-02-04.json --profile swing

test: build-dev
	@cd build/dev && ctest --output-on-failure -j2

clean:
	rm -rf build

# Bounded libFuzzer run over parse + check + format (clang). FUZZ_SECONDS=N to change the budget.
FUZZ_SECONDS ?= 60
fuzz: deps
	@CC=clang CXX=clang++ cmake -S . -B build/fuzz -DCMAKE_BUILD_TYPE=Debug -DRISKOFF_FUZZ=ON >/dev/null
	@cmake --build build/fuzz -j2 --target riskoff_check_fuzz
	@mkdir -p build/fuzz/corpus && cp rulesets/*.rules tests/golden/*/*.rules build/fuzz/corpus/ 2>/dev/null || true
	@./build/fuzz/tests/fuzz/riskoff_check_fuzz -max_total_time=$(FUZZ_SECONDS) -max_len=4096 build/fuzz/corpus

# Benchmarks (bench/README.md): release build, the peers' data generated once into build/.
bench: deps
	@cmake --preset release -DRISKOFF_BUILD_BENCH=ON -DRISKOFF_PYTHON=ON >/dev/null
	@cmake --build --preset release --target riskoff_bench riskoff_replay_bench riskoff riskoff_decide_baseline \
	    riskoff_python riskoff_python_files
	@test -f build/peer-data/features.csv || python3 ../shared/bench/peers/gen_data.py --out build/peer-data
	@./build/release/bench/riskoff_bench
	@./build/release/bench/riskoff_replay_bench
	@/usr/bin/python3 bench/python_bench.py --build build/release

# ThreadSanitizer build running the threading tests: one compiled ruleset evaluated from 8
# threads through the engine and through the public C++ API, and the batch evaluator.
tsan: deps
	@cmake --preset tsan >/dev/null
	@cmake --build --preset tsan --target riskoff_engine_tests riskoff_api_tests
	@cd build/tsan && ctest --output-on-failure -R "threads|batch"
