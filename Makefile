# The two commands of the README's quick start. Both install missing Debian packages first.
.PHONY: demo test deps build-release build-dev clean fuzz

deps:
	@./scripts/install-deps

build-release: deps
	@cmake --preset release >/dev/null
	@cmake --build --preset release

build-dev: deps
	@cmake --preset dev >/dev/null
	@cmake --build --preset dev

demo: build-release
	@echo "== riskoff check rulesets/"
	@./build/release/cli/riskoff check rulesets/
	@echo "== riskoff fmt --check rulesets/"
	@./build/release/cli/riskoff fmt --check rulesets/ && echo "rulesets/ is in canonical form"

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
