// riskoff::sweep() and riskoff::shuffle_test() through the public API: every grid point is the
// replay `--set` gives with the same values; the report is byte-identical whatever the threads;
// malformed grids and values `--set` refuses are usage errors; the own point and the heatmap's
// cells; the shuffle test ranks the replay's own figures and is reproducible by seed.
#include <catch2/catch.hpp>

#include "riskoff/backtest.hpp"
#include "riskoff/evidence.hpp"
#include "riskoff/sources.hpp"

namespace {

const std::string kFixture = std::string(RISKOFF_SOURCE_DIR) + "/tests/golden/replay/";

riskoff::Ruleset small_ruleset() {
  auto compiled = riskoff::Ruleset::load(kFixture + "new.rules");
  REQUIRE(compiled.ok());
  return *compiled.ruleset;
}

riskoff::Sources fixture_sources() {
  auto sources = riskoff::Sources::load(kFixture + "data/sources.json");
  REQUIRE(sources.ok());
  return *sources;
}

riskoff::BacktestOptions april_may() {
  riskoff::BacktestOptions options;
  options.from = *riskoff::parse_time("2022-04-01");
  options.to = *riskoff::parse_time("2022-05-31T23:59:59Z");
  options.episode_threshold = 0.03;
  return options;
}

// The figures of one replay, read off its public report as a sweep point reports them.
riskoff::ReplayFigures figures_of(const riskoff::Backtest& replay) {
  const auto& report = replay.report();
  riskoff::ReplayFigures out;
  out.total_return = report.overlay.overlay.total_return;
  out.annual_return = report.overlay.overlay.annual_return;
  out.volatility = report.overlay.overlay.volatility;
  out.max_drawdown = report.overlay.overlay.max_drawdown;
  std::size_t off_wait = 0;
  for (const auto& step : report.steps) off_wait += !step.action.empty() && step.action != "wait";
  out.off_wait = static_cast<double>(off_wait) / static_cast<double>(report.steps.size());
  out.changes = report.changes.size();
  out.turnover = report.overlay.turnover;
  return out;
}

void check_points_equal_single_replays(const riskoff::SweepReport& grid, const riskoff::BacktestOptions& base) {
  const auto ruleset = small_ruleset();
  const auto sources = fixture_sources();
  for (const auto& point : grid.points) {
    auto options = base;
    options.overrides.insert(options.overrides.end(), point.overrides.begin(), point.overrides.end());
    const auto single = riskoff::Backtest::run(ruleset, sources, options);
    REQUIRE(single.ok());
    const auto expected = figures_of(*single);
    INFO(point.overrides.front() + (point.overrides.size() > 1 ? " " + point.overrides.back() : ""));
    // Exactly equal, not approximately: the same replay of the same plan.
    CHECK(point.figures.total_return == expected.total_return);
    CHECK(point.figures.annual_return == expected.annual_return);
    CHECK(point.figures.volatility == expected.volatility);
    CHECK(point.figures.max_drawdown == expected.max_drawdown);
    CHECK(point.figures.off_wait == expected.off_wait);
    CHECK(point.figures.changes == expected.changes);
    CHECK(point.figures.turnover == expected.turnover);
  }
}

}  // namespace

TEST_CASE("every sweep point equals the single replay with the same --set", "[api][sweep]") {
  const auto options = april_may();
  const auto grid = riskoff::sweep(small_ruleset(), fixture_sources(), options,
                                   {.axes = {"dollar_jump=0.4%..1.2%/0.2%", "spx_drop=-4%,-3%,-2%"}});
  REQUIRE(grid.ok());
  REQUIRE(grid->points.size() == 15);
  CHECK(grid->points[7].overrides == std::vector<std::string>{"dollar_jump=0.8%", "spx_drop=-3%"});
  check_points_equal_single_replays(*grid, options);
  // The grid is not flat: the points are replays of their own values, not copies of one.
  CHECK(grid->points.front().figures.changes != grid->points[7].figures.changes);
}

