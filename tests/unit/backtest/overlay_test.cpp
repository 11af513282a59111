// The overlay maths on a five-day example computed by hand, and the episode it contains.
#include <catch2/catch.hpp>
#include <limits>
#include <cmath>

#include "backtest/overlay.hpp"

using namespace riskoff;
using namespace riskoff::backtest;

namespace {
constexpr engine::Timestamp kDay = 86400;

// Prices 100, 110, 99, 99, 108.9: step returns +10%, -10%, 0, +10%.
const std::vector<engine::Timestamp> kTimes = {0, kDay, 2 * kDay, 3 * kDay, 4 * kDay};
const std::vector<double> kReturns = {0, 0.10, -0.10, 0, 0.10};
// Decided REDUCE, HEDGE, WAIT, WAIT, WAIT (exposures 0.5, 0, 1, 1, 1).
const std::vector<std::string> kActions = {"reduce", "hedge", "wait", "wait", "wait"};
}  // namespace

TEST_CASE("actions map to exposures from the flags", "[backtest][overlay]") {
  OverlayOptions options;
  CHECK(exposure_for("wait", options) == 1);
  CHECK(exposure_for("REDUCE", options) == 0.5);
  CHECK(exposure_for("hedge", options) == 0);
  options.reduce_to = 0.25;
  options.hedge_ratio = 1.5;  // net short half
  CHECK(exposure_for("reduce", options) == 0.25);
  CHECK(exposure_for("hedge", options) == -0.5);
}

TEST_CASE("overlay on five days by hand: next-step execution, costs, drawdown, time under water", "[backtest][overlay]") {
  OverlayOptions options;
  std::vector<double> decided;
  for (const auto& action : kActions) decided.push_back(exposure_for(action, options));

  SECTION("without costs") {
    const Overlay overlay = compute_overlay(kTimes, kReturns, decided, options);
    // Day 0's REDUCE is traded at day 1's price, so day 1's +10% is still earned in full:
    //   day 1: 1 x 1.10 = 1.10          (exposure 1)
    //   day 2: 1.10 x (1 - 0.5 x 0.10) = 1.045   (REDUCE held: 0.5)
    //   day 3: 1.045 x (1 + 0 x 0) = 1.045       (HEDGE held: 0)
    //   day 4: 1.045 x (1 + 1 x 0.10) = 1.1495   (WAIT held again: 1)
    CHECK(overlay.exposure == std::vector<double>{1, 1, 0.5, 0, 1});
    CHECK(overlay.overlay_value[1] == Approx(1.10));
    CHECK(overlay.overlay_value[2] == Approx(1.045));
    CHECK(overlay.overlay_value[3] == Approx(1.045));
    CHECK(overlay.overlay_value[4] == Approx(1.1495));
    // Buy-and-hold: 1, 1.1, 0.99, 0.99, 1.089.
    CHECK(overlay.hold_value[4] == Approx(1.089));
    CHECK(overlay.overlay.total_return == Approx(0.1495));
    CHECK(overlay.hold.total_return == Approx(0.089));
    // Drawdowns from the day-1 peak of 1.10: overlay 1.045 / 1.10 - 1 = -5%, hold 0.99 / 1.10 - 1 = -10%.
    CHECK(overlay.overlay.max_drawdown == Approx(-0.05));
    CHECK(overlay.hold.max_drawdown == Approx(-0.10));
    CHECK(overlay.hold.drawdown_peak == kDay);
    CHECK(overlay.hold.drawdown_trough == 2 * kDay);
    // Under water: overlay days 2, 3 (day 4 is a new high) = 2 of 5 steps; hold days 2, 3, 4 = 3 of 5.
    CHECK(overlay.overlay.under_water == Approx(0.4));
    CHECK(overlay.hold.under_water == Approx(0.6));
    // Longest spell: overlay regains its peak on day 4 (3 days after day 1); hold never does (3 days so far).
    CHECK(overlay.overlay.longest_under_water_days == Approx(3));
    CHECK(overlay.hold.longest_under_water_days == Approx(3));
    // Hold volatility: returns 0.1, -0.1, 0, 0.1, mean 0.025, squared deviations 0.005625 +
    // 0.015625 + 0.000625 + 0.005625 = 0.0275, / 3 = 0.0091667, sqrt = 0.0957427; 4 steps in 4
    // days = 365.25 steps a year: x sqrt(365.25) = 1.829776.
    CHECK(overlay.hold.volatility == Approx(0.0957427 * std::sqrt(365.25)).epsilon(1e-5));
    // Exposure traded: 1 -> 0.5 -> 0 -> 1 = 0.5 + 0.5 + 1 = 2.
    CHECK(overlay.turnover == Approx(2));
  }

  SECTION("with 10bp per unit of exposure traded") {
    options.cost_bp = 10;
    const Overlay overlay = compute_overlay(kTimes, kReturns, decided, options);
    // Costs at execution: day 1 trades 0.5 (5bp of value), day 2 trades 0.5, day 3 trades 1.
    //   day 1: 1.10 x 0.9995 = 1.09945
    //   day 2: 1.09945 x 0.95 x 0.9995 = 1.0439552...
    //   day 3: 1.0439552 x 1 x 0.999 = 1.0429113...
    //   day 4: 1.0429113 x 1.10 = 1.1472024...
    CHECK(overlay.overlay_value[1] == Approx(1.09945));
    CHECK(overlay.overlay_value[2] == Approx(1.09945 * 0.95 * 0.9995));
    CHECK(overlay.overlay_value[3] == Approx(1.09945 * 0.95 * 0.9995 * 0.999));
    CHECK(overlay.overlay_value[4] == Approx(1.09945 * 0.95 * 0.9995 * 0.999 * 1.10));
    CHECK(overlay.hold_value[4] == Approx(1.089));  // buy-and-hold never trades
  }

  SECTION("an undecided step keeps the exposure held") {
    decided[1] = std::numeric_limits<double>::quiet_NaN();  // day 1: no decision
    const Overlay overlay = compute_overlay(kTimes, kReturns, decided, options);
    // REDUCE from day 0 is traded on day 1 and kept through day 2; WAIT from day 2 is traded on day 3.
    CHECK(overlay.exposure == std::vector<double>{1, 1, 0.5, 0.5, 1});
  }
}

