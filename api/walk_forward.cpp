// walk_forward(): the folds laid out on the calendar, each train window's grid replayed over a
// history cut at the window's end (sweep_points), the objective's point replayed over the test
// window, and the test windows' decisions stitched into one overlay over the tested span, beside
// the point chosen with hindsight over that span, the own values and buy-and-hold.
#include <algorithm>

#include "api/data_impl.hpp"
#include "api/impl.hpp"
#include "backtest/report.hpp"
#include "backtest/sweep.hpp"
#include "backtest/walk_forward.hpp"

namespace riskoff {
namespace {

// An error of one window, its messages led by the window they are about.
Error in_window(Error error, const std::string& window) {
  for (auto& message : error.messages) message = window + ": " + message;
  return error;
}

std::string span_text(const backtest::Window& window) {
  return backtest::short_time(window.from) + " → " + backtest::short_time(window.to);
}

// The setup's own overrides, then the point's: a point's value wins over a fixed one.
Result<std::vector<engine::ParamOverride>> with_point(const ReplaySetup& setup, const std::vector<std::string>& point) {
  auto resolved = resolve_overrides(*setup.rules->plan, point);
  if (!resolved) return resolved.error();
  auto overrides = setup.overrides;
  overrides.insert(overrides.end(), resolved->begin(), resolved->end());
  return overrides;
}

struct Parsed {
  backtest::CalendarLength train, test;
  backtest::Objective objective;
};

Result<Parsed> parse_walk(const WalkForwardOptions& walk) {
  Parsed out;
  const auto slash = walk.windows.find('/');
  const auto train = backtest::parse_length(walk.windows.substr(0, slash));
  const auto test = slash == std::string::npos ? std::nullopt : backtest::parse_length(walk.windows.substr(slash + 1));
  if (!train || !test) {
    return Error(ErrorKind::kUsage, "--walk-forward `" + walk.windows +
                                        "` is not TRAIN/TEST such as 3y/1y (each a count of y, m or d)");
  }
  const auto objective = backtest::parse_objective(walk.objective);
  if (!objective) {
    return Error(ErrorKind::kUsage, "--objective `" + walk.objective +
                                        "` is not sharpe, return or return-dd<=X% (such as return-dd<=20%)");
  }
  if (walk.axes.empty()) return Error(ErrorKind::kUsage, "--walk-forward chooses among grid points: give --sweep NAME=RANGE");
  out.train = *train;
  out.test = *test;
  out.objective = *objective;
  return out;
}

const std::vector<engine::Timestamp>& dates_of(const ReplaySetup& setup) {
  return setup.options.step_dates.empty() ? setup.steps : setup.options.step_dates;
}

// The grid over one window: its points replayed here (every one, or the share walk.only lists),
// or, with `given`, their figures taken from the shares (no point replayed).
Result<SweepReport> grid_over(const ReplaySetup& setup, const BacktestOptions& options, const WalkForwardOptions& walk,
                              const std::vector<ReplayFigures>* given) {
  SweepOptions grid{.axes = walk.axes, .threads = walk.threads};
  if (given != nullptr) {
    grid.only = std::vector<std::size_t>{};
  } else if (walk.only) {
    grid.only = walk.only;
  }
  auto points = sweep_points(setup, options, grid);
  if (!points || given == nullptr) return points;
  if (given->size() != points->points.size()) {
    return Error(ErrorKind::kUsage, "walk_forward: the given grid has " + std::to_string(given->size()) +
                                        " points per window; the grid has " + std::to_string(points->points.size()));
  }
  for (std::size_t p = 0; p < given->size(); ++p) points->points[p].figures = (*given)[p];
  return points;
}

std::vector<ReplayFigures> figures_of(const SweepReport& points) {
  std::vector<ReplayFigures> out;
  for (const auto& point : points.points) out.push_back(point.figures);
  return out;
}

// One fold: choose on the train window (cut history), replay the choice on the test window.
// `actions` and `dates` receive the test window's steps; `train` the train window's grid. A
// share (walk.only) stops after the train window's grid.
Result<WalkForwardFold> run_fold(const WindowSetupFn& window, const backtest::FoldWindows& fold, const BacktestOptions& options,
                                 const WalkForwardOptions& walk, const backtest::Objective& objective,
                                 const std::vector<ReplayFigures>* given, std::vector<SweepAxis>& axes,
                                 std::vector<ReplayFigures>& train_grid, std::vector<std::string>& actions,
                                 std::vector<engine::Timestamp>& dates) {
  WalkForwardFold out;
  const std::string train_name = "train window " + span_text(fold.train);
  auto train = window(fold.train.from, fold.train.to, WindowData::kUpToWindow);
  if (!train) return in_window(train.error(), train_name);
  train->setup.options.progress = nullptr;
  const auto& train_dates = dates_of(train->setup);
  if (train_dates.empty()) return in_window(Error(ErrorKind::kData, "no step to replay between the dates given"), train_name);
  out.train_from = train_dates.front();
  out.train_to = train_dates.back();
  out.train_steps = train_dates.size();
  auto points = grid_over(train->setup, options, walk, given);
  if (!points) return in_window(points.error(), train_name);
  axes = points->axes;
  train_grid = figures_of(*points);
  if (walk.only) return out;
  const std::size_t chosen = backtest::choose_point(points->points, objective, out.objective_met);
  out.chosen = points->points[chosen].overrides;
  out.in_sample = points->points[chosen].figures;

  const std::string test_name = "test window " + span_text(fold.test);
  auto test = window(fold.test.from, fold.test.to, WindowData::kWhole);
  if (!test) return in_window(test.error(), test_name);
  test->setup.options.progress = nullptr;
  auto overrides = with_point(test->setup, out.chosen);
  if (!overrides) return in_window(overrides.error(), test_name);
  auto replay = replay_with(test->setup, *overrides);
  if (!replay) return in_window(replay.error(), test_name);
  out.out_of_sample = backtest::replay_figures(*replay);
  out.test_from = replay->from;
  out.test_to = replay->to;
  out.test_steps = replay->steps.size();
  for (const auto& step : replay->steps) {
    actions.push_back(step.action);
    dates.push_back(step.time);
  }
  return out;
}

}  // namespace

Result<WalkForwardReport> walk_forward_folds(const WindowSetupFn& window, const BaselinesFn& baselines,
                                             const BacktestOptions& options, const WalkForwardOptions& walk) {
  auto parsed = parse_walk(walk);
  if (!parsed) return parsed.error();
  if (walk.only && walk.given) return Error(ErrorKind::kUsage, "walk_forward: give a share (only) or the grid's figures (given), not both");
  auto whole = window(options.from, options.to, WindowData::kWhole);
  if (!whole) return whole.error();
  const auto& all_dates = whole->setup.options.step_dates.empty() ? whole->setup.steps : whole->setup.options.step_dates;
  auto folds = backtest::lay_out_folds(options.from, all_dates.back(), parsed->train, parsed->test, kMaxWalkForwardFolds);
  if (folds.empty()) {
    return Error(ErrorKind::kUsage, "--walk-forward " + walk.windows + ": the period " + backtest::short_time(all_dates.front()) +
                                        " → " + backtest::short_time(all_dates.back()) +
                                        " is shorter than one train window followed by a test window");
  }
  if (folds.size() > kMaxWalkForwardFolds) {
    return Error(ErrorKind::kUsage, "--walk-forward " + walk.windows + " gives more than " +
                                        std::to_string(kMaxWalkForwardFolds) + " folds: take longer test windows");
  }
  if (options.to && folds.back().test.to > *options.to) folds.back().test.to = *options.to;
  if (walk.given && walk.given->train.size() != folds.size()) {
    return Error(ErrorKind::kUsage, "walk_forward: the given grid has " + std::to_string(walk.given->train.size()) +
                                        " train windows; this walk-forward has " + std::to_string(folds.size()) + " folds");
  }

  WalkForwardReport report;
  report.windows = walk.windows;
  report.objective = walk.objective;
  report.objective_text = parsed->objective.text + " on the train window";
  report.fixed = options.overrides;
  std::vector<std::string> actions;
  std::vector<engine::Timestamp> dates;
  report.grid.train.resize(folds.size());
  for (std::size_t k = 0; k < folds.size(); ++k) {
    const auto* given = walk.given ? &walk.given->train[k] : nullptr;
    auto done = run_fold(window, folds[k], options, walk, parsed->objective, given, report.axes, report.grid.train[k],
                         actions, dates);
    if (!done) return done.error();
    report.folds.push_back(std::move(*done));
  }

  // The tested span as one replay: its steps must be the test windows' steps end to end.
  const backtest::Window span{folds.front().test.from, folds.back().test.to};
  auto tested = window(span.from, span.to, WindowData::kWhole);
  if (!tested) return in_window(tested.error(), "tested span " + span_text(span));
  tested->setup.options.progress = nullptr;
  auto hindsight = grid_over(tested->setup, options, walk, walk.given ? &walk.given->span : nullptr);
  if (!hindsight) return hindsight.error();
  report.grid.span = figures_of(*hindsight);
  if (walk.only) return report;  // a share: its points' figures only, judged where they are put together
  auto own = replay_with(tested->setup, tested->setup.overrides);
  if (!own) return own.error();
  std::vector<engine::Timestamp> span_dates;
  for (const auto& step : own->steps) span_dates.push_back(step.time);
  if (span_dates != dates) {
    return Error(ErrorKind::kUsage, "--walk-forward: the test windows do not share the tested span's steps (an --every "
                                    "grid that does not divide a day?): give --every 1d or a divisor of a day");
  }
  report.own = backtest::replay_figures(*own);
  report.hold = backtest::hold_figures(own->overlay);
  report.out_of_sample = backtest::stitched_figures(span_dates, own->overlay.step_return, actions, own->overlay_options,
                                                      own->overlay.open_gap);
  const std::size_t best = backtest::choose_point(hindsight->points, parsed->objective, report.hindsight_met);
  report.hindsight = hindsight->points[best].overrides;
  report.in_sample = hindsight->points[best].figures;

  report.header = backtest::replay_header(*own);
  auto tested_baselines = baselines(tested->setup);
  if (!tested_baselines) return in_window(tested_baselines.error(), "tested span " + span_text(span));
  report.baselines = std::move(*tested_baselines);
  return report;
}

std::string render_walk_forward(const WalkForwardReport& report, ReportFormat format) {
  switch (format) {
    case ReportFormat::kCsv: return backtest::render_walk_forward_csv(report);
    case ReportFormat::kJson: return backtest::render_walk_forward_json(report);
    case ReportFormat::kSvg: return "";
    case ReportFormat::kText:
    case ReportFormat::kTextWithSteps: break;
  }
  return backtest::render_walk_forward_text(report);
}

}  // namespace riskoff
