// riskoff::walk_forward() through the public API, on series made in memory with a planted
// future-only signal: a parameter value that only pays in the last test window. The walk-forward
// must not choose it there (its train window never saw it pay), and what lies after a train
// window (the planted year removed, or kept) must not change that window's choice or in-sample
// figures: no test-window data is read during selection.
#include <catch2/catch.hpp>

#include <cmath>

#include "riskoff/backtest.hpp"
#include "riskoff/evidence.hpp"

namespace {

// HEDGE (exposure 0) when the signal reaches `level`: level 1 hedges on signal 1 or 2, level 2
// only on 2, level 3 never.
constexpr const char* kRules = R"(ruleset planted version "1.0.0" "A planted signal"
input spx : series 1d index max_age 4d "the reference"
input sig : series 1d number max_age 4d "the planted signal"
param level = 3 "the signal level that hedges"
signal high "Signal at level" = sig >= level
  because "signal {sig}"
profile swing "Swing" {
  decide
    hedge when high
    wait otherwise
}
)";

riskoff::Ruleset planted_ruleset() {
  auto compiled = riskoff::Ruleset::compile(kRules, "planted.rules");
  REQUIRE(compiled.ok());
  return *compiled.ruleset;
}

constexpr std::int64_t kDay = 86400;

// Every calendar day of 2010 to 2014. The price rises 0.1% a day. A signal at day k is decided
// at k's close and traded at k+1's, so it moves the return from k+1 to k+2: the planted move.
// 2010-2013: signal 1 before each of four 5% falls a year (level 1 pays). 2014, when `plant`:
// signal 2 before four 8% falls and signal 1 before three 25% rises (only level 2 pays, and by
// more than level 1 earned by stepping aside in 2012-2013: hindsight over 2012-2014 takes it).
riskoff::Snapshot planted_history(bool plant) {
  const std::int64_t first = *riskoff::parse_time("2010-01-01");
  const std::int64_t last = *riskoff::parse_time("2014-12-31");
  const std::int64_t year_2014 = *riskoff::parse_time("2014-01-01");
  std::vector<std::int64_t> times;
  for (std::int64_t t = first; t <= last; t += kDay) times.push_back(t);
  std::vector<double> move(times.size(), 0.001), sig(times.size(), 0);
  for (std::size_t k = 0; k + 2 < times.size(); ++k) {
    const std::int64_t day_of_year = (times[k] - first) / kDay % 365;
    if (times[k] < year_2014) {
      if (day_of_year % 80 == 40) {
        sig[k] = 1;
        move[k + 2] = -0.05;
      }
    } else if (plant && day_of_year % 50 == 25) {
      const bool fall = (day_of_year / 50) % 2 == 0;
      sig[k] = fall ? 2 : 1;
      move[k + 2] = fall ? -0.08 : 0.25;
    }
  }
  std::vector<double> spx(times.size(), 100);
  for (std::size_t k = 1; k < times.size(); ++k) spx[k] = spx[k - 1] * (1 + move[k]);
  riskoff::Snapshot history(last);
  REQUIRE(history.add_series("spx", riskoff::Unit::kIndex, times, spx).empty());
  REQUIRE(history.add_series("sig", riskoff::Unit::kNumber, times, sig).empty());
  return history;
}

riskoff::BacktestOptions from_2010() {
  riskoff::BacktestOptions options;
  options.from = *riskoff::parse_time("2010-01-01");
  return options;
}

const riskoff::WalkForwardOptions kWalk{.windows = "2y/1y", .objective = "return", .axes = {"level=1..3/1"}};

double annual_return(const riskoff::Snapshot& history, const std::string& set, const char* from, const char* to) {
  auto options = from_2010();
  options.from = *riskoff::parse_time(from);
  options.to = *riskoff::parse_time(to);
  options.overrides = {set};
  const auto run = riskoff::Backtest::run(planted_ruleset(), history, options);
  REQUIRE(run.ok());
  return run->report().overlay.overlay.annual_return;
}

}  // namespace

TEST_CASE("walk-forward never picks a value that only pays in its test window", "[api][walk_forward]") {
  const auto planted = planted_history(true);
  const auto walk = riskoff::walk_forward(planted_ruleset(), planted, from_2010(), kWalk);
  REQUIRE(walk.ok());
  REQUIRE(walk->folds.size() == 3);
  const auto& last = walk->folds.back();
  CHECK(riskoff::format_time(last.train_from) == "2012-01-01T00:00:00Z");
  CHECK(riskoff::format_time(last.train_to) == "2013-12-31T00:00:00Z");
  CHECK(riskoff::format_time(last.test_from) == "2014-01-01T00:00:00Z");
  CHECK(riskoff::format_time(last.test_to) == "2014-12-31T00:00:00Z");
  // The plant is real: in 2014, level 2 beats level 1 by far...
  const double level_2 = annual_return(planted, "level=2", "2014-01-01", "2014-12-31");
  const double level_1 = annual_return(planted, "level=1", "2014-01-01", "2014-12-31");
  CHECK(level_2 > level_1 + 0.2);
  // ...yet every fold, the last included, chose level 1, the value its train window paid.
  for (const auto& fold : walk->folds) CHECK(fold.chosen == std::vector<std::string>{"level=1"});
  CHECK(last.out_of_sample.annual_return == Approx(level_1).epsilon(1e-12));
  // With hindsight over the tested span, the same objective does take the planted value.
  CHECK(walk->hindsight == std::vector<std::string>{"level=2"});
  CHECK(walk->in_sample.annual_return > walk->out_of_sample.annual_return);
}

