// Bridge from a plan's window node to the numeric core (series_math): picks the built-in,
// converts the window, and returns NaN for "not enough data" (unknown, never 0).
#pragma once

#include "engine/builtins.hpp"
#include "engine/plan.hpp"
#include "engine/snapshot.hpp"

namespace riskoff::engine {

double window_value(const Builtin& builtin, const InputData& data, const InputData* other, double window,
                    WindowKind kind, double annualization);

}  // namespace riskoff::engine
