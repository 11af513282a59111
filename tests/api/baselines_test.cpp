// `--baseline`: the shipped baselines (rulesets/baselines/) replayed beside a ruleset over the
// same steps, reference and execution, on six hand-made days whose overlay is computed by hand.
#include <catch2/catch.hpp>

#include "riskoff/backtest.hpp"
#include "riskoff/evidence.hpp"
#include "riskoff/sources.hpp"

namespace {

const std::string kBaselines = std::string(RISKOFF_SOURCE_DIR) + "/rulesets/baselines/";

template <typename Loaded>
Loaded load_fixture(const std::string& name) {
  const std::string path = std::string(RISKOFF_SOURCE_DIR) + "/tests/golden/replay/" + name;
  if constexpr (std::is_same_v<Loaded, riskoff::Sources>) {
    auto sources = riskoff::Sources::load(path);
    REQUIRE(sources.ok());
    return *sources;
  } else {
    auto compiled = riskoff::Ruleset::load(path);
    REQUIRE(compiled.ok());
    return *compiled.ruleset;
  }
}

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
  CHECK(vix25.figures.total_return == Approx(0.089));
  CHECK(vix25.figures.changes == 2);
  CHECK(vix25.figures.turnover == Approx(2));
  CHECK(vix25.figures.off_wait == Approx(1.0 / 6));
  // always_wait is buy-and-hold.
  CHECK(report.baselines[1].figures.total_return == Approx(-0.0199));
  CHECK(report.baselines[1].figures.changes == 0);
  // sixty_forty reduces from the first close, traded at the second: 1.1 x 0.94 x 0.94 x 1.06 x 1.
  CHECK(report.baselines[2].figures.total_return == Approx(1.1 * 0.94 * 0.94 * 1.06 - 1));
  CHECK(report.baselines[2].figures.turnover == Approx(0.4));
  // spx_below_200d: a window averages the closes it holds (all of them, here). Day 3: 99 < 103
  // (the mean of 100, 110, 99): it hedges from day 3's close on, traded at day 4's, so it is out
  // of the last two moves: 1.1 x 0.9 x 0.9 = 0.891.
  CHECK(report.baselines[3].figures.total_return == Approx(-0.109));
  CHECK(report.baselines[3].figures.changes == 1);
  CHECK(report.baselines[3].figures.off_wait == Approx(4.0 / 6));
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

// tests/golden/replay/data/opens/: six sessions of the S&P 500 with opens (Yahoo's layout) and a
// VIX above 25 on 5 March only, so vix_above_25 decides HEDGE at that close and WAIT otherwise.
TEST_CASE("execution at the next open: the night's gap at the old exposure, the session at the new", "[api][reference]") {
  auto sources = riskoff::Sources::load(std::string(RISKOFF_SOURCE_DIR) + "/tests/golden/replay/data/opens/sources.json");
  REQUIRE(sources.ok());
  riskoff::BacktestOptions options;
  options.from = *riskoff::parse_time("2024-03-04");
  options.execution = riskoff::Execution::kNextOpen;
  const auto run = riskoff::Backtest::run(baseline("vix_above_25"), *sources, options);
  REQUIRE(run.ok());
  const auto& report = run->report();
  REQUIRE(report.steps.size() == 6);
  // 5 March: +1% overnight, +10% in all, invested. 6 March: HEDGE decided at 5 March's close is
  // traded at 6 March's open, after the night's -5% (104.5 against 110); flat for the rest.
  // 7 March: WAIT traded at the open (99, no gap), then -10%. 8 March: +10%. 11 March: flat.
  const std::vector<double> by_hand = {1, 1.10, 1.10 * 0.95, 1.10 * 0.95 * 0.9, 1.10 * 0.95 * 0.9 * 1.1,
                                       1.10 * 0.95 * 0.9 * 1.1};
  for (std::size_t k = 0; k < by_hand.size(); ++k) {
    INFO("step " << k);
    CHECK(report.overlay.overlay_value[k] == Approx(by_hand[k]).epsilon(1e-12));
  }
  CHECK(report.overlay.hold.total_return == Approx(98.01 / 100 - 1));
  CHECK(report.overlay.turnover == Approx(2));
  CHECK(run->render(riskoff::ReportFormat::kText).find("traded at the next step's open") != std::string::npos);
  // The default, at the next close, on the same files: HEDGE holds over 7 March's -10% instead.
  options.execution = riskoff::Execution::kNextClose;
  const auto at_close = riskoff::Backtest::run(baseline("vix_above_25"), *sources, options);
  REQUIRE(at_close.ok());
  CHECK(at_close->report().overlay.overlay.total_return == Approx(1.1 * 0.9 * 1.1 - 1));
  // Costs are charged at the open's trade: 1% per unit, twice.
  options.execution = riskoff::Execution::kNextOpen;
  options.overlay.cost_bp = 100;
  const auto with_costs = riskoff::Backtest::run(baseline("vix_above_25"), *sources, options);
  REQUIRE(with_costs.ok());
  CHECK(with_costs->report().overlay.overlay.total_return == Approx(1.10 * 0.95 * 0.99 * 0.99 * 0.9 * 1.1 - 1));
}

namespace {

// The golden fixture's ruleset and data (tests/golden/replay/).
riskoff::Ruleset fixture_ruleset() { return load_fixture<riskoff::Ruleset>("new.rules"); }
riskoff::Sources fixture_sources() { return load_fixture<riskoff::Sources>("data/sources.json"); }

// April and May 2022 of the golden fixture, with two baselines.
riskoff::BacktestOptions with_baselines(std::int64_t from, std::int64_t to) {
  riskoff::BacktestOptions options;
  options.from = from;
  options.to = to;
  options.baselines = {baseline("always_wait"), baseline("spx_below_200d")};
  return options;
}

void check_same(const riskoff::ReplayFigures& got, const riskoff::ReplayFigures& expected, const std::string& what) {
  INFO(what << ": got total " << got.total_return << ", " << got.changes << " changes; expected total "
            << expected.total_return << ", " << expected.changes << " changes");
  CHECK(got.total_return == Approx(expected.total_return).margin(1e-12));
  CHECK(got.max_drawdown == Approx(expected.max_drawdown).margin(1e-12));
  CHECK(got.sharpe == Approx(expected.sharpe).margin(1e-12));
  CHECK(got.off_wait == Approx(expected.off_wait).margin(1e-12));
  CHECK(got.changes == expected.changes);
}

}  // namespace

TEST_CASE("a sweep's baselines are the replay's baselines over the same steps", "[api][baselines][sweep]") {
  const auto options = with_baselines(*riskoff::parse_time("2022-04-01"), *riskoff::parse_time("2022-05-31T23:59:59Z"));
  const auto grid = riskoff::sweep(fixture_ruleset(), fixture_sources(), options, {.axes = {"dollar_jump=0.4%,1.2%"}});
  REQUIRE(grid.ok());
  const auto run = riskoff::Backtest::run(fixture_ruleset(), fixture_sources(), options);
  REQUIRE(run.ok());
  REQUIRE(grid->baselines.size() == 2);
  REQUIRE(run->report().baselines.size() == 2);
  for (std::size_t k = 0; k < 2; ++k) {
    CHECK(grid->baselines[k].ruleset == run->report().baselines[k].ruleset);
    check_same(grid->baselines[k].figures, run->report().baselines[k].figures, grid->baselines[k].ruleset);
  }
  // always_wait holds the reference throughout: buy-and-hold.
  check_same(grid->baselines[0].figures,
             {.total_return = run->report().overlay.hold.total_return,
              .max_drawdown = run->report().overlay.hold.max_drawdown,
              .sharpe = grid->baselines[0].figures.sharpe},
             "always_wait against buy-and-hold");
  const auto csv = riskoff::render_sweep(*grid, riskoff::ReportFormat::kCsv);
  CHECK(csv.rfind("baseline,dollar_jump,own,", 0) == 0);
  CHECK(csv.find("\nspx_below_200d,,false,") != std::string::npos);
}

TEST_CASE("a sweep spread in shares carries the whole sweep's baselines", "[api][baselines][sweep]") {
  const auto options = with_baselines(*riskoff::parse_time("2022-04-01"), *riskoff::parse_time("2022-05-31T23:59:59Z"));
  const riskoff::SweepOptions whole{.axes = {"dollar_jump=0.4%,0.8%,1.2%"}};
  const auto expected = riskoff::sweep(fixture_ruleset(), fixture_sources(), options, whole);
  REQUIRE(expected.ok());
  auto share = [&](std::vector<std::size_t> only) {
    auto grid = whole;
    grid.only = std::move(only);
    auto result = riskoff::sweep(fixture_ruleset(), fixture_sources(), options, grid);
    REQUIRE(result.ok());
    return *result;
  };
  // The grid alone holds the baselines over the grid's steps; a share of points does not.
  auto merged = share({});
  REQUIRE(merged.baselines.size() == 2);
  const auto points = share({2, 0, 1});
  CHECK(points.baselines.empty());
  for (std::size_t p = 0; p < merged.points.size(); ++p) merged.points[p].figures = points.points[p].figures;
  merged.header = points.header;
  riskoff::judge_sweep(merged);
  for (const auto format : {riskoff::ReportFormat::kText, riskoff::ReportFormat::kCsv, riskoff::ReportFormat::kJson}) {
    CHECK(riskoff::render_sweep(merged, format) == riskoff::render_sweep(*expected, format));
  }
}

TEST_CASE("a walk-forward's baselines cover the tested span, not the train windows", "[api][baselines][walk_forward]") {
  const auto options = with_baselines(*riskoff::parse_time("2022-04-01"), *riskoff::parse_time("2022-05-31T23:59:59Z"));
  const auto walk = riskoff::walk_forward(fixture_ruleset(), fixture_sources(), options,
                                          {.windows = "20d/10d", .axes = {"dollar_jump=0.4%,1.2%"}});
  REQUIRE(walk.ok());
  REQUIRE(walk->baselines.size() == 2);
  // always_wait is buy-and-hold over the same span.
  check_same(walk->baselines[0].figures, walk->hold, "always_wait against the span's buy-and-hold");
  // The same baselines replayed over the tested span alone give the same figures: from its first
  // step to the period's end, where the last test window ends.
  const auto span = with_baselines(walk->header.from, *options.to);
  const auto run = riskoff::Backtest::run(fixture_ruleset(), fixture_sources(), span);
  REQUIRE(run.ok());
  REQUIRE(run->report().steps.size() == walk->header.steps);
  for (std::size_t k = 0; k < 2; ++k) {
    check_same(walk->baselines[k].figures, run->report().baselines[k].figures, walk->baselines[k].ruleset);
  }
}