TEST_CASE("what follows a train window changes neither its choice nor its in-sample figures", "[api][walk_forward]") {
  const auto planted = riskoff::walk_forward(planted_ruleset(), planted_history(true), from_2010(), kWalk);
  const auto plain = riskoff::walk_forward(planted_ruleset(), planted_history(false), from_2010(), kWalk);
  REQUIRE(planted.ok());
  REQUIRE(plain.ok());
  REQUIRE(planted->folds.size() == plain->folds.size());
  for (std::size_t k = 0; k < planted->folds.size(); ++k) {
    INFO("fold " << k + 1);
    const auto& a = planted->folds[k];
    const auto& b = plain->folds[k];
    CHECK(a.chosen == b.chosen);
    CHECK(a.train_steps == b.train_steps);
    // Exactly equal: the same replays of the same cut history.
    CHECK(a.in_sample.total_return == b.in_sample.total_return);
    // Or both undefined: a flat train window has no Sharpe (docs/replay.md), and NaN != NaN.
    CHECK((a.in_sample.sharpe == b.in_sample.sharpe || (std::isnan(a.in_sample.sharpe) && std::isnan(b.in_sample.sharpe))));
    CHECK(a.in_sample.max_drawdown == b.in_sample.max_drawdown);
  }
  // The test window of the last fold is where they differ.
  CHECK(planted->folds.back().out_of_sample.total_return != plain->folds.back().out_of_sample.total_return);
}

TEST_CASE("the stitched path is the test windows' decisions over the tested span", "[api][walk_forward]") {
  const auto history = planted_history(true);
  const auto walk = riskoff::walk_forward(planted_ruleset(), history, from_2010(), kWalk);
  REQUIRE(walk.ok());
  // Every fold chose level 1, so the stitched path is level 1's replay over 2012-2014.
  CHECK(walk->out_of_sample.annual_return == Approx(annual_return(history, "level=1", "2012-01-01", "2014-12-31")));
  CHECK(walk->own.annual_return == Approx(annual_return(history, "level=3", "2012-01-01", "2014-12-31")));
  CHECK(walk->header.steps == walk->folds[0].test_steps + walk->folds[1].test_steps + walk->folds[2].test_steps);
  const auto json = riskoff::render_walk_forward(*walk, riskoff::ReportFormat::kJson);
  CHECK(json.find("\"schema\": \"riskoff.walk_forward/1\"") != std::string::npos);
  CHECK(riskoff::render_walk_forward(*walk, riskoff::ReportFormat::kText) ==
        riskoff::render_walk_forward(*walk, riskoff::ReportFormat::kText));
}

TEST_CASE("walk-forward objectives choose as stated, and bad windows are usage errors", "[api][walk_forward]") {
  const auto history = planted_history(true);
  auto walk = kWalk;
  // Without level 1 every point holds through the 5% falls of the train windows: none keeps its
  // drawdown within 1%, so the shallowest is taken and the fold says so.
  walk.axes = {"level=2..3/1"};
  walk.objective = "return-dd<=1%";
  const auto bounded = riskoff::walk_forward(planted_ruleset(), history, from_2010(), walk);
  REQUIRE(bounded.ok());
  CHECK_FALSE(bounded->folds.front().objective_met);
  walk.axes = kWalk.axes;
  walk.objective = "return-dd<=1%";  // level 1 steps aside before every fall: within the bound
  const auto met = riskoff::walk_forward(planted_ruleset(), history, from_2010(), walk);
  REQUIRE(met.ok());
  CHECK(met->folds.front().objective_met);
  CHECK(met->folds.front().chosen == std::vector<std::string>{"level=1"});
  for (const auto& [windows, objective, axes] :
       std::vector<std::tuple<std::string, std::string, std::vector<std::string>>>{
           {"2y", "return", {"level=1..3/1"}},
           {"2y/0y", "return", {"level=1..3/1"}},
           {"2w/1y", "return", {"level=1..3/1"}},
           {"2y/1y", "calmar", {"level=1..3/1"}},
           {"2y/1y", "return-dd<=x%", {"level=1..3/1"}},
           {"2y/1y", "return", {}},
           {"5y/1y", "return", {"level=1..3/1"}}}) {
    INFO(windows << " " << objective);
    const auto result = riskoff::walk_forward(planted_ruleset(), history, from_2010(),
                                              {.windows = windows, .objective = objective, .axes = axes});
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().kind == riskoff::ErrorKind::kUsage);
  }
}
