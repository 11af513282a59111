// A compiled plan is immutable and shared: eight threads evaluate it at once, each with its own
// Evaluation, and get the same trace as a single thread. `make tsan` runs this under
// ThreadSanitizer.
#include <catch2/catch.hpp>
#include <thread>

#include "engine/batch.hpp"
#include "tests/support/check.hpp"
#include "tests/support/files.hpp"

using namespace riskoff;

namespace {
// Four months of every declared input at its own frequency, a fixed random walk each, so every
// window the default ruleset reads has data (built in code: the engine's tests read no files).
engine::Snapshot walks(const engine::Plan& plan, engine::Timestamp as_of) {
  engine::Snapshot snapshot;
  snapshot.as_of = as_of;
  std::uint64_t seed = 2020;
  for (const auto& slot : plan.inputs()) {
    engine::InputData data;
    data.name = slot.name;
    data.unit = slot.unit;
    const auto step = static_cast<engine::Timestamp>(slot.frequency_hours * 3600);
    double value = 100;
    for (engine::Timestamp time = as_of - 120 * 86400; time <= as_of; time += step) {
      seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;  // a fixed LCG
      value = std::max(1.0, value * (1 + (static_cast<double>((seed >> 33) % 201) - 100) / 2000));
      data.times.push_back(time);
      data.values.push_back(value);
    }
    snapshot.inputs.push_back(std::move(data));
  }
  return snapshot;
}
}  // namespace

TEST_CASE("one compiled plan evaluated from 8 threads gives the single-threaded trace", "[engine][threads]") {
  auto checked = testing::check(testing::read_file(std::string(RISKOFF_SOURCE_DIR) + "/rulesets/riskoff.rules"));
  REQUIRE_FALSE(checked.diagnostics.has_errors());
  const auto plan = engine::Plan::compile(std::shared_ptr<const engine::CheckedRuleset>(std::move(checked.ruleset)));
  const engine::Snapshot snapshot = walks(*plan, *engine::parse_timestamp("2020-03-16T21:00:00Z"));
  const auto bound = engine::bind(*plan, snapshot);
  REQUIRE(bound.ok());
  engine::Evaluation reference;
  engine::evaluate(*plan, bound.bound, 1, {}, reference);
  REQUIRE(reference.chosen >= 0);
  // Most nodes hold a number or a truth: the threads compare real work, not unknowns.
  std::size_t known = 0;
  for (const auto& value : reference.values) known += value.truth != engine::Truth::kUnknown ? 1 : 0;
  CHECK(known * 2 > reference.values.size());

  constexpr int kThreads = 8;
  std::vector<int> mismatches(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      engine::Evaluation evaluation;
      for (int round = 0; round < 50; ++round) {
        const auto profile = static_cast<std::uint32_t>(round % plan->profiles().size());
        engine::evaluate(*plan, bound.bound, profile, {}, evaluation);
        if (profile != 1) continue;
        for (std::size_t node = 0; node < evaluation.values.size(); ++node) {
          const auto& a = evaluation.values[node];
          const auto& b = reference.values[node];
          const bool same = a.truth == b.truth && ((std::isnan(a.number) && std::isnan(b.number)) || a.number == b.number);
          if (!same) ++mismatches[static_cast<std::size_t>(t)];
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (int t = 0; t < kThreads; ++t) CHECK(mismatches[static_cast<std::size_t>(t)] == 0);
}
