// The window built-ins over one input's observations (docs/language.md, "Built-in functions").
//
// Windows are anchored at the series' last observation (the value "as of" the snapshot):
//   reference functions (ago, change, pct_change, log_return) compare the last value with the
//     reference observation: `N bars` back, or the last one at or before t_last - duration;
//   statistics (sma, ema, stdev, zscore, percentile_rank, highest, lowest, drawdown, slope)
//     use the last N observations, or those with t_last - duration < t <= t_last;
//   returns (realized_vol, corr) use log returns between consecutive observations inside the
//     window, N bars = the last N returns; corr first inner-joins the two series on equal
//     timestamps (never forward-filled).
// "Not enough data" is NaN, which the evaluator shows as unknown; it is never 0.
#include "engine/window_eval.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <span>
#include <vector>

namespace riskoff::engine {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr std::size_t kMinReturnsForCorr = 5;

// Index of the first observation inside a statistics window.
std::size_t window_begin(std::span<const Timestamp> times, double window, WindowKind kind) {
  const std::size_t size = times.size();
  if (kind == WindowKind::kBars) {
    const auto bars = static_cast<std::size_t>(window);
    return bars >= size ? 0 : size - bars;
  }
  const double start = static_cast<double>(times.back()) - window;
  const auto first = std::upper_bound(times.begin(), times.end(), start,
                                      [](double limit, Timestamp time) { return limit < static_cast<double>(time); });
  return static_cast<std::size_t>(first - times.begin());
}

// The reference observation for change-type functions, or npos when the series is too short.
std::size_t reference_index(std::span<const Timestamp> times, double window, WindowKind kind) {
  const std::size_t size = times.size();
  if (kind == WindowKind::kBars) {
    const auto bars = static_cast<std::size_t>(window);
    return bars >= size ? std::string::npos : size - 1 - bars;
  }
  const double limit = static_cast<double>(times.back()) - window;
  const auto after = std::upper_bound(times.begin(), times.end(), limit,
                                      [](double bound, Timestamp time) { return bound < static_cast<double>(time); });
  if (after == times.begin()) return std::string::npos;
  return static_cast<std::size_t>(after - times.begin()) - 1;
}

double mean(std::span<const double> values) {
  double sum = 0;
  for (const double value : values) sum += value;
  return sum / static_cast<double>(values.size());
}

// Sample standard deviation (ddof = 1), as pandas and empyrical compute it.
double sample_stdev(std::span<const double> values) {
  if (values.size() < 2) return kNaN;
  const double average = mean(values);
  double squares = 0;
  for (const double value : values) squares += (value - average) * (value - average);
  return std::sqrt(squares / static_cast<double>(values.size() - 1));
}

double pearson(std::span<const double> x, std::span<const double> y) {
  const double mx = mean(x);
  const double my = mean(y);
  double sxy = 0, sxx = 0, syy = 0;
  for (std::size_t k = 0; k < x.size(); ++k) {
    sxy += (x[k] - mx) * (y[k] - my);
    sxx += (x[k] - mx) * (x[k] - mx);
    syy += (y[k] - my) * (y[k] - my);
  }
  if (sxx <= 0 || syy <= 0) return kNaN;  // a flat series has no correlation
  return sxy / std::sqrt(sxx * syy);
}

// Log returns of the observations in [begin, end); empty when a price is not positive.
bool log_returns(std::span<const double> values, std::vector<double>& out) {
  out.clear();
  for (std::size_t k = 1; k < values.size(); ++k) {
    if (values[k] <= 0 || values[k - 1] <= 0) return false;
    out.push_back(std::log(values[k] / values[k - 1]));
  }
  return true;
}

// Observations for return statistics: N bars = N returns = N + 1 prices.
std::size_t returns_begin(std::span<const Timestamp> times, double window, WindowKind kind) {
  if (kind == WindowKind::kBars) return window_begin(times, window + 1, kind);
  // A duration keeps the observation at the window's start, so its first return is inside.
  const std::size_t reference = reference_index(times, window, kind);
  return reference == std::string::npos ? 0 : reference;
}

double correlation(const InputData& a, const InputData& b, double window, WindowKind kind) {
  std::vector<Timestamp> times;
  std::vector<double> x, y;
  std::size_t i = 0, j = 0;
  while (i < a.times.size() && j < b.times.size()) {
    if (a.times[i] < b.times[j]) ++i;
    else if (b.times[j] < a.times[i]) ++j;
    else {
      times.push_back(a.times[i]);
      x.push_back(a.values[i++]);
      y.push_back(b.values[j++]);
    }
  }
  if (times.size() < 2) return kNaN;
  const std::size_t begin = returns_begin(times, window, kind);
  std::vector<double> rx, ry;
  if (!log_returns(std::span(x).subspan(begin), rx) || !log_returns(std::span(y).subspan(begin), ry)) return kNaN;
  const std::size_t needed = kind == WindowKind::kBars ? std::min<std::size_t>(kMinReturnsForCorr, static_cast<std::size_t>(window))
                                                       : kMinReturnsForCorr;
  if (rx.size() < std::max<std::size_t>(needed, 2)) return kNaN;
  return pearson(rx, ry);
}

}  // namespace

