// Replay over real data loaded through the sources manifest (the vendored slice in tests/data/,
// November 2019 to May 2020): no look-ahead, and the engine's cursor-and-view stepping decides
// exactly as a snapshot built from scratch at every step would (what `eval --sources` does: cut
// at the instant, keep the lookback the windows need). It lives with the adapters because its
// inputs come through them; the engine's own replay test builds its series in code.
#include <catch2/catch.hpp>
#include <cmath>

#include "tests/support/check.hpp"
#include "tests/support/files.hpp"
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
  const auto manifest = adapters::read_manifest(testing::test_data("sources.json").string());
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

// The instants the clock's closes became known, for closes dated in [from, to].
std::vector<Timestamp> closes(const InputData& clock, Timestamp from, Timestamp to) {
  std::vector<Timestamp> out;
  for (std::size_t k = 0; k < clock.times.size(); ++k) {
    if (clock.times[k] >= from && clock.times[k] <= to) out.push_back(clock.known(k));
  }
  return out;
}

bool same(const NodeValue& a, const NodeValue& b) {
  auto eq = [](double x, double y) { return (std::isnan(x) && std::isnan(y)) || x == y; };
  return a.truth == b.truth && eq(a.number, b.number) && eq(a.upper, b.upper);
}

// The snapshot `eval --sources --as-of t` would build: observations known at or before t, within
// the lookback the plan needs.
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
      if (data.known(k) > time || static_cast<double>(time - data.known(k)) > reach) continue;
      cut.times.push_back(data.times[k]);
      cut.values.push_back(data.values[k]);
      cut.known_at.push_back(data.known(k));
    }
    if (!cut.times.empty()) out.inputs.push_back(std::move(cut));
  }
  return out;
}

// The data runs from 2019-11-01 to 2020-05-31: steps from February leave the windows (60 days
// at most) their full lookback, and May is the "future" appended in the last test.
constexpr Timestamp kNovember = 1572566400;  // 2019-11-01
constexpr Timestamp kFebruary = 1580515200;  // 2020-02-01
constexpr Timestamp kMay = 1588291200;       // 2020-05-01
constexpr Timestamp kJune = 1590969600;      // 2020-06-01

}  // namespace

// Every close of 2020 before the data was vendored; six months (the calm before COVID, the fall
// and the rebound) keep tests/data/ small. The first steps see less history than their windows
// ask for, as the start of any replay does: they must still equal a snapshot cut the same way.
TEST_CASE("replay decides at every close from November 2019 to April 2020 exactly as a snapshot built from scratch then",
          "[adapters][replay]") {
  const auto plan = default_plan();
  const Snapshot full = history(*plan, kMay);
  // From the first close at which every required input is known: FRED's first yield of the
  // slice (1 November) is posted on the 4th at 16:15 New York, after that day's close.
  const auto steps = closes(input(full, "spx"), kNovember + 4 * 86400, kMay);
  REQUIRE(steps.size() >= 120);
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
  // Series with no new observation at a close were not recomputed: Treasury yields have none on
  // Veterans Day (2019-11-11), when the stock market is open.
  CHECK(replayer.memo().hits > 0);
}

TEST_CASE("hourly steps over daily data reuse window results and still decide as from scratch", "[adapters][replay]") {
  const auto plan = default_plan();
  const Snapshot full = history(*plan, kMay);
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

TEST_CASE("replay at an example snapshot's instant decides as `eval` on that snapshot", "[adapters][replay]") {
  const auto plan = default_plan();
  const auto example = adapters::read_snapshot_file(std::string(RISKOFF_SOURCE_DIR) + "/examples/snapshots/2020-03-16.json");
  REQUIRE(example.ok());
  const Snapshot full = history(*plan, kMay);
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

TEST_CASE("appending future data changes no past decision", "[adapters][replay]") {
  const auto plan = default_plan();
  // The same files read twice: up to 2020-06-01, and up to 2020-05-01 only.
  const Snapshot longer = history(*plan, kJune);
  const Snapshot shorter = history(*plan, kMay);
  REQUIRE(input(longer, "spx").times.size() > input(shorter, "spx").times.size());
  const auto steps = closes(input(shorter, "spx"), kFebruary, kMay);
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

