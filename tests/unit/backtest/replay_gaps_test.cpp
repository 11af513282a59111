// Holes in the data during a replay: a holiday, a missing week, an optional series and a
// required series that start after the replay does. Each is handled by the engine's unknown
// rules (stale or missing inputs are unknown, never 0) and reported in the summary.
#include <catch2/catch.hpp>
#include <cmath>

#include "backtest/report.hpp"
#include "tests/support/check.hpp"

using namespace riskoff;
using namespace riskoff::engine;

namespace {

constexpr Timestamp kJan1 = 1704067200;  // 2024-01-01, a Monday
constexpr Timestamp kDay = 86400;

Timestamp jan(int day) { return kJan1 + (day - 1) * kDay; }

// Weekdays of January and early February 2024 from `first`, without the days in `skip`.
InputData series(const std::string& name, int first, std::vector<int> skip, double start, double step) {
  InputData data;
  data.name = name;
  data.unit = Unit::kIndex;
  double value = start;
  for (int day = first; day <= 40; ++day) {
    const Timestamp time = jan(day);
    const int weekday = static_cast<int>(((time / kDay) + 4) % 7);  // 0 = Sunday
    if (weekday == 0 || weekday == 6 || std::find(skip.begin(), skip.end(), day) != skip.end()) continue;
    data.times.push_back(time);
    data.values.push_back(value);
    value += step;
  }
  return data;
}

const char* kRules = R"(ruleset gaps version "1.0.0"
input a : series 1d index max_age 4d "rises every day; a holiday on 15 January and no data 22-26 January"
input b : series 1d index optional max_age 4d "optional, starts 10 January"
input late : series 1d index max_age 4d "required, starts 8 January"
signal a_up "A rising" = change(a, 1d) > 0
signal b_high "B high" = b > 10
signal late_high "Late high" = late > 0
profile p {
  decide
    hedge when a_up and b_high
    reduce when a_up or late_high
    wait otherwise
}
)";

}  // namespace

