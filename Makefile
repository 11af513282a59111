# The two commands of the README's quick start. Both install missing Debian packages first.
.PHONY: demo test deps build-release build-dev clean

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