TEST_CASE("fixed overrides hold at every point of a sweep", "[api][sweep]") {
  auto options = april_may();
  options.overrides = {"spx_drop=-2%"};
  const auto grid = riskoff::sweep(small_ruleset(), fixture_sources(), options, {.axes = {"dollar_jump=0.6%,1%"}});
  REQUIRE(grid.ok());
  CHECK(grid->fixed == std::vector<std::string>{"spx_drop=-2%"});
  check_points_equal_single_replays(*grid, options);
}

TEST_CASE("a sweep is the same bytes with one thread or many", "[api][sweep]") {
  const riskoff::SweepOptions one{.axes = {"dollar_jump=0.4%..1.2%/0.4%", "spx_drop=-4%,-2%"}, .threads = 1};
  auto many = one;
  many.threads = 8;
  const auto a = riskoff::sweep(small_ruleset(), fixture_sources(), april_may(), one);
  const auto b = riskoff::sweep(small_ruleset(), fixture_sources(), april_may(), many);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  for (const auto format : {riskoff::ReportFormat::kText, riskoff::ReportFormat::kCsv, riskoff::ReportFormat::kJson,
                            riskoff::ReportFormat::kSvg}) {
    CHECK(riskoff::render_sweep(*a, format) == riskoff::render_sweep(*b, format));
  }
}

TEST_CASE("shares of a sweep put together and judged are the whole sweep, byte for byte", "[api][sweep]") {
  const riskoff::SweepOptions whole{.axes = {"dollar_jump=0.4%..1.2%/0.2%", "spx_drop=-4%,-3%,-2%"}};
  const auto expected = riskoff::sweep(small_ruleset(), fixture_sources(), april_may(), whole);
  REQUIRE(expected.ok());
  auto share = [&](std::vector<std::size_t> only) {
    auto grid = whole;
    grid.only = std::move(only);
    auto result = riskoff::sweep(small_ruleset(), fixture_sources(), april_may(), grid);
    REQUIRE(result.ok());
    return *result;
  };
  // The grid alone: every point named, none replayed, no header and no verdict.
  auto merged = share({});
  REQUIRE(merged.points.size() == 15);
  CHECK(merged.points[7].overrides == std::vector<std::string>{"dollar_jump=0.8%", "spx_drop=-3%"});
  CHECK(merged.header.steps == 0);
  CHECK(merged.verdict_text.empty());
  // Two shares in an order of their own; a share is not judged.
  const auto odd = share({13, 1, 3, 5, 7, 9, 11});
  const auto even = share({0, 2, 4, 6, 8, 10, 12, 14});
  CHECK(odd.verdict_text.empty());
  CHECK_FALSE(odd.own_point.has_value());
  for (std::size_t p = 0; p < merged.points.size(); ++p) merged.points[p].figures = (p % 2 ? odd : even).points[p].figures;
  merged.header = odd.header;
  riskoff::judge_sweep(merged);
  for (const auto format : {riskoff::ReportFormat::kText, riskoff::ReportFormat::kCsv, riskoff::ReportFormat::kJson,
                            riskoff::ReportFormat::kSvg}) {
    CHECK(riskoff::render_sweep(merged, format) == riskoff::render_sweep(*expected, format));
  }
}

TEST_CASE("a share names only points of the grid, each once", "[api][sweep]") {
  auto refused = [](std::vector<std::size_t> only) {
    const auto result = riskoff::sweep(small_ruleset(), fixture_sources(), april_may(),
                                       {.axes = {"dollar_jump=0.5%,1%"}, .only = std::move(only)});
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().kind == riskoff::ErrorKind::kUsage);
    return result.error().messages.front();
  };
  CHECK(refused({0, 2}) == "sweep: point 2 is not in the grid of 2 points (only takes indices from 0)");
  CHECK(refused({1, 1}) == "sweep: point 1 is listed twice in only");
}

