// Sweeps in the backtest stage: the grid parsed from `--sweep` texts, the figures each point
// reports (read off a replay, the numbers its summary shows), the plateau verdict, and the
// renderings. Running the points is the library's (api/sweep.cpp): it replays each through
// run_replay() with the point's values as parameter overrides.
#pragma once

#include <string>
#include <vector>

#include "backtest/replay.hpp"
#include "riskoff/backtest.hpp"
#include "riskoff/evidence.hpp"

namespace riskoff::backtest {

// "NAME=FROM..TO/STEP" or "NAME=A,B,C" -> one axis each (parameter and value texts; own values
// are the caller's). False with `errors` filled (messages naming `--sweep`) on a malformed axis,
// STEP 0, TO below FROM, mixed units, a parameter swept twice, or more than kMaxSweepPoints points.
bool parse_sweep_axes(const std::vector<std::string>& texts, std::vector<SweepAxis>& axes,
                      std::vector<std::string>& errors);

// The summary's figures of one replay: the overlay's path metrics, the share of steps off WAIT,
// the changes and the turnover.
ReplayFigures replay_figures(const Replay& replay);
// The same figures of any overlay path: `off_wait` of `steps` steps were off WAIT.
ReplayFigures overlay_figures(const Overlay& overlay, std::size_t off_wait, std::size_t steps, std::size_t changes);

// The own point and its neighbours (one grid step away on one axis), and whether every
// neighbour's annual return is within report.plateau_tolerance of the own point's.
void judge_plateau(SweepReport& report);

// sweep_report.cpp: text (a table and the verdict), CSV (one row per point), JSON (`riskoff.sweep/1`).
std::string render_sweep_text(const SweepReport& report);
std::string render_sweep_csv(const SweepReport& report);
std::string render_sweep_json(const SweepReport& report);
inline constexpr std::string_view kSweepSchema = "riskoff.sweep/1";
// heatmap_svg.cpp: the annual return over the first two axes; empty unless there are exactly two.
std::string render_sweep_svg(const SweepReport& report);

}  // namespace riskoff::backtest
