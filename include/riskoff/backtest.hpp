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

// Sweeps (`riskoff replay --sweep`, docs/replay.md "Sweeps"): the same replay at every point
// of a grid of parameter values, each point given to the one compiled ruleset as `--set`
// overrides (BacktestOptions::overrides stay in force under every point), the points replayed
// in parallel, each reported with the figures of the replay summary; and whether the ruleset's
// own values sit on a plateau (every neighbour's annual return within the tolerance) or an edge.
//
//   auto grid = riskoff::sweep(ruleset, *sources, {.from = *riskoff::parse_time("2017-01-01")},
//                              {.axes = {"yield_jump=10bp..20bp/5bp", "dollar_jump=0.5%,1%"}});
//   if (grid) std::cout << riskoff::render_sweep(*grid, riskoff::ReportFormat::kText);
struct SweepOptions {
  // "NAME=FROM..TO/STEP" or "NAME=A,B,C": a parameter of the ruleset, values in the unit `--set`
  // takes ("yield_jump=10bp..20bp/2.5bp"). At most kMaxSweepPoints points in all.
  std::vector<std::string> axes{};
  double plateau_tolerance = 0.01;  // annual return, a fraction: 0.01 is ±1 percentage point
  unsigned threads = 0;             // 0: every hardware thread
  // A share of a sweep spread over processes (the Python package's Dask sweep): only these
  // points (indices in grid order) are replayed. The report still lists every point, the others
  // with zero figures, and is not judged (kOffGrid, no verdict text) until judge_sweep() runs on
  // the shares put together. An empty list replays nothing: the grid alone, with no header (the
  // header fields come from a replay) and the baselines (BacktestOptions::baselines) over the
  // grid's steps, which a share of points leaves out. None: every point, judged.
  std::optional<std::vector<std::size_t>> only{};
};
inline constexpr std::size_t kMaxSweepPoints = 10000;

// One swept parameter.
struct SweepAxis {
  std::string parameter;
  std::vector<std::string> values;  // as `--set` takes them, in grid order
  std::string own_value;            // the ruleset's own value under the profile and the overrides
  std::optional<std::size_t> own;   // its index in `values`, when it is a grid value
};

// What every report built from replays states first: which ruleset, over which steps, and how
// the overlay was run. One replay fills it (the sweep's first point, the walk-forward's tested
// span, the shuffled replay), so every report says it the same way.
struct ReplayHeader {
  std::string ruleset, version, profile;
  std::string every;              // "trading days of spx", or the grid ("1h")
  std::string reference;          // "spx", "spx 60% + cash 40%"
  std::string assumptions;        // the overlay's, as the replay states them (execution lag, costs)
  std::int64_t from = 0, to = 0;  // the first and last step
  std::size_t steps = 0;
};

struct SweepPoint {
  std::vector<std::size_t> at;         // the index of its value on every axis
  std::vector<std::string> overrides;  // "yield_jump=10bp": `--set` gives the same replay
  ReplayFigures figures;
};

// kPlateau: every neighbour's annual return within the tolerance of the own point's; kEdge: not;
// kOffGrid: some own value is not a grid value, so there is no own point to judge.
enum class PlateauVerdict : std::uint8_t { kPlateau, kEdge, kOffGrid };

// A finished sweep as data. A plain value; the points are in grid order, the last axis fastest.
struct SweepReport {
  ReplayHeader header;             // empty for a share that replayed no point (SweepOptions::only)
  std::vector<std::string> fixed;  // the overrides every point shares (BacktestOptions::overrides)
  std::vector<SweepAxis> axes;
  std::vector<SweepPoint> points;
  double plateau_tolerance = 0;
  PlateauVerdict verdict = PlateauVerdict::kOffGrid;
  std::optional<std::size_t> own_point;  // index in `points`
  std::vector<std::size_t> neighbours;   // points one grid step from it on one axis
  std::string verdict_text;              // the verdict in one sentence, as the text report says it
  std::vector<BaselineResult> baselines;  // BacktestOptions::baselines over the same steps, in the order given
};

// Replays every grid point over `history` with `options` (without `against`). Errors: those of
// Backtest::run(); kUsage for a malformed axis (a bad range, STEP 0, a value `--set` refuses, a
// parameter swept twice), no axis, more than kMaxSweepPoints points, or an `only` index outside
// the grid. Thread-safe; throws only
// std::bad_alloc.
RISKOFF_API Result<SweepReport> sweep(const Ruleset& ruleset, const Sources& history, const BacktestOptions& options,
                                      const SweepOptions& grid);
RISKOFF_API Result<SweepReport> sweep(const Ruleset& ruleset, const HistoryStore& history,
                                      const BacktestOptions& options, const SweepOptions& grid);
