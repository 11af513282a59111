// The engine's replay on series built in code: highest, lowest and drawdown follow the series
// with monotonic deques and must pick the same observation as a scan of the window. Replay over
// real data loaded through the adapters is tests/unit/adapters/replay_sources_test.cpp.
#include <catch2/catch.hpp>
#include <cmath>

#include "engine/replay.hpp"
#include "tests/support/check.hpp"

using namespace riskoff;
using namespace riskoff::engine;

namespace {

bool same(const NodeValue& a, const NodeValue& b) {
  auto eq = [](double x, double y) { return (std::isnan(x) && std::isnan(y)) || x == y; };
  return a.truth == b.truth && eq(a.number, b.number) && eq(a.upper, b.upper);
}

constexpr Timestamp k2020 = 1577836800;  // 2020-01-01

}  // namespace

TEST_CASE("running highest, lowest and drawdown equal a scan of the window at every step", "[engine][replay]") {
  // Prices with ties (rounded to whole numbers), a weekend gap each week, steps forward hourly
  // and then back and forth: the monotonic deques must pick the same observation as a scan.
  auto checked = testing::check(R"(ruleset running version "1.0.0"
input x : series 1d index "prices"
let top_bars = highest(x, 10 bars)
let low_bars = lowest(x, 10 bars)
let top_days = highest(x, 9d)
let low_days = lowest(x, 9d)
let fall_bars = drawdown(x, 20 bars)
let fall_days = drawdown(x, 30d)
signal falling "Falling" = fall_days < -5%
profile p {
  decide
    reduce when falling
    wait otherwise
}
)");
  INFO(testing::codes(checked.diagnostics));
  REQUIRE_FALSE(checked.diagnostics.has_errors());
  const auto plan = Plan::compile(std::shared_ptr<const CheckedRuleset>(std::move(checked.ruleset)));
  Snapshot history;
  InputData x;
  x.name = "x";
  x.unit = Unit::kIndex;
  std::uint64_t seed = 12345;
  double price = 100;
  for (int day = 0; day < 400; ++day) {
    if (day % 7 == 5 || day % 7 == 6) continue;
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;  // a fixed LCG: same series every run
    price = std::max(1.0, std::round(price + static_cast<double>(static_cast<int>((seed >> 33) % 9) - 4)));
    x.times.push_back(k2020 + day * 86400);
    x.values.push_back(price);
  }
  history.inputs.push_back(x);
  std::vector<std::string> errors;
  Replayer replayer(*plan, history, errors);
  REQUIRE(errors.empty());
  std::vector<Timestamp> steps;
  for (Timestamp time = k2020; time < k2020 + 400 * 86400; time += 6 * 3600) steps.push_back(time);
  // Forward, then a jump back and forward again (the deques restart and catch up).
  std::vector<Timestamp> order = steps;
  order.insert(order.end(), steps.begin() + 100, steps.begin() + 300);
  for (const auto time : order) {
    const Evaluation& running = replayer.step(time, 0, {});
    Snapshot scratch;
    scratch.as_of = time;
    InputData cut;
    cut.name = "x";
    cut.unit = Unit::kIndex;
    for (std::size_t k = 0; k < x.times.size() && x.times[k] <= time; ++k) {
      cut.times.push_back(x.times[k]);
      cut.values.push_back(x.values[k]);
    }
    if (!cut.times.empty()) scratch.inputs.push_back(cut);
    const auto bound = bind(*plan, scratch);
    if (!bound.ok()) continue;  // before the first price
    Evaluation reference;
    evaluate(*plan, bound.bound, 0, {}, reference);
    INFO("at " << format_timestamp(time));
    REQUIRE(running.chosen == reference.chosen);
    for (std::size_t node = 0; node < reference.values.size(); ++node) REQUIRE(same(running.values[node], reference.values[node]));
  }
  CHECK(replayer.memo().misses > 0);
}
