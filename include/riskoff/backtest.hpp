// Backtests: what a ruleset would have decided at every step of a past period, each step
// seeing only the observations at or before it; where it changed its mind and why; how an
// overlay that followed it would have fared beside buy-and-hold; what it did in each deep
// drawdown; where the data had holes; and, against an older ruleset, every step the two decide
// differently. What `riskoff replay` prints (docs/replay.md).
//
//   auto sources = riskoff::Sources::load("examples/sources-local.json");
//   auto run = riskoff::Backtest::run(ruleset, *sources, {.from = *riskoff::parse_time("2017-01-01"),
//                                                         .profile = "swing", .reference = "spx=60,cash=40"});
//   if (!run) return print(run.error());
//   std::cout << run->report().overlay.overlay.max_drawdown << '\n' << run->render(riskoff::ReportFormat::kText);
//
// Errors are values (result.hpp). Their messages are the ones `riskoff replay` prints, so they
// name the command's option for the field at fault (`--every`, `--set`, `--reference`):
//   kUsage  a profile the ruleset (or the older one) lacks, a bad override, step, reference or
//           overlay figure, a figure that is not a `let` or input, a reference that is not a
//           price (not index or usd), a step grid of more than 2,000,000 steps
//   kData   the history lacks a required series, does not fit the ruleset (unit, undeclared
//           input), a reference price that is not positive and finite, no step in the period
//   kIo, kStore  the history store could not be read (history.hpp)
// Throws only std::bad_alloc.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "riskoff/export.h"
#include "riskoff/history.hpp"
#include "riskoff/result.hpp"
#include "riskoff/riskoff.hpp"
#include "riskoff/sources.hpp"
#include "riskoff/values.hpp"

