// sweep(): every point of a grid of parameter values replayed from one setup (one compiled
// plan, one loaded history), each point's values given as `--set` overrides through the path
// `--set` takes (resolve_overrides), on a pool of threads. The points are written into their
// own slots, so the report is in grid order whatever order the threads finish in.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <exception>
#include <mutex>
#include <thread>

#include "api/data_impl.hpp"
#include "api/impl.hpp"
#include "backtest/report.hpp"
#include "backtest/sweep.hpp"

namespace riskoff {
namespace {

// A parameter's value as `--set` would write it (internal units: seconds for durations).
std::string value_text(const engine::ParamSlot& param, double value) {
  char number[32];
  if (param.type.kind == engine::TypeKind::kBool) return value != 0 ? "true" : "false";
  if (param.type.kind == engine::TypeKind::kDuration) {
    const bool days = std::fmod(value, 86400) == 0;
    std::snprintf(number, sizeof number, "%.12g", days ? value / 86400 : value / 3600);
    return std::string(number) + (days ? "d" : "h");
  }
  std::snprintf(number, sizeof number, "%.12g", value);
  if (param.type.kind == engine::TypeKind::kBars) return std::string(number) + "bars";
  switch (param.type.unit) {
    case engine::Unit::kPercent: return std::string(number) + "%";
    case engine::Unit::kBp: return std::string(number) + "bp";
    case engine::Unit::kUsd: return std::string(number) + "usd";
    case engine::Unit::kIndex:
    case engine::Unit::kNumber: break;
  }
  return number;
}

// Each axis' values resolved against the plan exactly as `--set NAME=VALUE` is, and the axis'
// own value: the parameter's default, then the profile's value, then the fixed overrides'.
Result<std::vector<std::vector<engine::ParamOverride>>> resolve_axes(const ReplaySetup& setup, std::vector<SweepAxis>& axes) {
  const engine::Plan& plan = *setup.rules->plan;
  std::vector<double> own(plan.params().size());
  for (std::size_t slot = 0; slot < own.size(); ++slot) own[slot] = plan.params()[slot].default_value;
  for (const auto& [slot, value] : plan.profiles()[setup.profile].overrides) own[slot] = value;
  for (const auto& fixed : setup.overrides) own[fixed.slot] = fixed.value;
  std::vector<std::vector<engine::ParamOverride>> out(axes.size());
  std::vector<std::string> errors;
  for (std::size_t a = 0; a < axes.size(); ++a) {
    auto& axis = axes[a];
    for (const auto& value : axis.values) {
      auto resolved = resolve_overrides(plan, {axis.parameter + "=" + value});
      if (!resolved) {
        for (const auto& message : resolved.error().messages) errors.push_back("--sweep: " + message);
        break;  // one message per axis: its other values share the problem
      }
      out[a].push_back(resolved->front());
    }
    if (out[a].size() != axis.values.size()) continue;
    const std::uint32_t slot = out[a].front().slot;
    const double mine = own[slot];
    for (std::size_t k = 0; k < out[a].size(); ++k) {
      if (std::fabs(out[a][k].value - mine) <= 1e-9 * std::max(1.0, std::fabs(mine))) axis.own = k;
    }
    axis.own_value = axis.own ? axis.values[*axis.own] : value_text(plan.params()[slot], mine);
  }
  if (!errors.empty()) return Error(ErrorKind::kUsage, std::move(errors));
  return out;
}

// The grid in order, the last axis fastest: point p's index on each axis.
std::vector<std::vector<std::size_t>> grid_points(const std::vector<SweepAxis>& axes) {
  std::size_t count = 1;
  for (const auto& axis : axes) count *= axis.values.size();
  std::vector<std::vector<std::size_t>> out(count, std::vector<std::size_t>(axes.size()));
  for (std::size_t p = 0; p < count; ++p) {
    std::size_t rest = p;
    for (std::size_t a = axes.size(); a-- > 0;) {
      out[p][a] = rest % axes[a].values.size();
      rest /= axes[a].values.size();
    }
  }
  return out;
}

}  // namespace

Result<SweepReport> sweep_points(const ReplaySetup& setup, const BacktestOptions& options, const SweepOptions& grid) {
  if (!(grid.plateau_tolerance >= 0 && grid.plateau_tolerance < 1)) {
    return Error(ErrorKind::kUsage, "--plateau-pp takes a tolerance from 0 to 100 percentage points, such as 1");
  }
  SweepReport report;
  std::vector<std::string> errors;
  if (!backtest::parse_sweep_axes(grid.axes, report.axes, errors)) return Error(ErrorKind::kUsage, std::move(errors));
  auto resolved = resolve_axes(setup, report.axes);
  if (!resolved) return resolved.error();
  const auto at = grid_points(report.axes);
  // The points this call replays: all of them, or a share (SweepOptions::only).
  std::vector<std::size_t> todo;
  if (grid.only) {
    std::vector<bool> taken(at.size());
    for (const std::size_t p : *grid.only) {
      if (p >= at.size()) {
        return Error(ErrorKind::kUsage, "sweep: point " + std::to_string(p) + " is not in the grid of " +
                                            std::to_string(at.size()) + " points (only takes indices from 0)");
      }
      if (taken[p]) return Error(ErrorKind::kUsage, "sweep: point " + std::to_string(p) + " is listed twice in only");
      taken[p] = true;
    }
    todo = *grid.only;
  } else {
    for (std::size_t p = 0; p < at.size(); ++p) todo.push_back(p);
  }
  report.points.resize(at.size());
  for (std::size_t p = 0; p < at.size(); ++p) {
    report.points[p].at = at[p];
    for (std::size_t a = 0; a < at[p].size(); ++a) {
      report.points[p].overrides.push_back(report.axes[a].parameter + "=" + report.axes[a].values[at[p][a]]);
    }
  }

  // Each thread takes the next point; replays share the plan and the history read-only. The
  // swept values come after the fixed overrides, so a swept parameter also given to --set
  // takes the point's value (overrides apply in order).
  ReplaySetup quiet = setup;
  quiet.options.progress = nullptr;  // the progress callback is for the calling thread only
  quiet.options.reasons = backtest::ChangeReasons::kOmit;  // a point reports figures, not because-lines
  std::vector<std::optional<Result<backtest::Replay>>> failures(at.size());
  std::optional<backtest::Replay> first;  // the header comes from any one replay: the first to do
  std::atomic<std::size_t> next{0};
  // An exception on a pool thread (std::bad_alloc) would end the process: it is kept and thrown
  // again on the calling thread, and the other threads stop taking points.
  std::exception_ptr thrown;
  std::mutex thrown_mutex;
  auto work = [&]() noexcept {
    try {
      for (std::size_t k = next++; k < todo.size(); k = next++) {
        const std::size_t p = todo[k];
        std::vector<engine::ParamOverride> overrides = setup.overrides;
        for (std::size_t a = 0; a < at[p].size(); ++a) overrides.push_back((*resolved)[a][at[p][a]]);
        auto replay = replay_with(quiet, overrides);
        if (!replay) {
          failures[p] = std::move(replay);
          continue;
        }
        report.points[p].figures = backtest::replay_figures(*replay);
        if (k == 0) first = std::move(*replay);
      }
    } catch (...) {
      const std::lock_guard<std::mutex> lock(thrown_mutex);
      if (!thrown) thrown = std::current_exception();
      next = todo.size();
    }
  };
  const unsigned hardware = std::max(1U, std::thread::hardware_concurrency());
  const std::size_t threads = std::min<std::size_t>(grid.threads == 0 ? hardware : grid.threads, todo.size());
  std::vector<std::thread> pool;
  for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (auto& thread : pool) thread.join();
  if (thrown) std::rethrow_exception(thrown);
  for (auto& failure : failures) {
    if (failure) return failure->error();  // the first in grid order: the same error every run
  }

  report.fixed = options.overrides;
  report.plateau_tolerance = grid.plateau_tolerance;
  if (!first) return report;  // an empty share: the grid alone
  report.header = backtest::replay_header(*first);
  // A share is judged once the shares are put together (judge_sweep): its own figures alone
  // would give a verdict on zeros.
  if (!grid.only) backtest::judge_plateau(report);
  return report;
}

void judge_sweep(SweepReport& report) { backtest::judge_plateau(report); }

std::string render_sweep(const SweepReport& report, ReportFormat format) {
  switch (format) {
    case ReportFormat::kCsv: return backtest::render_sweep_csv(report);
    case ReportFormat::kJson: return backtest::render_sweep_json(report);
    case ReportFormat::kSvg: return backtest::render_sweep_svg(report);
    case ReportFormat::kText:
    case ReportFormat::kTextWithSteps: break;
  }
  return backtest::render_sweep_text(report);
}

}  // namespace riskoff
