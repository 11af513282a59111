// Bridge from a plan's window node to the numeric core (series_math): picks the built-in,
// converts the window, and returns NaN for "not enough data" (unknown, never 0).
#pragma once

#include <cstddef>
#include <deque>
#include <span>

#include "engine/builtins.hpp"
#include "engine/plan.hpp"
#include "engine/snapshot.hpp"

namespace riskoff::engine {

// The reference observation of the reference functions (ago, change, pct_change, log_return):
// `N bars` back, or the last one at or before t_last - duration; npos when the series is too
// short. Also what a snapshot keeps of a series (adapters/sources.cpp), so `eval` reads the
// same reference a replay's whole history gives, however long a hole precedes the window.
std::size_t window_reference(std::span<const Timestamp> times, double window, WindowKind kind);

// Reads only the observations in the views; cost grows with the window, not the history
// (duration windows are found by binary search).
double window_value(const Builtin& builtin, const SeriesView& data, const SeriesView* other, double window,
                    WindowKind kind, double annualization);

inline double window_value(const Builtin& builtin, const InputData& data, const InputData* other, double window,
                           WindowKind kind, double annualization) {
  const SeriesView other_view = other != nullptr ? SeriesView::of(*other) : SeriesView{};
  return window_value(builtin, SeriesView::of(data), other != nullptr ? &other_view : nullptr, window, kind,
                      annualization);
}

}  // namespace riskoff::engine

namespace riskoff::engine {

// highest, lowest and drawdown followed along a growing prefix of one series (a replay): a
// monotonic deque of indices, so each observation enters and leaves once, amortised O(1) per
// step instead of a scan of the window. Exact: the extreme is the same observation a scan finds.
struct RunningExtreme {
  const double* values = nullptr;   // the series storage it follows
  std::size_t pushed = 0;           // observations taken in
  double window = 0;
  std::deque<std::size_t> indices;  // candidates; the front is the window's extreme
};

bool has_running_form(BuiltinId id);

// The window's value, updating `state`; it restarts by itself when the series, the window or
// the prefix changes in a way it cannot follow (another series, fewer observations).
double running_window_value(const Builtin& builtin, const SeriesView& data, double window, WindowKind kind,
                            RunningExtreme& state);

}  // namespace riskoff::engine