TEST_CASE("data gaps are unknown, reported, and never filled with zeros", "[backtest][replay]") {
  auto checked = testing::check(kRules);
  INFO(testing::codes(checked.diagnostics));
  REQUIRE_FALSE(checked.diagnostics.has_errors());
  const auto plan = Plan::compile(std::shared_ptr<const CheckedRuleset>(std::move(checked.ruleset)));
  engine::Snapshot history;
  history.inputs.push_back(series("a", 1, {15, 22, 23, 24, 25, 26}, 100, 1));
  history.inputs.push_back(series("b", 10, {}, 5, 0));  // never above 10: HEDGE never fires
  history.inputs.push_back(series("late", 8, {}, -1, 0));  // late_high false once known
  std::vector<Timestamp> steps;  // calendar days, weekends too
  for (int day = 1; day <= 31; ++day) steps.push_back(jan(day));
  REQUIRE(steps.size() == 31);
  backtest::ReplayOptions options;
  options.reference.push_back({"a", 1, &history.inputs[0]});
  std::vector<std::string> errors;
  const auto replay = backtest::run_replay(*plan, history, steps, options, errors);
  REQUIRE(errors.empty());
  REQUIRE(replay);

  // `late` starts on 8 January: no decision before it (eval would refuse such a snapshot).
  CHECK(replay->undecided == 7);
  for (int day = 1; day <= 7; ++day) CHECK(replay->steps[static_cast<std::size_t>(day - 1)].action.empty());
  CHECK(replay->steps[7].action == "reduce");
  const auto& late = replay->gaps[static_cast<std::size_t>(plan->find_input("late"))];
  REQUIRE(late.first);
  CHECK(*late.first == jan(8));
  CHECK(late.steps_missing == 7);

  // The optional `b` starts on 10 January: unknown before, but decisions go on.
  const auto& b = replay->gaps[static_cast<std::size_t>(plan->find_input("b"))];
  CHECK(b.steps_missing == 9);
  CHECK(b.optional);

  // The holiday (Friday 12 -> Tuesday 16, 4 days) is within max_age: nothing stale, still REDUCE.
  CHECK(replay->steps[14].action == "reduce");  // 15 January
  CHECK_FALSE(replay->steps[14].depends_on_unknown);
  // The missing week: from 24 January the last close (19 January) is older than 4 days, so
  // `a_up` is unknown, REDUCE cannot be decided and WAIT is flagged as depending on unknown
  // data. Zeros in the hole would have read as a fall (a_up false) and a plain WAIT.
  const auto& a = replay->gaps[static_cast<std::size_t>(plan->find_input("a"))];
  CHECK(a.steps_stale == 5);  // 24-28 January
  CHECK(a.longest_gap_days == 10);
  CHECK(a.gap_from == jan(19));
  CHECK(a.gap_to == jan(29));
  for (int day = 24; day <= 28; ++day) {
    INFO("January " << day);
    CHECK(replay->steps[static_cast<std::size_t>(day - 1)].action == "wait");
    CHECK(replay->steps[static_cast<std::size_t>(day - 1)].depends_on_unknown);
  }
  CHECK(replay->steps[28].action == "reduce");  // 29 January: data again

  // The engine's view at a stale step: the input and the signal are unknown (NaN), not 0.
  Replayer replayer(*plan, history, errors);
  const auto& evaluation = replayer.step(jan(25), 0, {});
  CHECK(replayer.bound().status[static_cast<std::size_t>(plan->find_input("a"))] == engine::InputStatus::kStale);
  const auto a_up = plan->symbol_nodes()[plan->ruleset().by_name.at("a_up")];
  CHECK(evaluation.values[static_cast<std::size_t>(a_up)].truth == Truth::kUnknown);

  // The summary says all of it.
  const std::string text = backtest::render_replay_text(*replay, nullptr, nullptr);
  CHECK_THAT(text, Catch::Contains("late                      starts 2024-01-08; 7 steps with no data (unknown, undecided)"));
  CHECK_THAT(text, Catch::Contains("a                         5 steps stale (unknown); longest gap 10d, 2024-01-19 → 2024-01-29"));
  CHECK_THAT(text, Catch::Contains("b (optional)              starts 2024-01-10; 9 steps with no data (unknown)"));
  CHECK_THAT(text, Catch::Contains("undecided steps: 7"));
}

TEST_CASE("a reference that starts late earns nothing before it and says so", "[backtest][replay]") {
  auto checked = testing::check(kRules);
  REQUIRE_FALSE(checked.diagnostics.has_errors());
  const auto plan = Plan::compile(std::shared_ptr<const CheckedRuleset>(std::move(checked.ruleset)));
  engine::Snapshot history;
  history.inputs.push_back(series("a", 1, {}, 100, 1));
  history.inputs.push_back(series("late", 1, {}, -1, 0));
  InputData btc = series("btc", 10, {}, 200, 2);
  std::vector<Timestamp> steps;  // the closes of `a` in January
  for (const auto time : history.inputs[0].times) {
    if (time <= jan(31)) steps.push_back(time);
  }
  backtest::ReplayOptions options;
  options.reference = {{"btc", 0.5, &btc}, {"cash", 0.5, nullptr}};
  std::vector<std::string> errors;
  const auto replay = backtest::run_replay(*plan, history, steps, options, errors);
  REQUIRE(replay);
  CHECK(replay->reference == "btc 50% + cash 50%");
  REQUIRE(replay->reference_gaps.size() == 1);
  CHECK(replay->reference_gaps.front() == "`btc` has no price before 2024-01-10: 7 steps earn nothing on this leg");
  CHECK(std::isnan(replay->steps[0].reference));
  // Half in cash: the first step of BTC (200 -> 202) moves the mix by half of 1%.
  CHECK(replay->overlay.step_return[8] == Approx(0.005));
}
