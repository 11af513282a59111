// Replay over the real data in ../shared/data: no look-ahead, and the cursor-and-view stepping
// decides exactly as a snapshot built from scratch at every step would (what `eval --sources`
// does: cut at the instant, keep the lookback the windows need).
#include <catch2/catch.hpp>
#include <cmath>

#include "../dsl/test_support.hpp"
#include "adapters/snapshot_json.hpp"
#include "adapters/sources.hpp"
#include "engine/replay.hpp"

using namespace riskoff;
using namespace riskoff::engine;

namespace {

std::shared_ptr<const Plan> default_plan() {
  auto checked = testing::check(testing::read_file(std::string(RISKOFF_SOURCE_DIR) + "/rulesets/riskoff.rules"));
  REQUIRE_FALSE(checked.diagnostics.has_errors());
  return Plan::compile(std::shared_ptr<const CheckedRuleset>(std::move(checked.ruleset)));
}

// Every input's whole history up to `as_of`, as `riskoff replay --sources` loads it.
Snapshot history(const Plan& plan, Timestamp as_of) {
  const auto manifest = adapters::read_manifest(std::string(RISKOFF_SOURCE_DIR) + "/examples/sources-local.json");
  REQUIRE(manifest.ok());
  adapters::BuildOptions options;
  options.as_of = as_of;
  options.default_lookback = std::numeric_limits<double>::infinity();
  for (const auto& input : plan.inputs()) {
    if (input.optional) options.optional_inputs.push_back(input.name);
  }
  auto built = adapters::build_snapshot(manifest, options);
  INFO((built.problems.empty() ? std::string() : built.problems.front()));
  REQUIRE(built.ok());
  return std::move(built.snapshot);
}

const InputData& input(const Snapshot& snapshot, const std::string& name) {
  for (const auto& data : snapshot.inputs) {
    if (data.name == name) return data;
  }
  FAIL("no input " << name);
  throw std::logic_error("unreachable");
}

std::vector<Timestamp> closes(const InputData& clock, Timestamp from, Timestamp to) {
  std::vector<Timestamp> out;
  for (const auto time : clock.times) {
    if (time >= from && time <= to) out.push_back(time);
  }
  return out;
}

bool same(const NodeValue& a, const NodeValue& b) {
  auto eq = [](double x, double y) { return (std::isnan(x) && std::isnan(y)) || x == y; };
  return a.truth == b.truth && eq(a.number, b.number) && eq(a.upper, b.upper);
}

// The snapshot `eval --sources --as-of t` would build: observations at or before t, within the
// lookback the plan needs.
Snapshot from_scratch(const Plan& plan, const Snapshot& full, Timestamp time) {
  const auto lookback = adapters::lookback_of(plan);
  Snapshot out;
  out.as_of = time;
  for (const auto& data : full.inputs) {
    double reach = 400.0 * 86400;
    for (const auto& [name, seconds] : lookback) {
      if (name == data.name) reach = seconds;
    }
    InputData cut;
    cut.name = data.name;
    cut.unit = data.unit;
    cut.source = data.source;
    for (std::size_t k = 0; k < data.times.size(); ++k) {
      if (data.times[k] > time || static_cast<double>(time - data.times[k]) > reach) continue;
      cut.times.push_back(data.times[k]);
      cut.values.push_back(data.values[k]);
    }
    if (!cut.times.empty()) out.inputs.push_back(std::move(cut));
  }
  return out;
}

constexpr Timestamp k2020 = 1577836800;      // 2020-01-01
constexpr Timestamp k2021 = 1609459200;      // 2021-01-01
constexpr Timestamp k2021July = 1625097600;  // 2021-07-01

}  // namespace

TEST_CASE("replay decides at every close of 2020 exactly as a snapshot built from scratch then", "[engine][replay]") {
  const auto plan = default_plan();
  const Snapshot full = history(*plan, k2021);
  const auto steps = closes(input(full, "spx"), k2020, k2021);
  REQUIRE(steps.size() >= 250);
  std::vector<std::string> errors;
  Replayer replayer(*plan, full, errors);
  REQUIRE(errors.empty());
  std::size_t decided = 0;
  for (std::uint32_t profile = 0; profile < plan->profiles().size(); ++profile) {
    for (const auto time : steps) {
      const Evaluation& incremental = replayer.step(time, profile, {});
      const Snapshot scratch = from_scratch(*plan, full, time);
      const auto bound = bind(*plan, scratch);
      REQUIRE(bound.ok());
      Evaluation reference;
      evaluate(*plan, bound.bound, profile, {}, reference);
      INFO("profile " << plan->profiles()[profile].name << " at " << format_timestamp(time));
      REQUIRE(incremental.chosen == reference.chosen);
      REQUIRE(incremental.unknown_before == reference.unknown_before);
      for (std::size_t node = 0; node < reference.values.size(); ++node) {
        INFO("node " << node);
        REQUIRE(same(incremental.values[node], reference.values[node]));
      }
      ++decided;
    }
  }
  CHECK(decided == steps.size() * plan->profiles().size());
  // Series with no new observation at a close (stale ones, weekly gaps) were not recomputed.
  CHECK(replayer.memo().hits > 0);
}