RISKOFF_API Result<SweepReport> sweep(const Ruleset& ruleset, const Snapshot& history, const BacktestOptions& options,
                                      const SweepOptions& grid);
// kText (and kTextWithSteps): the table and the verdict; kCsv: one row per point; kJson:
// `riskoff.sweep/1`; kSvg: the annual return as a heatmap of the first two axes (empty unless
// the sweep has exactly two). Same report, same bytes.
RISKOFF_API std::string render_sweep(const SweepReport& report, ReportFormat format);
// The own point, its neighbours and the plateau verdict of a report whose figures were put
// together from shares (SweepOptions::only): what sweep() gives when it replays every point.
RISKOFF_API void judge_sweep(SweepReport& report);

// Significance (`riskoff replay --shuffle N --seed S`, docs/replay.md "Better than luck?"): the
// replay's overlay against two kinds of chance with the same exposure budget, each drawn N times:
// - spells shuffled: the replay's own spells (runs of one action) in a random order, so the
//   same durations and the same share of steps off WAIT, at other dates;
// - random entries: the replay's spells off WAIT (each with its action and duration) entered at
//   random dates, WAIT in between, so the same count of entries and the same share off WAIT.
// Undecided steps stay where they were. Each draw is followed by the same overlay (same steps,
// prices, execution and costs); the real run's total return, Sharpe and max drawdown are ranked
// among the draws. Reproducible: the same replay, N and seed give the same draws on every
// platform (std::mt19937_64, our uniform draws); draw i (from 0) of kind k (0 spells shuffled, 1
// random entries) is seeded with splitmix64(splitmix64(splitmix64(seed) + k) + i) alone.
//
//   auto run = riskoff::Backtest::run(ruleset, *sources, options);
//   auto test = riskoff::shuffle_test(*run, {.shuffles = 1000, .seed = 7});
//   std::cout << riskoff::render_shuffle(*test, riskoff::ReportFormat::kText);
struct ShuffleOptions {
  std::size_t shuffles = 1000;  // draws of each kind, 1 to kMaxShuffles
  std::uint64_t seed = 1;
  double level = 0.95;          // the one-sided level the verdicts are stated at
  // A share of the draws (the Python package's Dask path): only these draws of both kinds are
  // made, the others left zero, and nothing is ranked until rank_shuffle() runs on the shares.
  std::optional<std::vector<std::size_t>> only{};
};
inline constexpr std::size_t kMaxShuffles = 100000;

// Where the real run ranks among the draws on one figure (higher is better for all three; a
// drawdown is negative, so a shallower one ranks higher).
struct ShuffleRank {
  double real = 0;
  double percentile = 0;  // share of draws the real run beats; a tie counts half
  double median = 0, low = 0, high = 0;  // the draws' median and their 5% and 95% quantiles
  bool significant = false;              // percentile >= level
  std::string verdict;  // "better than 97.2% of draws: better than chance at the 95% level"
};

struct ShuffleKind {
  std::string name;     // "spells shuffled", "random entries"
  ShuffleRank total_return, sharpe, max_drawdown;
  std::vector<ReplayFigures> draws;  // in draw order
};

struct ShuffleReport {
  ReplayHeader header;  // the shuffled replay's
  std::size_t shuffles = 0;
  std::uint64_t seed = 0;
  double level = 0;
  std::size_t spells = 0, entries = 0;  // the replay's decided spells, and those off WAIT
  ReplayFigures real;
  std::vector<ShuffleKind> kinds;       // spells shuffled, then random entries
};

// Errors: kUsage for 0 shuffles or more than kMaxShuffles, a level outside (0, 1). Thread-safe;
// throws only std::bad_alloc.
RISKOFF_API Result<ShuffleReport> shuffle_test(const Backtest& replay, const ShuffleOptions& options);
// kText: the ranks and verdicts; kCsv: one row per draw; kJson: `riskoff.shuffle/1`. Same bytes
// for the same report. kSvg gives nothing (empty).
RISKOFF_API std::string render_shuffle(const ShuffleReport& report, ReportFormat format);
// The ranks of a report put together from shares (ShuffleOptions::only), as shuffle_test()'s.
RISKOFF_API void rank_shuffle(ShuffleReport& report);

