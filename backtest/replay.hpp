// A replay as data a person can read: what the ruleset would have decided at every step of a
// past period, where it changed its mind and why, how a simple overlay that followed it would
// have fared beside buy-and-hold, what it did in each deep drawdown, and where the data had holes.
//
// The engine's part (stepping without look-ahead) is engine/replay.hpp; this stage reads the
// steps: because-lines reuse explain::explain() (because.cpp), holes are gaps.cpp, the overlay
// and episodes overlay.cpp and episodes.cpp, the diff of two rulesets against.hpp, and the
// renderings report.hpp. Loading the history and choosing the step instants is adapters/history.hpp.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "backtest/gaps.hpp"
#include "backtest/overlay.hpp"
#include "dsl/ast.hpp"
#include "engine/replay.hpp"
#include "riskoff/backtest.hpp"

namespace riskoff::backtest {

// One step of the replay.
struct StepRow {
  engine::Timestamp time = 0;         // the step's own date (a trading day's session date), as shown
  engine::Timestamp decided_at = 0;   // the instant decided at: what was known then, and no more
  std::string action;                 // empty: no decision (a required input had no data yet)
  std::int32_t clause = -1;           // the profile clause that decided (Replay::clauses); -1: none
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
  std::string signature;  // the same with names only: changes for the same reasons share it
};

// A group of the ruleset as the report names it: for the "which rule fired when" section and
// the chart's strips.
struct GroupLabel {
  std::string name, title;
  dsl::GroupKind kind = dsl::GroupKind::kGroup;
};

struct Spell {
  std::string action;
  engine::Timestamp from = 0, to = 0;
  std::size_t steps = 0;
};

// Whether each change of decision gets its because-line (an explanation built at that step) or
// only its dates and actions: a sweep compares figures and reads no because-line.
enum class ChangeReasons : std::uint8_t { kExplain, kOmit };

struct ReplayOptions {
  std::uint32_t profile = 0;
  ChangeReasons reasons = ChangeReasons::kExplain;
  std::vector<engine::ParamOverride> overrides;
  std::vector<ReferenceLeg> reference;
  OverlayOptions overlay;
  double episode_threshold = 0.10;
  std::string content_hash;
  // Key figures per step: names of the ruleset's lets or inputs. Empty: every numeric `let` of
  // the root file (CSV and JSON show them; text only when they were asked for).
  std::vector<std::string> figures;
  // The own date of each step, as shown (a trading day's session date, while the step decides at
  // the moment its close became known, often later that UTC day or the next). Empty: the steps.
  std::vector<engine::Timestamp> step_dates;
  // Called after every step with (done, total); for progress bars.
  std::function<void(std::size_t, std::size_t)> progress;
};

struct Replay {
  std::string ruleset, version, content_hash, profile;
  engine::Timestamp from = 0, to = 0;
  std::string every;        // "trading days of spx" or "1h"
  std::string reference;    // "spx" or "spx 60% + cash 40%"
  std::vector<std::string> clauses;  // the profile's clauses as written: "reduce when count(drivers) >= 2"
  std::vector<GroupLabel> groups;    // every group the steps' groups_on may name, in declaration order
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
  std::vector<BaselineResult> baselines;  // filled by the library (BacktestOptions::baselines)
};

// When one rule (a clause of the profile, or a group) was on: its steps, its spells (runs of
// consecutive steps), the first and last step on. `on(k)` says whether it was on at step k.
struct RuleActivity {
  std::size_t steps = 0, spells = 0;
  engine::Timestamp first = 0, last = 0;
};
RuleActivity clause_activity(const Replay& replay, std::int32_t clause);  // -1: undecided steps
RuleActivity group_activity(const Replay& replay, const std::string& group);
// Whether `group` was on at step k.
bool group_on(const StepRow& step, const std::string& group);

// The key figures a replay reports by default: every numeric `let` of the root file.
std::vector<std::string> default_figures(const engine::Plan& plan);

// Evaluates `plan` at every time in `steps` (ascending) over `history` (whole series).
// Returns nullopt with `errors` filled when the history does not fit the plan.
std::optional<Replay> run_replay(const engine::Plan& plan, const engine::Snapshot& history,
                                 const std::vector<engine::Timestamp>& steps, const ReplayOptions& options,
                                 std::vector<std::string>& errors);

}  // namespace riskoff::backtest