namespace riskoff {

// How the overlay turns actions into exposure to the reference. A reading aid with stated
// assumptions: a decision at a step's close is traded at the next step's price.
struct OverlayOptions {
  double reduce_to = 0.5;    // exposure kept on REDUCE, 0 to 1
  double hedge_ratio = 1.0;  // share hedged on HEDGE: exposure 1 - ratio, 0 to 2 (2: net short 100%)
  double cost_bp = 0;        // cost per unit of exposure traded, 0 to 10000 bp
};

// When a decision is traded (`riskoff replay --execution`): at the next step's close, one step
// after the close it was decided at; or at the next step's open: the night's gap is earned at
// the exposure held before, the session at the new one. kNextOpen needs opens for every priced
// leg of the reference (a Yahoo CSV's `Open` column; kData naming the leg otherwise) and the
// reference's trading days as steps (no `every`: kUsage). A step without an open trades at its close.
enum class Execution : std::uint8_t { kNextClose = 0, kNextOpen = 1 };

// The options of Backtest::run(). Times are UTC seconds (parse_time()).
struct BacktestOptions {
  std::int64_t from = 0;                // the first step at or after this instant
  std::optional<std::int64_t> to{};     // the last instant, inclusive; none: the end of the data
  std::string every{};                  // a UTC grid from `from`: "1d", "4h", "1h", "0.5h"; empty:
                                        // every close of the reference (its trading days)
  std::string profile{};                // empty: the ruleset's first
  std::vector<std::string> overrides{}; // "NAME=VALUE" with the parameter's unit, as decide()
  std::string reference = "spx";        // what the overlay holds: an input, or "spx=60,cash=40"
  OverlayOptions overlay{};
  Execution execution = Execution::kNextClose;
  double episode_threshold = 0.10;      // reference drawdowns deeper than this are episodes, 0 to 1
  std::vector<std::string> figures{};   // key figures per step (lets or inputs); empty: every
                                        // numeric `let` of the root file (csv and json only)
  // An older ruleset: replayed over the same steps with the same profile (by name, without the
  // overrides), then every step the two decide differently, and the first signal or parameter
  // responsible.
  std::optional<Ruleset> against{};
  // Baselines (`riskoff replay --baseline`, rulesets/baselines/): each replayed over the same steps
  // with the same reference, overlay and execution, deciding with its first profile and without
  // the overrides; its figures go in one table beside the ruleset's (BacktestReport::baselines;
  // SweepReport::baselines over the points' steps; WalkForwardReport::baselines over the tested span).
  std::vector<Ruleset> baselines{};
  // Called on the calling thread after every step with (done, total): for progress bars.
  std::function<void(std::size_t, std::size_t)> progress{};
};

// One step. `reference` is the reference's value index (100 at the first step with a price;
// NaN when it has none); figures follow BacktestReport::figure_names (NaN when unknown).
struct BacktestStep {
  std::int64_t time = 0;  // the step's own date, as shown (a trading day's session date)
  std::string action;  // empty: undecided (a required input had no observation yet)
  bool depends_on_unknown = false;
  std::string regime;
  std::vector<std::string> groups_on;  // every group that held, in declaration order
  double reference = 0;
  std::vector<double> figures;
  std::int64_t decided_at = 0;  // the instant it decided at: what was known then, and no more
};

struct ActionChange {
  std::int64_t time = 0;
  std::string from, to;
  std::string because;  // one line, down to the numbers
};

// How long the ruleset stayed on one action: in all (steps) and in its longest spell.
struct ActionSpell {
  std::string action;
  std::size_t steps = 0;  // every step on this action
  std::size_t longest = 0;  // the longest spell, from `from` to `to`
  std::int64_t from = 0, to = 0;
};

// Where one input's data had holes inside the period.
struct InputGaps {
  std::string input;
  bool optional = false;
  std::optional<std::int64_t> first;  // its first observation, when after the period's start
  std::size_t steps_missing = 0;      // steps with no observation yet
  std::size_t steps_stale = 0;        // steps whose last observation was older than max_age
  double longest_gap_days = 0;
  std::int64_t gap_from = 0, gap_to = 0;
};

// Figures of one value path (fractions; drawdowns <= 0).
struct PathMetrics {
  double total_return = 0, annual_return = 0, volatility = 0, max_drawdown = 0;
  std::int64_t drawdown_peak = 0, drawdown_trough = 0;
  double under_water = 0;  // share of steps below the running peak
  double longest_under_water_days = 0;
};

// The overlay's path beside buy-and-hold, one entry per step; values start at 1.
struct OverlayPath {
  std::vector<double> exposure, overlay_value, hold_value;
  PathMetrics overlay, hold;
  double turnover = 0;  // sum of |exposure changes|
};

// A drawdown of the reference deeper than the threshold, and what the ruleset did in it.
struct Episode {
  std::int64_t peak = 0, trough = 0;
  std::optional<std::int64_t> recovered;  // back at the peak's value; none: still below
  double depth = 0;                       // reference, peak to trough (< 0)
  double overlay_depth = 0;
  double avoided = 0;                     // 1 - overlay_depth / depth
  std::optional<std::int64_t> left_wait;  // the first step from the peak on that was not WAIT
  std::string first_action;               // its action
  bool not_wait_at_peak = false;
};

// The figures a replay's summary shows, for comparing replays (sweep points, shuffles).
struct ReplayFigures {
  double total_return = 0, annual_return = 0, volatility = 0, max_drawdown = 0;
  double sharpe = 0;        // mean step return over its stdev, annualised; no risk-free rate; NaN
                            // (undefined) when the annualised volatility is below 0.5%: a flat path
  double off_wait = 0;      // share of steps decided to an action other than WAIT
  std::size_t changes = 0;  // changes of decision
  double turnover = 0;      // sum of |exposure changes|
};

// A baseline's figures over the replay's steps (BacktestOptions::baselines); in a sweep, over the
// same steps as every point; in a walk-forward, over the tested span.
struct BaselineResult {
  std::string ruleset, version, file;  // file: the rule file it was loaded from (its name when compiled from text)
  ReplayFigures figures;
};

// One ruleset's replay as data. A plain value.
struct BacktestReport {
  std::string ruleset, version, content_hash, profile;
  std::int64_t from = 0, to = 0;  // the first and last step
  std::string every;              // "trading days of spx", or the grid ("1h")
  std::string reference;          // "spx", "spx 60% + cash 40%"
  std::vector<std::pair<std::string, Unit>> figures;
  OverlayOptions overlay_options;
  double episode_threshold = 0;
  std::vector<BacktestStep> steps;
  std::vector<ActionChange> changes;
  std::vector<ActionSpell> actions;  // in the order the profile ranks them
  std::size_t undecided = 0, depends_on_unknown = 0;
  std::vector<InputGaps> gaps;
  std::vector<std::string> reference_gaps;  // "`btc` has no price before 2017-08-17: ..."
  OverlayPath overlay;
  std::vector<Episode> episodes;
  std::vector<BaselineResult> baselines;  // in the order given
};

// A step the two rulesets decide differently.
struct DecisionDiff {
  std::int64_t time = 0;
  std::string old_action, new_action;
  std::string because;  // "`dollar_jump` 1.00% → 0.80% made `dollar_up` true: DXY +0.9% over 5d"
};

// The backtest against an older ruleset (BacktestOptions::against).
struct BacktestComparison {
  std::vector<std::string> parameter_changes;  // "`dollar_jump` 1.00% → 0.80%"
  std::vector<DecisionDiff> diffs;
  BacktestReport older;  // the older ruleset over the same steps
};

// kText: summary, overlay, episodes, gaps (and the comparison), the changes grouped by
// transition and reason, and which rule fired when; kTextWithSteps: the same with every change
// and one row per step (`riskoff replay --steps`); kCsv: one row per step; kJson: everything,
// `riskoff.replay/1` (docs/replay.md); kSvg: the chart (reference price on a log scale, actions
// as bands, a strip per driver and regime, drawdown below). Same backtest, same bytes.
enum class ReportFormat : std::uint8_t { kText = 0, kCsv = 1, kJson = 2, kSvg = 3, kTextWithSteps = 4 };

// A finished backtest. Immutable cheap-to-copy handle: read and render it from any thread.
class RISKOFF_API Backtest {
 public:
  // Replays `ruleset` over the history of every series it (and the older ruleset, and the
  // reference) reads: read whole from a manifest's sources, from a history store, or taken from
  // series in memory (a Snapshot whose inputs are whole series; its as_of ends the data).
  // Thread-safe, with one HistoryStore per thread.
  static Result<Backtest> run(const Ruleset& ruleset, const Sources& history, const BacktestOptions& options);
  static Result<Backtest> run(const Ruleset& ruleset, const HistoryStore& history, const BacktestOptions& options);
  static Result<Backtest> run(const Ruleset& ruleset, const Snapshot& history, const BacktestOptions& options);

