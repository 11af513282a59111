// Linearity in ruleset size, on counts rather than time (never a timed test): every stage of the
// public API — compile (check + plan), a snapshot built by add_series, decide(), the JSON
// explanation — on generated rulesets of 200 and 2,000 signals (bench/generated_ruleset.hpp),
// counting heap allocations and the peak of live heap bytes through this program's operator new.
// A 10x larger ruleset may cost at most 15x of either. The timed form, up to 100,000 signals, is
// bench/scaling_bench.cpp.
#include <catch2/catch.hpp>
#include <cstdint>
#include <functional>
#include <optional>

#include "bench/counting_heap.hpp"
#include "bench/generated_ruleset.hpp"
#include "riskoff/riskoff.hpp"

namespace {

struct Cost {
  std::int64_t allocations = 0;
  std::int64_t peak_bytes = 0;  // above the live bytes at the stage's start
};

Cost measure(const std::function<void()>& stage) {
  namespace heap = riskoff::bench::heap;
  const std::int64_t start_allocations = heap::allocations.load();
  const std::int64_t start_live = heap::restart_peak();
  stage();
  return {heap::allocations.load() - start_allocations, heap::peak.load() - start_live};
}

struct Costs {
  Cost compile, snapshot, decide, explain;
};

Costs costs_of(std::size_t signals) {
  const auto generated = riskoff::bench::generate_ruleset(signals);
  std::vector<riskoff::RuleSource> imports;
  for (const auto& [path, text] : generated.parts) imports.push_back({path, text});
  Costs costs;
  std::optional<riskoff::Ruleset> ruleset;
  costs.compile = measure([&] {
    auto compiled = riskoff::Ruleset::compile(generated.root, "generated.rules", imports);
    INFO("the generated ruleset of " << signals << " signals: " << (compiled.problems.empty() ? "" : compiled.problems.front().text));
    REQUIRE(compiled.ok());
    ruleset = std::move(*compiled.ruleset);
  });
  riskoff::Snapshot snapshot(generated.as_of);
  costs.snapshot = measure([&] {
    for (std::size_t k = 0; k < generated.input_names.size(); ++k) {
      REQUIRE(snapshot.add_series(generated.input_names[k], riskoff::Unit::kNumber, generated.times, generated.values[k]).empty());
    }
  });
  std::optional<riskoff::Decision> decision;
  costs.decide = measure([&] {
    auto decided = riskoff::decide(*ruleset, snapshot);
    REQUIRE(decided.ok());
    decision = std::move(*decided);
  });
  costs.explain = measure([&] { CHECK_FALSE(decision->render(riskoff::Format::kJson).empty()); });
  return costs;
}

void check_growth(const char* stage, const Cost& small, const Cost& large) {
  const double allocation_growth = static_cast<double>(large.allocations) / static_cast<double>(std::max<std::int64_t>(small.allocations, 1));
  const double peak_growth = static_cast<double>(large.peak_bytes) / static_cast<double>(std::max<std::int64_t>(small.peak_bytes, 1024));
  INFO(stage << ": allocations " << small.allocations << " -> " << large.allocations << " (x" << allocation_growth
             << "), peak heap bytes " << small.peak_bytes << " -> " << large.peak_bytes << " (x" << peak_growth
             << "); expected at most x15 each for a ruleset 10x larger");
  CHECK(allocation_growth <= 15);
  CHECK(peak_growth <= 15);
}

}  // namespace

TEST_CASE("every stage's allocations and peak heap grow linearly with the ruleset", "[api][scaling]") {
  const Costs small = costs_of(200);
  const Costs large = costs_of(2000);
  check_growth("compile", small.compile, large.compile);
  check_growth("snapshot", small.snapshot, large.snapshot);
  check_growth("decide", small.decide, large.decide);
  check_growth("explain", small.explain, large.explain);
}