double window_value(const Builtin& builtin, const InputData& data, const InputData* other, double window,
                    WindowKind kind, double annualization) {
  const std::span<const Timestamp> times(data.times);
  const std::span<const double> values(data.values);
  if (values.empty() || window <= 0) return kNaN;
  const double last = values.back();
  const BuiltinId id = builtin.id;

  switch (id) {
    case BuiltinId::kAgo:
    case BuiltinId::kChange:
    case BuiltinId::kPctChange:
    case BuiltinId::kLogReturn: {
      const std::size_t reference = reference_index(times, window, kind);
      if (reference == std::string::npos) return kNaN;
      const double before = values[reference];
      if (id == BuiltinId::kAgo) return before;
      if (id == BuiltinId::kChange) return last - before;
      if (before <= 0 || (id == BuiltinId::kLogReturn && last <= 0)) return kNaN;
      return id == BuiltinId::kPctChange ? (last / before - 1) * 100 : std::log(last / before) * 100;
    }
    case BuiltinId::kRealizedVol: {
      std::vector<double> returns;
      if (!log_returns(values.subspan(returns_begin(times, window, kind)), returns) || returns.size() < 2) return kNaN;
      return sample_stdev(returns) * std::sqrt(annualization) * 100;
    }
    case BuiltinId::kCorr:
      return other == nullptr ? kNaN : correlation(data, *other, window, kind);
    default:
      break;
  }

  const auto in_window = values.subspan(window_begin(times, window, kind));
  if (id == BuiltinId::kSma) return mean(in_window);
  if (id == BuiltinId::kStdev) return sample_stdev(in_window);
  if (id == BuiltinId::kHighest) return *std::max_element(in_window.begin(), in_window.end());
  if (id == BuiltinId::kLowest) return *std::min_element(in_window.begin(), in_window.end());
  if (id == BuiltinId::kEma) {
    const double alpha = 2.0 / (static_cast<double>(in_window.size()) + 1);
    double average = in_window.front();
    for (std::size_t k = 1; k < in_window.size(); ++k) average = alpha * in_window[k] + (1 - alpha) * average;
    return average;
  }
  if (id == BuiltinId::kZscore) {
    const double deviation = sample_stdev(in_window);
    if (!(deviation > 0)) return kNaN;
    return (last - mean(in_window)) / deviation;
  }
  if (id == BuiltinId::kPercentileRank) {
    const auto at_or_below = std::count_if(in_window.begin(), in_window.end(), [&](double v) { return v <= last; });
    return 100.0 * static_cast<double>(at_or_below) / static_cast<double>(in_window.size());
  }
  if (id == BuiltinId::kDrawdown) {
    const double peak = *std::max_element(in_window.begin(), in_window.end());
    if (peak <= 0) return kNaN;
    return (last / peak - 1) * 100;
  }
  if (id == BuiltinId::kSlope) {
    // Least-squares slope of value against observation index: change per bar.
    const std::size_t n = in_window.size();
    if (n < 2) return kNaN;
    const double mean_index = static_cast<double>(n - 1) / 2;
    const double mean_value = mean(in_window);
    double covariance = 0, variance = 0;
    for (std::size_t k = 0; k < n; ++k) {
      covariance += (static_cast<double>(k) - mean_index) * (in_window[k] - mean_value);
      variance += (static_cast<double>(k) - mean_index) * (static_cast<double>(k) - mean_index);
    }
    return covariance / variance;
  }
  return kNaN;
}

}  // namespace riskoff::engine