  // Built on first use and kept (thread-safe). Throw only std::bad_alloc.
  const BacktestReport& report() const;
  // Present when BacktestOptions::against was given.
  const std::optional<BacktestComparison>& comparison() const;
  std::string render(ReportFormat format) const;
  // From a manifest: its inputs that neither ruleset nor the reference reads, in manifest order.
  // Their sources were not read (no file opened, no URL fetched); `riskoff replay` lists them
  // once as "not used". Empty from a history store or series in memory.
  const std::vector<std::string>& unused_inputs() const;

  struct Impl;

 private:
  friend struct ApiAccess;
  explicit Backtest(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const Impl> impl_;
};

// Sweeps, significance (shuffles) and walk-forward, all built from replays: evidence.hpp.

// The look-ahead check (`riskoff replay --lookahead-check N`, docs/replay.md "Look-ahead check"):
// a replay over a manifest's files, then N of its steps decided again from the files as they
// stood at that step, through the path `eval --sources --as-of` takes (Sources::load,
// build_snapshot, decide). Any difference means the replay saw something the files did not yet
// hold at that step.
struct LookaheadOptions {
  std::size_t steps = 20;   // how many steps to re-decide (all of them when the replay has fewer)
  std::uint64_t seed = 1;   // which ones: the same seed, replay and N pick the same steps
  std::string scratch{};    // where the cut files are written (removed after); empty: the system's temp folder
};

// One difference between the replay's step and the decision from the cut files.
struct LookaheadDifference {
  std::int64_t step = 0;  // the instant the step decided at (BacktestStep::decided_at): where the files are cut
  std::string what;    // "action", "depends on unknown", or a figure (a `let` or an input)
  std::string replay;  // the replay's value, as text
  std::string cut;     // the value decided from the cut files
};

struct LookaheadReport {
  std::vector<std::int64_t> steps;                // the steps re-decided (their decided_at), ascending
  std::vector<LookaheadDifference> differences;   // in step order
  // Per step with a difference, the inputs whose snapshot from the whole files differs from the
  // one from the cut files: "2020-03-13T20:00:00Z input `spx`: the whole files give 2020-03-16
  // (known 2020-03-13T20:00:00Z), the files cut at the step end at 2020-03-13".
  // (or, when none differs, that the difference is the replay's and not the data's).
  std::vector<std::string> inputs;
  bool lookahead = false;  // at some step with a difference, the cut files gave other inputs
  // Inputs read whole rather than cut (a URL, the history store, a JSON or zip file), with why.
  std::vector<std::string> read_whole;
  bool ok() const { return differences.empty(); }
};

// Replays `ruleset` over `sources` with `options` (without `against`; every numeric `let` of the
// root file and every input as figures) and re-decides the sampled steps. The steps are a
// partial Fisher-Yates shuffle of the step indices driven by splitmix64 from `seed`, sorted.
// Errors: those of Backtest::run(); kUsage for 0 steps; kIo when the scratch folder cannot be
// written; kData when a file changed under the check. Throws only std::bad_alloc.
RISKOFF_API Result<LookaheadReport> check_lookahead(const Ruleset& ruleset, const Sources& sources,
                                                    const BacktestOptions& options, const LookaheadOptions& check = {});

}  // namespace riskoff