TEST_CASE("the ruleset's own values are found on the grid, with their neighbours", "[api][sweep]") {
  const auto grid = riskoff::sweep(small_ruleset(), fixture_sources(), april_may(),
                                   {.axes = {"dollar_jump=0.4%..1.2%/0.2%", "spx_drop=-4%,-3%,-2%"}});
  REQUIRE(grid.ok());
  REQUIRE(grid->own_point == 7U);  // dollar_jump=0.8%, spx_drop=-3%: new.rules' own values
  CHECK(grid->neighbours == std::vector<std::size_t>{4, 6, 8, 10});
  CHECK(grid->axes[0].own_value == "0.8%");
  const std::string svg = riskoff::render_sweep(*grid, riskoff::ReportFormat::kSvg);
  std::size_t cells = 0;
  for (auto at = svg.find("class=\"cell"); at != std::string::npos; at = svg.find("class=\"cell", at + 1)) ++cells;
  CHECK(cells == 15);
  CHECK(svg.find("class=\"cell own\"") != std::string::npos);
  // Off the grid: the own value is named in the parameter's unit.
  const auto off = riskoff::sweep(small_ruleset(), fixture_sources(), april_may(), {.axes = {"dollar_jump=0.5%,1%"}});
  REQUIRE(off.ok());
  CHECK(off->verdict == riskoff::PlateauVerdict::kOffGrid);
  CHECK(off->axes[0].own_value == "0.8%");
}

TEST_CASE("values --set refuses, and malformed grids, are usage errors", "[api][sweep]") {
  auto refused = [](riskoff::SweepOptions grid, riskoff::BacktestOptions options = april_may()) {
    const auto result = riskoff::sweep(small_ruleset(), fixture_sources(), options, grid);
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().kind == riskoff::ErrorKind::kUsage);
    return result.error().messages.front();
  };
  CHECK(refused({.axes = {"dollar_jmp=1%,2%"}}).find("unknown parameter `dollar_jmp`; did you mean `dollar_jump`?") !=
        std::string::npos);
  CHECK(refused({.axes = {"dollar_jump=10bp..20bp/5bp"}}).find("`dollar_jump` takes a number in % such as 1.5%") !=
        std::string::npos);
  CHECK(refused({.axes = {"dollar_jump=1%..2%/0%"}}).find("STEP must be greater than 0") != std::string::npos);
  CHECK(refused({.axes = {"dollar_jump=1%..2%/0.0001%"}}).find("at most 10000 points") != std::string::npos);
  CHECK(refused({.axes = {"dollar_jump=1%"}, .plateau_tolerance = -1}).find("--plateau-pp") != std::string::npos);
  // A malformed grid is told before the history is read: here a history with no series at all.
  const auto early = riskoff::sweep(small_ruleset(), riskoff::Snapshot(*riskoff::parse_time("2022-06-01")), april_may(),
                                    {.axes = {"dollar_jump=1%..2%/0%"}});
  REQUIRE_FALSE(early.ok());
  CHECK(early.error().kind == riskoff::ErrorKind::kUsage);
  auto against = april_may();
  against.against = small_ruleset();
  CHECK(refused({.axes = {"dollar_jump=1%"}}, against).find("no --against") != std::string::npos);
}

TEST_CASE("the shuffle test ranks the replay's own figures, the same for the same seed", "[api][shuffle]") {
  const auto replay = riskoff::Backtest::run(small_ruleset(), fixture_sources(), april_may());
  REQUIRE(replay.ok());
  const auto test = riskoff::shuffle_test(*replay, {.shuffles = 100, .seed = 9});
  REQUIRE(test.ok());
  const auto expected = figures_of(*replay);
  CHECK(test->real.total_return == expected.total_return);
  CHECK(test->real.max_drawdown == expected.max_drawdown);
  CHECK(test->real.off_wait == expected.off_wait);
  CHECK(test->real.changes == expected.changes);
  REQUIRE(test->kinds.size() == 2);
  CHECK(test->kinds[0].total_return.real == expected.total_return);
  const auto again = riskoff::shuffle_test(*replay, {.shuffles = 100, .seed = 9});
  REQUIRE(again.ok());
  CHECK(riskoff::render_shuffle(*test, riskoff::ReportFormat::kJson) ==
        riskoff::render_shuffle(*again, riskoff::ReportFormat::kJson));
  const auto none = riskoff::shuffle_test(*replay, {.shuffles = 0});
  REQUIRE_FALSE(none.ok());
  CHECK(none.error().kind == riskoff::ErrorKind::kUsage);
}
