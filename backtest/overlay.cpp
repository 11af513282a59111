// The overlay and its figures, on plain numbers (tests/unit/backtest/overlay_test.cpp checks
// them on a five-day example computed by hand). Episodes are episodes.cpp.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>

#include "backtest/overlay.hpp"

namespace riskoff::backtest {
namespace {

constexpr double kSecondsPerYear = 365.25 * 86400;

bool same_name(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

ActionKind action_kind(std::string_view action) {
  if (same_name(action, "reduce")) return ActionKind::kReduce;
  if (same_name(action, "hedge")) return ActionKind::kHedge;
  return ActionKind::kWait;
}

double exposure_for(const std::string& action, const OverlayOptions& options) {
  switch (action_kind(action)) {
    case ActionKind::kReduce: return options.reduce_to;
    case ActionKind::kHedge: return 1 - options.hedge_ratio;
    case ActionKind::kWait: break;
  }
  return 1;
}

std::string short_time(engine::Timestamp time) {
  const std::string full = engine::format_timestamp(time);
  return full.substr(11) == "00:00:00Z" ? full.substr(0, 10) : full.substr(0, 16) + "Z";
}

PathMetrics path_metrics(const std::vector<engine::Timestamp>& times, const std::vector<double>& value) {
  PathMetrics out;
  const std::size_t n = value.size();
  if (n == 0) return out;
  out.total_return = value.back() / value.front() - 1;
  const double years = static_cast<double>(times.back() - times.front()) / kSecondsPerYear;
  if (years > 0 && value.back() > 0) out.annual_return = std::pow(value.back() / value.front(), 1 / years) - 1;
  // Sample standard deviation of step returns (Welford), annualised by the steps a year.
  double mean = 0, squares = 0;
  for (std::size_t k = 1; k < n; ++k) {
    const double r = value[k] / value[k - 1] - 1;
    const double delta = r - mean;
    mean += delta / static_cast<double>(k);
    squares += delta * (r - mean);
  }
  if (n > 2 && years > 0) {
    const double stdev = std::sqrt(squares / static_cast<double>(n - 2));
    const double per_year = std::sqrt(static_cast<double>(n - 1) / years);
    out.volatility = stdev * per_year;
    out.sharpe = out.volatility < kSharpeMinVolatility ? std::numeric_limits<double>::quiet_NaN() : mean / stdev * per_year;
  }
  double peak = value.front();
  engine::Timestamp peak_time = times.front();
  std::size_t under = 0;
  bool was_under = false;
  for (std::size_t k = 0; k < n; ++k) {
    if (value[k] >= peak) {
      // A spell under water lasts from its peak to the step that regains it.
      if (was_under) out.longest_under_water_days = std::max(out.longest_under_water_days, static_cast<double>(times[k] - peak_time) / 86400.0);
      was_under = false;
      peak = value[k];
      peak_time = times[k];
      continue;
    }
    ++under;
    was_under = true;
    const double drawdown = value[k] / peak - 1;
    if (drawdown < out.max_drawdown) {
      out.max_drawdown = drawdown;
      out.drawdown_peak = peak_time;
      out.drawdown_trough = times[k];
    }
  }
  // Still under water at the end: the spell so far.
  if (was_under) out.longest_under_water_days = std::max(out.longest_under_water_days, static_cast<double>(times.back() - peak_time) / 86400.0);
  out.under_water = static_cast<double>(under) / static_cast<double>(n);
  return out;
}

Overlay compute_overlay(const std::vector<engine::Timestamp>& times, const std::vector<double>& reference_return,
                        const std::vector<double>& decided, const OverlayOptions& options,
                        const std::vector<double>& open_gap) {
  Overlay out;
  const std::size_t n = times.size();
  out.step_return = reference_return;
  out.open_gap = open_gap;
  out.exposure.assign(n, 1);
  out.overlay_value.assign(n, 1);
  out.hold_value.assign(n, 1);
  // held: the exposure after trading at step k's price. A decision at step k - 1 is executed
  // at step k (next-step execution); an undecided step changes nothing.
  double held_before = 1;
  for (std::size_t k = 1; k < n; ++k) {
    const double r = reference_return[k];
    const double held = std::isnan(decided[k - 1]) ? held_before : decided[k - 1];
    const double cost = options.cost_bp / 10000.0 * std::fabs(held - held_before);
    out.turnover += std::fabs(held - held_before);
    if (open_gap.empty()) {
      out.exposure[k] = held_before;  // over (k-1, k]
      out.overlay_value[k] = out.overlay_value[k - 1] * (1 + held_before * r) * (1 - cost);
    } else {
      // Traded at step k's open: the overnight gap at the old exposure, the session at the new.
      const double gap = open_gap[k];
      out.exposure[k] = held;  // over step k's session
      out.overlay_value[k] = out.overlay_value[k - 1] * (1 + held_before * gap) * (1 - cost) *
                             (1 + held * ((1 + r) / (1 + gap) - 1));
    }
    out.hold_value[k] = out.hold_value[k - 1] * (1 + r);
    held_before = held;
  }
  out.overlay = path_metrics(times, out.overlay_value);
  out.hold = path_metrics(times, out.hold_value);
  return out;
}

}  // namespace riskoff::backtest
