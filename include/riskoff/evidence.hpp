// Replay evidence: is a ruleset better than luck, and does it hold on data it was not tuned
// on? Sweeps of its parameters, shuffles of its own spells and walk-forward folds, each built
// from replays (backtest.hpp) of one compiled ruleset. What `riskoff replay --sweep`,
// `--shuffle` and `--walk-forward` print (docs/replay.md). Kept apart from backtest.hpp because
// these are the analyses over many replays, not the replay itself.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "riskoff/backtest.hpp"

namespace riskoff {

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

}  // namespace riskoff
