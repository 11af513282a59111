// Bridge from a plan's window node to the numeric core (series_math): picks the built-in,
// converts the window, and returns NaN for "not enough data" (unknown, never 0).
#pragma once

#include "engine/builtins.hpp"
#include "engine/plan.hpp"
#include "engine/snapshot.hpp"

namespace riskoff::engine {

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
