// A compiled plan is immutable and shared: eight threads evaluate it at once, each with its own
// Evaluation, and get the same trace as a single thread. `make tsan` runs this under
// ThreadSanitizer.
#include <catch2/catch.hpp>
#include <thread>

#include "../dsl/test_support.hpp"
#include "adapters/snapshot_json.hpp"
#include "engine/batch.hpp"

using namespace riskoff;

TEST_CASE("one compiled plan evaluated from 8 threads gives the single-threaded trace", "[engine][threads]") {
  auto checked = testing::check(testing::read_file(std::string(RISKOFF_SOURCE_DIR) + "/rulesets/riskoff.rules"));
  REQUIRE_FALSE(checked.diagnostics.has_errors());
  const auto plan = engine::Plan::compile(std::shared_ptr<const engine::CheckedRuleset>(std::move(checked.ruleset)));
  const auto read = adapters::read_snapshot_file(std::string(RISKOFF_SOURCE_DIR) + "/examples/snapshots/2020-03-16.json");
  REQUIRE(read.ok());
  const auto bound = engine::bind(*plan, read.snapshot);
  REQUIRE(bound.ok());
  engine::Evaluation reference;
  engine::evaluate(*plan, bound.bound, 1, {}, reference);

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