// Walk-forward (`riskoff replay --walk-forward TRAIN/TEST`, docs/replay.md "Walk-forward"): the
// period cut into folds, each a train window followed by a test window (calendar lengths from
// BacktestOptions::from, the folds moving on by one test window). On each train window every
// grid point is replayed over a history cut at the window's last step (no observation known
// later is loaded, so no test-window data can reach the selection), the point is chosen by the
// objective, and that point is replayed over the test window. The test windows' decisions are
// stitched into one out-of-sample overlay over the whole tested span, reported beside the point
// the same objective picks with hindsight over that span, the ruleset's own values and
// buy-and-hold.
//
//   auto wf = riskoff::walk_forward(ruleset, *sources, {.from = *riskoff::parse_time("2017-01-01")},
//                                   {.windows = "3y/1y", .objective = "sharpe", .axes = {"vix_stress=20..30/5"}});
//   if (wf) std::cout << riskoff::render_walk_forward(*wf, riskoff::ReportFormat::kText);
// Every grid point's figures (grid order) on each train window and over the tested span.
struct WalkForwardGrid {
  std::vector<std::vector<ReplayFigures>> train;  // per fold, per grid point
  std::vector<ReplayFigures> span;                // per grid point, over the tested span
};

struct WalkForwardOptions {
  // "TRAIN/TEST": calendar lengths, each a count of y (years), m (months) or d (days): "3y/1y",
  // "18m/6m". Adding months keeps the day of the month, or the month's last day when it has none.
  std::string windows{};
  // "sharpe" (highest Sharpe), "return" (highest annual return), "return-dd<=X%" (highest annual
  // return among the points whose max drawdown is no deeper than X%; when none is, the point with
  // the shallowest drawdown, and the fold says so). Ties go to the first point in grid order.
  std::string objective = "sharpe";
  std::vector<std::string> axes{};  // the grid, as SweepOptions::axes
  unsigned threads = 0;             // 0: every hardware thread
  // Spread over processes (the Python package's Dask path) in two steps. `only`: just these grid
  // points are replayed, on every train window and over the span, into WalkForwardReport::grid
  // (the others zero); nothing is chosen or tested. `given`: the shares' grid put together; no
  // grid point is replayed, the folds and the hindsight choose from it.
  std::optional<std::vector<std::size_t>> only{};
  std::optional<WalkForwardGrid> given{};
};
inline constexpr std::size_t kMaxWalkForwardFolds = 500;

struct WalkForwardFold {
  std::int64_t train_from = 0, train_to = 0;  // the first and last step of the train window (dates)
  std::int64_t test_from = 0, test_to = 0;    // the same of the test window
  std::size_t train_steps = 0, test_steps = 0;
  std::vector<std::string> chosen;  // the chosen point as `--set` overrides: "vix_stress=25"
  bool objective_met = true;        // false: no point met the drawdown bound, or (Sharpe) none had a
                                    // Sharpe (all flat: kSharpeMinVolatility); the shallowest was taken
  ReplayFigures in_sample;          // the chosen point over the train window
  ReplayFigures out_of_sample;      // the chosen point over the test window
};

struct WalkForwardReport {
  ReplayHeader header;              // the own values' replay over the tested span: from, to and steps are the span's
  std::string windows, objective;   // as given
  std::string objective_text;       // "highest Sharpe on the train window"
  std::vector<std::string> fixed;   // BacktestOptions::overrides
  std::vector<SweepAxis> axes;
  std::vector<WalkForwardFold> folds;
  ReplayFigures out_of_sample;      // the test windows' decisions stitched, one overlay over the span
  std::vector<std::string> hindsight;  // the point the objective picks over the whole span, with hindsight
  bool hindsight_met = true;
  ReplayFigures in_sample;          // that point over the span: what tuning on the tested data would claim
  ReplayFigures own;                // the ruleset's own values (with the overrides) over the span
  ReplayFigures hold;               // buy-and-hold of the reference over the span
  std::vector<BaselineResult> baselines;  // BacktestOptions::baselines over the span, in the order given
  WalkForwardGrid grid;             // what the folds and the hindsight chose from
};

// Errors: those of sweep(); kUsage for malformed windows or objective, no axis, a period too
// short for one train and one test window, more than kMaxWalkForwardFolds folds, a `--every`
// grid the test windows do not share with the tested span, both `only` and `given`, an `only`
// index outside the grid, or a `given` grid of another shape. Thread-safe; throws only std::bad_alloc.
RISKOFF_API Result<WalkForwardReport> walk_forward(const Ruleset& ruleset, const Sources& history,
                                                   const BacktestOptions& options, const WalkForwardOptions& walk);
RISKOFF_API Result<WalkForwardReport> walk_forward(const Ruleset& ruleset, const HistoryStore& history,
                                                   const BacktestOptions& options, const WalkForwardOptions& walk);
RISKOFF_API Result<WalkForwardReport> walk_forward(const Ruleset& ruleset, const Snapshot& history,
                                                   const BacktestOptions& options, const WalkForwardOptions& walk);
// kText (and kTextWithSteps): the folds and the stitched table; kCsv: one row per fold;
// kJson: `riskoff.walk_forward/1`; kSvg gives nothing (empty). Same report, same bytes.
RISKOFF_API std::string render_walk_forward(const WalkForwardReport& report, ReportFormat format);

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
