// A replay as data a person can read: what the ruleset would have decided at every step of a
// past period, where it changed its mind and why, how a simple overlay that followed it would
// have fared beside buy-and-hold, what it did in each deep drawdown, where the data had holes,
// and (with a second ruleset) which steps decide differently and what is responsible.
//
// Built here rather than in engine/ because every part of it is presentation of decisions:
// the because-lines reuse explain(), and the overlay is a reading aid with stated assumptions,
// not a trading model. The engine's part (stepping without look-ahead) is engine/replay.hpp.
// Rendering: replay_render.cpp (text, csv, json), chart_svg.cpp (the picture).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/replay.hpp"

namespace riskoff::explain {

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
  double max_drawdown = 0;     // fraction, <= 0
  engine::Timestamp drawdown_peak = 0, drawdown_trough = 0;
  double under_water = 0;      // share of steps below the running peak
  double longest_under_water_days = 0;
};

struct Overlay {
  std::vector<double> step_return;   // reference return at each step (0 at the first)
  std::vector<double> exposure;      // exposure held over each step (decided two steps before: next-step execution)
  std::vector<double> overlay_value; // starts at 1
  std::vector<double> hold_value;    // buy-and-hold, starts at 1
  PathMetrics overlay, hold;
  double turnover = 0;               // sum of |exposure changes|
};

// The overlay maths, on plain numbers so it can be checked by hand. `decided[k]` is the
// exposure the ruleset chose at step k (NaN when it could not decide: the exposure held stays).
// A decision at step k is executed at step k+1's price, so it earns the return from k+1 to k+2;
// costs are charged at execution.
Overlay compute_overlay(const std::vector<engine::Timestamp>& times, const std::vector<double>& reference_return,
                        const std::vector<double>& decided, const OverlayOptions& options);
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

// One step of the replay.
struct StepRow {
  engine::Timestamp time = 0;
  std::string action;                 // empty: no decision (a required input had no data yet)
  bool depends_on_unknown = false;
  std::string regime;
  std::vector<std::string> groups_on; // every group (check, driver, regime) that was true, declaration order
  double reference = 0;               // reference value index (the first step with data = 100); NaN when none
  std::vector<double> figures;        // per Replay::figure_names; NaN when unknown
};

struct ActionChange {
  engine::Timestamp time = 0;
  std::string from, to;
  std::string because;  // one line, down to the numbers
};

// Where the data had holes inside the replayed period, per input.
struct InputGaps {
  std::string name;
  bool optional = false;
  std::optional<engine::Timestamp> first;  // first observation, when after the replay's start
  std::size_t steps_missing = 0;           // steps with no observation yet
  std::size_t steps_stale = 0;             // steps where the last observation was older than max_age
  double longest_gap_days = 0;             // longest time between observations inside the period
  engine::Timestamp gap_from = 0, gap_to = 0;
};

struct Spell {
  std::string action;
  engine::Timestamp from = 0, to = 0;
  std::size_t steps = 0;
};

struct ReplayOptions {
  std::uint32_t profile = 0;
  std::vector<engine::ParamOverride> overrides;
  std::vector<ReferenceLeg> reference;
  OverlayOptions overlay;
  double episode_threshold = 0.10;
  std::string content_hash;
  // Key figures per step: names of the ruleset's lets or inputs. Empty: every numeric `let` of
  // the root file (CSV and JSON show them; text only when they were asked for).
  std::vector<std::string> figures;
  // Called after every step with (done, total); for progress bars.
  std::function<void(std::size_t, std::size_t)> progress;
};

struct Replay {
  std::string ruleset, version, content_hash, profile;
  engine::Timestamp from = 0, to = 0;
  std::string every;        // "trading days of spx" or "1h"
  std::string reference;    // "spx" or "spx 60% + cash 40%"
  std::vector<std::string> figure_names;
  std::vector<engine::Unit> figure_units;
  bool figures_in_text = false;  // asked for by name
  OverlayOptions overlay_options;
  double episode_threshold = 0;
  std::vector<StepRow> steps;
  std::vector<ActionChange> changes;
  std::vector<InputGaps> gaps;
  std::vector<std::string> reference_gaps;  // "btc: no price before 2017-08-17: those steps earn nothing"
  std::size_t undecided = 0, depends_on_unknown = 0;
  std::vector<std::pair<std::string, std::size_t>> steps_per_action;  // ranked as the profile ranks them
  std::vector<Spell> longest;   // per action
  Overlay overlay;
  std::vector<Episode> episodes;
};

// The key figures a replay reports by default: every numeric `let` of the root file.
std::vector<std::string> default_figures(const engine::Plan& plan);

// Evaluates `plan` at every time in `steps` (ascending) over `history` (whole series).
// Returns nullopt with `errors` filled when the history does not fit the plan.
std::optional<Replay> run_replay(const engine::Plan& plan, const engine::Snapshot& history,
                                 const std::vector<engine::Timestamp>& steps, const ReplayOptions& options,
                                 std::vector<std::string>& errors);

// Step instants: every observation of `clock` in [from, to] (each trading day's close), or
// with `every_seconds` > 0 a regular grid from `from` to `to`.
std::vector<engine::Timestamp> replay_steps(const engine::InputData* clock, engine::Timestamp from, engine::Timestamp to,
                                            double every_seconds);

// One step where two rulesets decide differently, and what is responsible.
struct DecisionDiff {
  engine::Timestamp time = 0;
  std::string old_action, new_action;
  std::string because;  // "`dollar_jump` 1.00% → 0.80% made `dollar_up` true: DXY +0.9% over 5d"
};

struct AgainstReport {
  std::string old_ruleset, new_ruleset;
  std::vector<std::string> parameter_changes;  // "`dollar_jump` 1.00% → 0.80%"
  std::vector<DecisionDiff> diffs;
};

// Both replays must cover the same steps. The histories are the ones each replay ran on.
AgainstReport compare_replays(const engine::Plan& new_plan, const engine::Snapshot& new_history, const Replay& new_replay,
                              const engine::Plan& old_plan, const engine::Snapshot& old_history, const Replay& old_replay,
                              const ReplayOptions& new_options, const ReplayOptions& old_options);

std::string render_replay_text(const Replay& replay, const AgainstReport* against, const Replay* old_replay);
std::string render_replay_csv(const Replay& replay);
// `riskoff.replay/1`, docs/replay.md; byte-identical for the same input.
std::string render_replay_json(const Replay& replay, const AgainstReport* against, const Replay* old_replay);
inline constexpr std::string_view kReplaySchema = "riskoff.replay/1";

// The picture: reference price (log scale) with actions as coloured bands and change markers,
// the drawdown below it, axes, dates and a legend. Self-contained SVG, no fonts or scripts fetched.
std::string render_replay_svg(const Replay& replay);

}  // namespace riskoff::explain
