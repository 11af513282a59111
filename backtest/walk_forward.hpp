// Walk-forward in the backtest stage: the windows and the objective parsed from their texts, the
// folds laid out on the calendar, the point an objective chooses, the test windows' decisions
// stitched into one overlay, and the renderings. Running the replays is the library's
// (api/walk_forward.cpp).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "backtest/replay.hpp"
#include "riskoff/backtest.hpp"
#include "riskoff/evidence.hpp"

namespace riskoff::backtest {

// A calendar length: "3y", "18m", "90d".
struct CalendarLength {
  int years = 0, months = 0, days = 0;
};
std::optional<CalendarLength> parse_length(const std::string& text);
// `time` moved on by `count` lengths in the UTC civil calendar; a day of the month the target
// month lacks becomes its last day (2020-02-29 + 1y = 2021-02-28).
engine::Timestamp add_length(engine::Timestamp time, const CalendarLength& length, int count = 1);

enum class ObjectiveKind : std::uint8_t { kSharpe, kReturn, kReturnWithinDrawdown };
struct Objective {
  ObjectiveKind kind = ObjectiveKind::kSharpe;
  double max_drawdown = 0;  // kReturnWithinDrawdown: the deepest allowed, a positive fraction
  std::string text;         // "highest Sharpe"
};
std::optional<Objective> parse_objective(const std::string& text);

// The index of the point the objective picks (the first in grid order on ties); `met` false
// when no point meets the drawdown bound and the shallowest drawdown was taken instead.
std::size_t choose_point(const std::vector<SweepPoint>& points, const Objective& objective, bool& met);

// One window of a fold, in session dates: [from, to].
struct Window {
  engine::Timestamp from = 0, to = 0;
};
struct FoldWindows {
  Window train, test;
};
// The folds from `origin` while a test window starts on or before `last_date` (the last one may
// be cut short by it). Empty when not even one fits.
std::vector<FoldWindows> lay_out_folds(engine::Timestamp origin, engine::Timestamp last_date, const CalendarLength& train,
                                       const CalendarLength& test, std::size_t limit);

// The figures of the stitched out-of-sample path: `actions` decided at the steps of `dates`
// (empty: undecided), followed by the overlay over `step_return` (and `open_gap` with
// execution at the next open) as a single replay would.
ReplayFigures stitched_figures(const std::vector<engine::Timestamp>& dates, const std::vector<double>& step_return,
                               const std::vector<std::string>& actions, const OverlayOptions& overlay,
                               const std::vector<double>& open_gap = {});
// Buy-and-hold's figures (no exposure changes, never off WAIT).
ReplayFigures hold_figures(const Overlay& overlay);

// A table of figures, one row per named path (walk-forward's tested span, replay baselines):
// total, annual, volatility, max dd, Sharpe, off WAIT, changes, turnover.
std::string figure_rows(const std::vector<std::pair<std::string, ReplayFigures>>& rows);

// walk_forward_report.cpp: text, CSV (one row per fold), JSON (`riskoff.walk_forward/1`).
std::string render_walk_forward_text(const WalkForwardReport& report);
std::string render_walk_forward_csv(const WalkForwardReport& report);
std::string render_walk_forward_json(const WalkForwardReport& report);
inline constexpr std::string_view kWalkForwardSchema = "riskoff.walk_forward/1";

}  // namespace riskoff::backtest
