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

namespace riskoff::engine {

std::size_t window_reference(std::span<const Timestamp> times, double window, WindowKind kind) {
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

namespace {

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

// Sample standard deviation of the log returns of consecutive prices, in one pass with no
// allocation (Welford). NaN when a price is not positive or there are fewer than two returns.
double log_return_stdev(std::span<const double> prices) {
  double mean = 0, squares = 0;
  std::size_t count = 0;
  for (std::size_t k = 1; k < prices.size(); ++k) {
    if (prices[k] <= 0 || prices[k - 1] <= 0) return kNaN;
    const double r = std::log(prices[k] / prices[k - 1]);
    ++count;
    const double delta = r - mean;
    mean += delta / static_cast<double>(count);
    squares += delta * (r - mean);
  }
  return count < 2 ? kNaN : std::sqrt(squares / static_cast<double>(count - 1));
}

// Observations for return statistics: N bars = N returns = N + 1 prices.
std::size_t returns_begin(std::span<const Timestamp> times, double window, WindowKind kind) {
  if (kind == WindowKind::kBars) return window_begin(times, window + 1, kind);
  // A duration keeps the observation at the window's start, so its first return is inside.
  const std::size_t reference = window_reference(times, window, kind);
  return reference == std::string::npos ? 0 : reference;
}

// Pearson correlation of log returns over the timestamps both series have (inner join, never
// forward-filled), in two merges and no allocation: a backward merge finds where the window
// starts in the joined sequence, a forward merge accumulates the co-moments (Welford).
double correlation(const SeriesView& a, const SeriesView& b, double window, WindowKind kind) {
  // Backward: walk joined points from the newest until the window is covered.
  std::size_t i = a.times.size(), j = b.times.size();
  std::size_t start_i = i, start_j = j;
  std::size_t joined = 0;
  Timestamp newest = 0;
  const auto bars = static_cast<std::size_t>(window);
  while (i > 0 && j > 0) {
    const Timestamp ta = a.times[i - 1], tb = b.times[j - 1];
    if (ta > tb) {
      --i;
    } else if (tb > ta) {
      --j;
    } else {
      if (joined == 0) newest = ta;
      --i;
      --j;
      start_i = i;
      start_j = j;
      ++joined;
      // Bars: N returns need N + 1 joined points. Duration: the first point at or before the
      // window's start is the last one kept, so the first return lies inside the window.
      const bool covered = kind == WindowKind::kBars ? joined == bars + 1 : static_cast<double>(newest - ta) >= window;
      if (covered) break;
    }
  }
  if (joined < 2) return kNaN;
  // Forward: co-moments of consecutive joined returns.
  double mean_x = 0, mean_y = 0, cxx = 0, cyy = 0, cxy = 0;
  std::size_t count = 0;
  double previous_x = 0, previous_y = 0;
  bool have_previous = false;
  for (i = start_i, j = start_j; i < a.times.size() && j < b.times.size();) {
    if (a.times[i] < b.times[j]) {
      ++i;
      continue;
    }
    if (b.times[j] < a.times[i]) {
      ++j;
      continue;
    }
    const double x = a.values[i++], y = b.values[j++];
    if (x <= 0 || y <= 0) return kNaN;
    if (have_previous) {
      const double rx = std::log(x / previous_x), ry = std::log(y / previous_y);
      ++count;
      const double dx = rx - mean_x;
      mean_x += dx / static_cast<double>(count);
      const double dy = ry - mean_y;
      mean_y += dy / static_cast<double>(count);
      cxx += dx * (rx - mean_x);
      cyy += dy * (ry - mean_y);
      cxy += dx * (ry - mean_y);
    }
    previous_x = x;
    previous_y = y;
    have_previous = true;
  }
  const std::size_t needed = kind == WindowKind::kBars ? std::min<std::size_t>(kMinReturnsForCorr, bars) : kMinReturnsForCorr;
  if (count < std::max<std::size_t>(needed, 2)) return kNaN;
  if (cxx <= 0 || cyy <= 0) return kNaN;  // a flat series has no correlation
  return cxy / std::sqrt(cxx * cyy);
}

}  // namespace

double window_value(const Builtin& builtin, const SeriesView& data, const SeriesView* other, double window,
                    WindowKind kind, double annualization) {
  const std::span<const Timestamp> times = data.times;
  const std::span<const double> values = data.values;
  if (values.empty() || window <= 0) return kNaN;
  const double last = values.back();
  const BuiltinId id = builtin.id;

  switch (id) {
    case BuiltinId::kAgo:
    case BuiltinId::kChange:
    case BuiltinId::kPctChange:
    case BuiltinId::kLogReturn: {
      const std::size_t reference = window_reference(times, window, kind);
      if (reference == std::string::npos) return kNaN;
      const double before = values[reference];
      if (id == BuiltinId::kAgo) return before;
      if (id == BuiltinId::kChange) return last - before;
      if (before <= 0 || (id == BuiltinId::kLogReturn && last <= 0)) return kNaN;
      return id == BuiltinId::kPctChange ? (last / before - 1) * 100 : std::log(last / before) * 100;
    }
    case BuiltinId::kRealizedVol:
      return log_return_stdev(values.subspan(returns_begin(times, window, kind))) * std::sqrt(annualization) * 100;
    case BuiltinId::kCorr:
      return other == nullptr || other->data == nullptr ? kNaN : correlation(data, *other, window, kind);
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

bool has_running_form(BuiltinId id) {
  return id == BuiltinId::kHighest || id == BuiltinId::kLowest || id == BuiltinId::kDrawdown;
}

double running_window_value(const Builtin& builtin, const SeriesView& data, double window, WindowKind kind,
                            RunningExtreme& state) {
  const std::span<const Timestamp> times = data.times;
  const std::span<const double> values = data.values;
  if (values.empty() || window <= 0) return kNaN;
  const std::size_t begin = window_begin(times, window, kind);
  if (state.values != values.data() || values.size() < state.pushed || state.window != window) {
    state.values = values.data();
    state.window = window;
    state.indices.clear();
    state.pushed = begin;  // nothing before the window can matter again
  }
  const bool keep_highest = builtin.id != BuiltinId::kLowest;
  // Invariant: the candidates' values are monotone from the front (non-increasing for highest),
  // and their indices increase: a later observation at least as extreme retires the earlier ones.
  for (; state.pushed < values.size(); ++state.pushed) {
    const double value = values[state.pushed];
    while (!state.indices.empty() &&
           (keep_highest ? values[state.indices.back()] <= value : values[state.indices.back()] >= value)) {
      state.indices.pop_back();
    }
    state.indices.push_back(state.pushed);
  }
  while (state.indices.front() < begin) state.indices.pop_front();
  const double extreme = values[state.indices.front()];
  if (builtin.id != BuiltinId::kDrawdown) return extreme;
  if (extreme <= 0) return kNaN;
  return (values.back() / extreme - 1) * 100;
}

}  // namespace riskoff::engine
