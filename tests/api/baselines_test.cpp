// `--baseline`: the shipped baselines (rulesets/baselines/) replayed beside a ruleset over the
// same steps, reference and execution, on six hand-made days whose overlay is computed by hand.
#include <catch2/catch.hpp>

#include "riskoff/backtest.hpp"

namespace {

const std::string kBaselines = std::string(RISKOFF_SOURCE_DIR) + "/rulesets/baselines/";

riskoff::Ruleset baseline(const std::string& name) {
  auto compiled = riskoff::Ruleset::load(kBaselines + name + ".rules");
  REQUIRE(compiled.ok());
  return *compiled.ruleset;
}

// S&P 500 +10%, -10%, -10%, +10%, 0%; the VIX above 25 only on the second day.
riskoff::Snapshot six_days() {
  const std::int64_t first = *riskoff::parse_time("2024-03-04");
  std::vector<std::int64_t> times;
  for (int k = 0; k < 6; ++k) times.push_back(first + k * 86400);
  riskoff::Snapshot history(times.back());
  REQUIRE(history.add_series("spx", riskoff::Unit::kIndex, times, {100, 110, 99, 89.1, 98.01, 98.01}).empty());
  REQUIRE(history.add_series("vix", riskoff::Unit::kIndex, times, {20, 26, 20, 20, 20, 20}).empty());
  return history;
}

}  // namespace

TEST_CASE("baselines decide as computed by hand, over the same steps and execution", "[api][baselines]") {
  riskoff::BacktestOptions options;
  options.from = *riskoff::parse_time("2024-03-04");
  options.overlay.reduce_to = 0.6;
  for (const char* name : {"vix_above_25", "always_wait", "sixty_forty", "spx_below_200d"}) {
    options.baselines.push_back(baseline(name));
  }
  const auto run = riskoff::Backtest::run(baseline("vix_above_30"), six_days(), options);
  REQUIRE(run.ok());
  const auto& report = run->report();
  REQUIRE(report.steps.size() == 6);
  REQUIRE(report.baselines.size() == 4);
  // Buy-and-hold: 100 -> 98.01. vix_above_30 never acts: the same.
  CHECK(report.overlay.hold.total_return == Approx(-0.0199));
  CHECK(report.overlay.overlay.total_return == Approx(-0.0199));
  // vix_above_25 hedges at day 2's close (VIX 26), traded at day 3's close: flat over day 3 -> 4
  // (the -10%), back in from day 4's close. 1 x 1.1 x 0.9 x 1 x 1.1 x 1 = 1.089.
  const auto& vix25 = report.baselines[0];
  CHECK(vix25.ruleset == "vix_above_25");
  CHECK(vix25.total_return == Approx(0.089));
  CHECK(vix25.changes == 2);
  CHECK(vix25.turnover == Approx(2));
  CHECK(vix25.off_wait == Approx(1.0 / 6));
  // always_wait is buy-and-hold.
  CHECK(report.baselines[1].total_return == Approx(-0.0199));
  CHECK(report.baselines[1].changes == 0);
  // sixty_forty reduces from the first close, traded at the second: 1.1 x 0.94 x 0.94 x 1.06 x 1.
  CHECK(report.baselines[2].total_return == Approx(1.1 * 0.94 * 0.94 * 1.06 - 1));
  CHECK(report.baselines[2].turnover == Approx(0.4));
  // spx_below_200d: a window averages the closes it holds (all of them, here). Day 3: 99 < 103
  // (the mean of 100, 110, 99): it hedges from day 3's close on, traded at day 4's, so it is out
  // of the last two moves: 1.1 x 0.9 x 0.9 = 0.891.
  CHECK(report.baselines[3].total_return == Approx(-0.109));
  CHECK(report.baselines[3].changes == 1);
  CHECK(report.baselines[3].off_wait == Approx(4.0 / 6));
  const auto text = run->render(riskoff::ReportFormat::kText);
  CHECK(text.find("Baselines (same steps, same reference, same execution") != std::string::npos);
  CHECK(text.find("  vix_above_25 ") != std::string::npos);
  const auto json = run->render(riskoff::ReportFormat::kJson);
  CHECK(json.find("\"baselines\": [") != std::string::npos);
}

TEST_CASE("a replay without baselines has no baselines table", "[api][baselines]") {
  riskoff::BacktestOptions options;
  options.from = *riskoff::parse_time("2024-03-04");
  const auto run = riskoff::Backtest::run(baseline("vix_above_30"), six_days(), options);
  REQUIRE(run.ok());
  CHECK(run->render(riskoff::ReportFormat::kText).find("Baselines") == std::string::npos);
  CHECK(run->render(riskoff::ReportFormat::kJson).find("baselines") == std::string::npos);
}

// `--reference`: any price series of the history, or a mix rebalanced at every step; the
// returns computed by hand over four days.
TEST_CASE("a reference of bitcoin, and a mix of the S&P 500 and bitcoin", "[api][reference]") {
  const std::int64_t first = *riskoff::parse_time("2024-03-04");
  const std::vector<std::int64_t> times = {first, first + 86400, first + 2 * 86400, first + 3 * 86400};
  riskoff::Snapshot history(times.back());
  REQUIRE(history.add_series("spx", riskoff::Unit::kIndex, times, {100, 110, 110, 121}).empty());
  REQUIRE(history.add_series("btc", riskoff::Unit::kUsd, times, {100, 90, 99, 99}).empty());
  riskoff::BacktestOptions options;
  options.from = first;
  options.reference = "btc";
  const auto btc = riskoff::Backtest::run(baseline("always_wait"), history, options);
  REQUIRE(btc.ok());
  CHECK(btc->report().reference == "btc");
  CHECK(btc->report().overlay.hold.total_return == Approx(-0.01));
  // 60/40 weights as fractions or as percentages: +2%, +4%, +6% a step.
  for (const char* mix : {"spx=0.6,btc=0.4", "spx=60,btc=40"}) {
    options.reference = mix;
    const auto mixed = riskoff::Backtest::run(baseline("always_wait"), history, options);
    REQUIRE(mixed.ok());
    CHECK(mixed->report().reference == "spx 60% + btc 40%");
    CHECK(mixed->report().overlay.hold.total_return == Approx(1.02 * 1.04 * 1.06 - 1));
  }
}

TEST_CASE("execution at the next open is refused while the history has no opens", "[api][reference]") {
  riskoff::BacktestOptions options;
  options.from = *riskoff::parse_time("2024-03-04");
  options.execution = riskoff::Execution::kNextOpen;
  const auto run = riskoff::Backtest::run(baseline("vix_above_30"), six_days(), options);
  REQUIRE_FALSE(run.ok());
  CHECK(run.error().kind == riskoff::ErrorKind::kData);
  CHECK(run.error().messages.front().find("no opens") != std::string::npos);
}