TEST_CASE("an episode says when the rules left WAIT and how much of the fall they avoided", "[backtest][overlay]") {
  OverlayOptions options;
  std::vector<double> decided;
  for (const auto& action : kActions) decided.push_back(exposure_for(action, options));
  const Overlay overlay = compute_overlay(kTimes, kReturns, decided, options);
  const auto episodes = find_episodes(kTimes, overlay.hold_value, overlay.overlay_value, kActions, 0.05);
  REQUIRE(episodes.size() == 1);
  const Episode& e = episodes.front();
  CHECK(e.peak == kDay);
  CHECK(e.trough == 2 * kDay);
  CHECK_FALSE(e.recovered);  // 1.089 < 1.10
  CHECK(e.depth == Approx(-0.10));
  // Already out of WAIT at the peak (HEDGE), a spell that began on day 0 with REDUCE.
  CHECK(e.not_wait_at_peak);
  REQUIRE(e.left_wait);
  CHECK(*e.left_wait == 0);
  CHECK(e.first_action == "reduce");
  // Overlay over the same dates: 1.045 / 1.10 - 1 = -5%: half the fall avoided.
  CHECK(e.overlay_depth == Approx(-0.05));
  CHECK(e.avoided == Approx(0.5));
  // A 15% threshold finds nothing.
  CHECK(find_episodes(kTimes, overlay.hold_value, overlay.overlay_value, kActions, 0.15).empty());
}

TEST_CASE("episodes over values that are not numbers end instead of looping", "[backtest][overlay]") {
  // Callers refuse such references (replay checks the reference is a positive, finite price);
  // the scan must still move on, as it once did not on a NaN from a hand-edited store.
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::vector<double> hold{1.0, 1.1, nan, 0.9, 1.2};
  const std::vector<double> overlay{1.0, 1.1, nan, 1.0, 1.2};
  const auto episodes = find_episodes(kTimes, hold, overlay, kActions, 0.05);
  CHECK(episodes.size() <= 1);
}