TEST_CASE("hourly steps over daily data reuse window results and still decide as from scratch", "[engine][replay]") {
  const auto plan = default_plan();
  const Snapshot full = history(*plan, k2021);
  std::vector<std::string> errors;
  Replayer replayer(*plan, full, errors);
  REQUIRE(errors.empty());
  const auto profile = static_cast<std::uint32_t>(plan->find_profile("short_term"));
  const Timestamp march = 1583020800;  // 2020-03-01
  for (Timestamp time = march; time < march + 21 * 86400; time += 3600) {
    const Evaluation& incremental = replayer.step(time, profile, {});
    const Snapshot scratch = from_scratch(*plan, full, time);  // bind keeps views into it
    const auto bound = bind(*plan, scratch);
    REQUIRE(bound.ok());
    Evaluation reference;
    evaluate(*plan, bound.bound, profile, {}, reference);
    INFO("at " << format_timestamp(time));
    REQUIRE(incremental.chosen == reference.chosen);
    for (std::size_t node = 0; node < reference.values.size(); ++node) REQUIRE(same(incremental.values[node], reference.values[node]));
  }
  // Most hours bring no new daily close: most window results come from the memo.
  CHECK(replayer.memo().hits > 2 * replayer.memo().misses);
}

TEST_CASE("replay at an example snapshot's instant decides as `eval` on that snapshot", "[engine][replay]") {
  const auto plan = default_plan();
  const auto example = adapters::read_snapshot_file(std::string(RISKOFF_SOURCE_DIR) + "/examples/snapshots/2020-03-16.json");
  REQUIRE(example.ok());
  const Snapshot full = history(*plan, k2021);
  std::vector<std::string> errors;
  Replayer replayer(*plan, full, errors);
  REQUIRE(errors.empty());
  const auto bound = bind(*plan, example.snapshot);
  REQUIRE(bound.ok());
  for (std::uint32_t profile = 0; profile < plan->profiles().size(); ++profile) {
    Evaluation expected;
    evaluate(*plan, bound.bound, profile, {}, expected);
    const auto& got = replayer.step(example.snapshot.as_of, profile, {});
    INFO("profile " << plan->profiles()[profile].name);
    CHECK(got.chosen == expected.chosen);
    CHECK(plan->profiles()[profile].clauses[static_cast<std::size_t>(got.chosen)].clause->action == "hedge");
  }
}

TEST_CASE("appending future data changes no past decision", "[engine][replay]") {
  const auto plan = default_plan();
  // The same files read twice: up to 2021-07-01, and up to 2021-01-01 only.
  const Snapshot longer = history(*plan, k2021July);
  const Snapshot shorter = history(*plan, k2021);
  REQUIRE(input(longer, "spx").times.size() > input(shorter, "spx").times.size());
  const auto steps = closes(input(shorter, "spx"), k2020, k2021);
  std::vector<std::string> errors;
  Replayer with_future(*plan, longer, errors);
  REQUIRE(errors.empty());
  Replayer without(*plan, shorter, errors);
  REQUIRE(errors.empty());
  const auto profile = static_cast<std::uint32_t>(plan->find_profile("swing"));
  for (const auto time : steps) {
    const auto& a = with_future.step(time, profile, {});
    const auto& b = without.step(time, profile, {});
    INFO("at " << format_timestamp(time));
    REQUIRE(a.chosen == b.chosen);
    for (std::size_t node = 0; node < a.values.size(); ++node) REQUIRE(same(a.values[node], b.values[node]));
  }
  // A step back in time after a later one sees only its own past (the binary-search path).
  with_future.step(steps.back(), profile, {});
  const auto early = with_future.step(steps.front(), profile, {}).chosen;
  CHECK(early == without.step(steps.front(), profile, {}).chosen);
  CHECK(with_future.bound().inputs[static_cast<std::size_t>(plan->find_input("spx"))].times.back() <= steps.front());
}

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
