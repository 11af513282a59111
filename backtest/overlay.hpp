// The overlay: a reading aid with stated assumptions, not a trading model. It turns each step's
// action into an exposure to a reference, executes it at the next step's price, and measures
// the value path beside buy-and-hold; episodes are the reference's deep drawdowns and what the
// ruleset did in each. Plain numbers in, plain numbers out, so every figure can be checked by
// hand (tests/unit/backtest/overlay_test.cpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/snapshot.hpp"

namespace riskoff::backtest {

// One leg of the reference the overlay holds: a price input (any series in the history, not
// only the ruleset's inputs) or cash (input "cash": zero return), with its weight. A mix is
// rebalanced to its weights at every step.
struct ReferenceLeg {
  std::string input;
  double weight = 1;
  const engine::InputData* series = nullptr;  // null for cash
};

// How the overlay turns actions into exposure to the reference.
struct OverlayOptions {
  double reduce_to = 0.5;    // exposure kept on REDUCE
  double hedge_ratio = 1.0;  // share hedged on HEDGE: exposure 1 - ratio (1: flat, 1.5: net short half)
  double cost_bp = 0;        // per unit of exposure traded
  // Trade a decision at the next step's open instead of its close (the reference needs opens:
  // ReferencePath::open_gap); the lag stated in every report (report.cpp).
  bool next_open = false;
};

// The three exposures of the overlay, from an action's name (any case). Any other name, and
// no decision, hold the reference in full, as WAIT does.
enum class ActionKind : std::uint8_t { kWait, kReduce, kHedge };
ActionKind action_kind(std::string_view action);
double exposure_for(const std::string& action, const OverlayOptions& options);

// "2026-02-04" at midnight UTC (daily closes), "2026-02-04T13:30Z" otherwise.
std::string short_time(engine::Timestamp time);

// Figures of one value path over the replay's steps.
struct PathMetrics {
  double total_return = 0;     // fraction
  double annual_return = 0;    // fraction a year (calendar time between first and last step)
  double volatility = 0;       // annualised sample stdev of step returns (steps a year from the span)
  double sharpe = 0;           // mean step return over its stdev, annualised alike; no risk-free rate;
                               // NaN (undefined: "n/a", null) below kSharpeMinVolatility
  double max_drawdown = 0;     // fraction, <= 0
  engine::Timestamp drawdown_peak = 0, drawdown_trough = 0;
  double under_water = 0;      // share of steps below the running peak
  double longest_under_water_days = 0;
};

// Below this annualised volatility a path is as good as flat (a window spent out of the market,
// whose step returns are rounding residue), and mean over stdev is noise divided by noise: a
// fold of five flat steps showed a Sharpe of 6461. Its Sharpe is undefined, never chosen by the
// walk-forward's Sharpe objective, and ranked by no shuffle (docs/replay.md).
inline constexpr double kSharpeMinVolatility = 0.005;

struct Overlay {
  std::vector<double> step_return;   // reference return at each step (0 at the first)
  std::vector<double> open_gap;      // next-open: the part of it from the last close to the step's open
  std::vector<double> exposure;      // exposure held over each step (decided two steps before: next-step execution)
  std::vector<double> overlay_value; // starts at 1
  std::vector<double> hold_value;    // buy-and-hold, starts at 1
  PathMetrics overlay, hold;
  double turnover = 0;               // sum of |exposure changes|
};

// The overlay maths, on plain numbers so it can be checked by hand. `decided[k]` is the
// exposure the ruleset chose at step k (NaN when it could not decide: the exposure held stays).
// A decision at step k is executed at step k+1's close, so it earns the return from k+1 to k+2;
// costs are charged at execution. With `open_gap` (next-open execution: the return from step
// k's close to step k+1's open) it is executed at step k+1's open: the gap is earned at the
// exposure held before, the rest of the step, (1 + r) / (1 + gap) - 1, at the new one.
Overlay compute_overlay(const std::vector<engine::Timestamp>& times, const std::vector<double>& reference_return,
                        const std::vector<double>& decided, const OverlayOptions& options,
                        const std::vector<double>& open_gap = {});
PathMetrics path_metrics(const std::vector<engine::Timestamp>& times, const std::vector<double>& value);

// A drawdown of the reference deeper than the threshold, and what the ruleset did in it.
struct Episode {
  engine::Timestamp peak = 0, trough = 0;
  std::optional<engine::Timestamp> recovered;  // back at the peak's value; none when still below
  double depth = 0;                            // reference peak to trough, fraction (< 0)
  double overlay_depth = 0;                    // the overlay over the same dates
  double avoided = 0;                          // 1 - overlay_depth / depth
  std::optional<engine::Timestamp> left_wait;  // first step from the peak on whose action was not WAIT
  std::string first_action;                    // that action
  bool not_wait_at_peak = false;               // it had already left WAIT at the peak
};

std::vector<Episode> find_episodes(const std::vector<engine::Timestamp>& times, const std::vector<double>& hold_value,
                                   const std::vector<double>& overlay_value, const std::vector<std::string>& actions,
                                   double threshold);

}  // namespace riskoff::backtest
